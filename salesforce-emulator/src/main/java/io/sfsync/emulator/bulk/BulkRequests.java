package io.sfsync.emulator.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.data.ApiError;
import io.sfsync.emulator.data.ApiException;
import io.sfsync.emulator.http.ApiRequest;
import io.sfsync.emulator.http.ApiResponse;
import io.sfsync.emulator.model.SalesforceIds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * What ingest and query jobs share on the wire: reading the create-job body (CSV dialect included), the error
 * answers of the {@code /jobs} resources, finding a job by the id in the path, and Get All Jobs paging.
 */
final class BulkRequests {

    /** Get All Jobs pages hold at most this many jobs. */
    static final int LIST_PAGE_SIZE = 1000;

    private BulkRequests() {
    }

    /** A JSON property as text; null when absent or JSON null. */
    static String text(JsonNode body, String field) {
        JsonNode v = body == null ? null : body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The create-job body as an object, or 400 JSON_PARSER_ERROR. */
    static JsonNode objectBody(ApiRequest req) {
        JsonNode body = req.json();
        if (!body.isObject()) {
            throw ApiException.badRequest("JSON_PARSER_ERROR", "The request body is either invalid or incomplete.");
        }
        return body;
    }

    /** {@code contentType}: absent or CSV, the only value Bulk API 2.0 accepts. */
    static void requireCsvContentType(JsonNode body) {
        String contentType = text(body, "contentType");
        if (contentType != null && !contentType.equals("CSV")) {
            throw invalidProperty(contentType, "contentType");
        }
    }

    /** {@code lineEnding}, LF when absent. */
    static BulkCsv.LineEnding lineEnding(JsonNode body) {
        String name = text(body, "lineEnding");
        BulkCsv.LineEnding lineEnding = name == null ? BulkCsv.LineEnding.LF : BulkCsv.LineEnding.parse(name);
        if (lineEnding == null) {
            throw invalidProperty(name, "lineEnding");
        }
        return lineEnding;
    }

    /** {@code columnDelimiter}, COMMA when absent. */
    static BulkCsv.Delimiter delimiter(JsonNode body) {
        String name = text(body, "columnDelimiter");
        BulkCsv.Delimiter delimiter = name == null ? BulkCsv.Delimiter.COMMA : BulkCsv.Delimiter.parse(name);
        if (delimiter == null) {
            throw invalidProperty(name, "columnDelimiter");
        }
        return delimiter;
    }

    /** The {@code state} of a PATCH body, or 400 API_ERROR for a name that is no job state. */
    static BulkJobState parseState(String name) {
        if (name != null) {
            for (BulkJobState s : BulkJobState.values()) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
        }
        throw invalidProperty(name, "state");
    }

    /** The job named by the path's {@code id} group, or 404 NOT_FOUND (unknown, malformed or deleted id). */
    static <J> J job(Map<String, J> jobs, Matcher m) {
        String id = SalesforceIds.normalize(m.group("id"));
        J job = id == null ? null : jobs.get(id);
        if (job == null) {
            throw ApiException.notFound();
        }
        return job;
    }

    /**
     * One page of Get All Jobs: {@code {"done", "records", "nextRecordsUrl"}}, continuing at the
     * {@code queryLocator} parameter. {@code resource} is {@code /jobs/ingest} or {@code /jobs/query}.
     */
    static Map<String, Object> listPage(ApiRequest req, List<Map<String, Object>> all, String resource) {
        int from = 0;
        String locator = req.param("queryLocator");
        if (locator != null && !locator.isEmpty()) {
            try {
                from = Integer.parseInt(locator);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("INVALID_QUERY_LOCATOR", "invalid query locator");
            }
        }
        int to = Math.min(all.size(), from + LIST_PAGE_SIZE);
        boolean done = to >= all.size();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("done", done);
        body.put("records", from >= all.size() || from < 0 ? List.of() : all.subList(from, to));
        body.put("nextRecordsUrl", done ? null : req.versionPrefix() + resource + "?queryLocator=" + to);
        return body;
    }

    /** Whether a Get All Jobs filter parameter is absent or equal to {@code expected}. */
    /**
     * {@code GET /jobs/ingest} or {@code /jobs/query}: every job of the resource, unless the filters ask for
     * another job type, concurrency mode or PK chunking (every emulated job is Parallel without PK chunking).
     */
    static ApiResponse listJobs(ApiRequest req, String jobType, java.util.Collection<? extends BulkJob> jobs,
                                String resource) {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        if (filterMatches(req, "jobType", jobType) && filterMatches(req, "concurrencyMode", "Parallel")
                && filterMatches(req, "isPkChunkingEnabled", "false")) {
            for (BulkJob job : jobs) {
                all.add(job.listInfo());
            }
        }
        return ApiResponse.ok(listPage(req, all, resource));
    }

    static boolean filterMatches(ApiRequest req, String param, String expected) {
        String v = req.param(param);
        return v == null || v.isEmpty() || v.equals(expected);
    }

    /** How the "already ... Job not allowed" messages name a state. */
    static String stateWord(BulkJobState s) {
        return s == BulkJobState.JobComplete ? "Completed" : s.name();
    }

    static ApiException invalidProperty(String value, String property) {
        return new ApiException(400, ApiError.of("API_ERROR",
                "Invalid value: '" + (value == null ? "" : value) + "' supplied for property: '" + property + "'"));
    }

    static ApiException invalidJob(String message) {
        return new ApiException(400, ApiError.of("INVALIDJOB", "InvalidJob : " + message));
    }

    static ApiException invalidJobState(String message) {
        return new ApiException(400, ApiError.of("INVALIDJOBSTATE", message));
    }

    /**
     * One daemon thread that runs jobs in order. It exits when idle, so an emulator that is stopped without
     * closing the resource leaves no thread behind.
     */
    static ExecutorService jobThread(String name) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
