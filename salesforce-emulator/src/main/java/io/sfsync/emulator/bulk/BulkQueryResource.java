package io.sfsync.emulator.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.data.ApiError;
import io.sfsync.emulator.data.ApiException;
import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.http.ApiRequest;
import io.sfsync.emulator.http.ApiResponse;
import io.sfsync.emulator.http.Router;
import io.sfsync.emulator.model.SalesforceIds;
import io.sfsync.emulator.model.WireValues;
import io.sfsync.emulator.soql.QueryPlan;
import io.sfsync.emulator.soql.QueryResult;
import io.sfsync.emulator.soql.ResolvedField;
import io.sfsync.emulator.soql.SoqlEngine;
import io.sfsync.emulator.soql.SoqlException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;

import static io.sfsync.emulator.bulk.BulkRequests.invalidJobState;
import static io.sfsync.emulator.bulk.BulkRequests.invalidProperty;
import static io.sfsync.emulator.bulk.BulkRequests.stateWord;
import static io.sfsync.emulator.bulk.BulkRequests.text;

/**
 * Bulk API 2.0 query jobs ({@code /jobs/query}): create a job for a SOQL query (checked at once, so a bad query
 * is a 400 and no job), poll it, page through its CSV results with {@code locator} and {@code maxRecords}, list,
 * abort and delete jobs. Jobs run on a background thread owned by this resource; a job's results are the rows
 * as they were when it ran.
 *
 * <p>Every HTTP request is one API call; the servlet counts it before the route runs.
 */
public final class BulkQueryResource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BulkQueryResource.class);

    /**
     * Records per results page when the client gives no {@code maxRecords}. Salesforce sizes such pages by bytes;
     * this is the emulator's choice.
     */
    public static final int DEFAULT_MAX_RECORDS = 50_000;
    /** The value of {@code Sforce-Locator} on the last page: the literal string "null". */
    static final String NO_MORE_RESULTS = "null";

    /** Real orgs answer these with 400 API_ERROR [real: captured from a v47.0 org]. */
    static final String COMPOUND_NOT_SUPPORTED = "Selecting compound data not supported in Bulk Query";
    /** Unconfirmed: Bulk API 2.0 refuses COUNT() (documented), in words not found in any captured response. */
    static final String AGGREGATE_NOT_SUPPORTED = "Aggregate queries are not supported in Bulk Query";
    /** Unconfirmed: Bulk API 2.0 refuses OFFSET (documented), in words not found in any captured response. */
    static final String OFFSET_NOT_SUPPORTED = "OFFSET clause is not supported in Bulk Query";

    private static final Set<String> OPERATIONS = Set.of("query", "queryAll");
    private static final String CSV_CONTENT_TYPE = "text/csv";

    private final Org org;
    private final SoqlEngine engine;
    /** Jobs by id; ids grow with creation, so this is creation order. */
    private final ConcurrentSkipListMap<String, QueryJob> jobs = new ConcurrentSkipListMap<>();
    /** Bulk job ids share key prefix 750 with ingest jobs; this range keeps the two kinds of ids apart. */
    private final AtomicLong idSequence = new AtomicLong(500_000_000_000L);
    private final Executor executor;

    public BulkQueryResource(Org org) {
        this(org, BulkRequests.jobThread("sf-emulator-bulk-query"));
    }

    /** With the executor that runs jobs, for tests that decide when queued jobs run. */
    BulkQueryResource(Org org, Executor executor) {
        this.org = org;
        this.engine = new SoqlEngine(org.schema(), org, org.clock());
        this.executor = executor;
    }

    public BulkQueryResource register(Router router) {
        router.add("POST", "/jobs/query", this::create);
        router.add("GET", "/jobs/query", this::list);
        router.add("GET", "/jobs/query/{id}", this::get);
        router.add("PATCH", "/jobs/query/{id}", this::abort);
        router.add("DELETE", "/jobs/query/{id}", this::delete);
        router.add("GET", "/jobs/query/{id}/results", this::results);
        return this;
    }

    /** Stops the processing thread; jobs not yet finished stay where they are. */
    @Override
    public void close() {
        if (executor instanceof ExecutorService service) {
            service.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ create and run

    private ApiResponse create(ApiRequest req, Matcher m) {
        JsonNode body = BulkRequests.objectBody(req);
        String operation = text(body, "operation");
        if (operation == null || !OPERATIONS.contains(operation)) {
            throw invalidProperty(operation, "operation");
        }
        BulkRequests.requireCsvContentType(body);
        BulkCsv.LineEnding lineEnding = BulkRequests.lineEnding(body);
        BulkCsv.Delimiter delimiter = BulkRequests.delimiter(body);
        String soql = text(body, "query");
        QueryPlan plan = prepare(soql == null ? "" : soql);

        Instant now = org.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        String id = SalesforceIds.newId("750", "5e", idSequence.incrementAndGet());
        QueryJob job = new QueryJob(id, operation, soql, plan, req.apiVersion(), req.userId(), now, lineEnding,
                delimiter);
        Map<String, Object> info = job.createInfo(); // before the job can start: it answers UploadComplete
        jobs.put(id, job);
        executor.execute(() -> runSafely(job));
        return ApiResponse.ok(info);
    }

    /**
     * Checks the query against the schema and against what Bulk query supports. A query Salesforce refuses is a
     * 400 API_ERROR carrying the SOQL error text: client code written against real orgs matches
     * {@code API_ERROR} plus the message text (e.g. "Implementation restriction...") on job creation.
     */
    private QueryPlan prepare(String soql) {
        QueryPlan plan;
        try {
            plan = engine.prepare(soql);
        } catch (SoqlException e) {
            throw apiError(e.getMessage());
        }
        if (plan.isCount()) {
            throw apiError(AGGREGATE_NOT_SUPPORTED);
        }
        if (plan.query().offset().isPresent()) {
            throw apiError(OFFSET_NOT_SUPPORTED);
        }
        if (plan.query().usesFieldsFunction()) {
            // The Create a Query Job page lists FIELDS() with the compound fields as "compound data".
            throw apiError(COMPOUND_NOT_SUPPORTED);
        }
        for (ResolvedField column : plan.columns()) {
            if (column.field().type().isCompound()) {
                throw apiError(COMPOUND_NOT_SUPPORTED);
            }
        }
        return plan;
    }

    private void runSafely(QueryJob job) {
        try {
            run(job);
        } catch (RuntimeException e) {
            LOG.warn("bulk query job {} failed unexpectedly", job.id, e);
            job.fail("InternalServerError : " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    org.clock().instant());
        }
    }

    /** Runs the query once and keeps its rows as CSV cells: later writes do not change a job's results. */
    private void run(QueryJob job) {
        if (!job.transition(BulkJobState.UploadComplete, BulkJobState.InProgress, org.clock().instant())) {
            return; // aborted or deleted while queued
        }
        long started = System.nanoTime();
        QueryResult result;
        try {
            result = engine.execute(job.plan, job.includeDeleted());
        } catch (SoqlException e) {
            job.fail("InvalidBatch : Failed to process query: " + e.errorCode().name() + ": " + e.getMessage(),
                    org.clock().instant());
            return;
        }
        List<ResolvedField> columns = result.columns();
        List<String> header = new ArrayList<>(columns.size());
        for (ResolvedField c : columns) {
            header.add(c.path());
        }
        List<List<String>> rows = new ArrayList<>(result.values().size());
        for (List<Object> values : result.values()) {
            List<String> cells = new ArrayList<>(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                String text = WireValues.toText(columns.get(i).field().type(), values.get(i));
                cells.add(text == null ? "" : text);
            }
            rows.add(cells);
        }
        job.complete(new QueryJob.ResultSet(header, rows), (System.nanoTime() - started) / 1_000_000,
                org.clock().instant());
    }

    // ------------------------------------------------------------------ read, list, abort, delete

    private ApiResponse get(ApiRequest req, Matcher m) {
        return ApiResponse.ok(job(m).fullInfo());
    }

    private ApiResponse list(ApiRequest req, Matcher m) {
        return BulkRequests.listJobs(req, "V2Query", jobs.values(), "/jobs/query");
    }

    /** {@code {"state":"Aborted"}}, the only change a client can make to a query job. */
    private ApiResponse abort(ApiRequest req, Matcher m) {
        QueryJob job = job(m);
        BulkJobState to = BulkRequests.parseState(text(req.json(), "state"));
        Instant now = org.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        synchronized (job) {
            BulkJobState from = job.state();
            if (to != BulkJobState.Aborted) {
                throw invalidJobState("Invalid state transition from " + from.name() + " to " + to.name());
            }
            if (from.terminal()) {
                throw invalidJobState("Aborting already " + stateWord(from) + " Job not allowed");
            }
            job.setState(BulkJobState.Aborted, now);
            return ApiResponse.ok(job.createInfo());
        }
    }

    /** Deletes a job that is not running (UploadComplete, JobComplete, Failed or Aborted), results and all. */
    private ApiResponse delete(ApiRequest req, Matcher m) {
        QueryJob job = job(m);
        synchronized (job) {
            BulkJobState s = job.state();
            if (s == BulkJobState.InProgress) {
                throw invalidJobState("Deleting a job in state " + s.name() + " is not allowed");
            }
            if (s == BulkJobState.UploadComplete) {
                // Deleted before it ran: it will find itself no longer queued.
                job.setState(BulkJobState.Aborted, org.clock().instant());
            }
            jobs.remove(job.id);
        }
        return ApiResponse.noContent();
    }

    // ------------------------------------------------------------------ results

    /**
     * One page of results: CSV in the job's dialect, header row first, with {@code Sforce-NumberOfRecords} (rows
     * on this page) and {@code Sforce-Locator} (the next page's locator, or the string "null" on the last page).
     * A locator stays valid as long as the job exists, so a page can be read again.
     */
    private ApiResponse results(ApiRequest req, Matcher m) {
        QueryJob job = job(m);
        QueryJob.ResultSet results = job.results();
        if (results == null) {
            // Unconfirmed wording; the documented rule is that the job must be in JobComplete.
            throw invalidJobState("Job is not in JobComplete state: " + job.state().name());
        }
        int maxRecords = maxRecords(req.param("maxRecords"));
        int size = results.rows().size();
        int from = decodeLocator(req.param("locator"), size);
        int to = (int) Math.min(size, (long) from + maxRecords);
        String next = to < size ? encodeLocator(to) : NO_MORE_RESULTS;
        String csv = job.csv().write(results.header(), results.rows().subList(from, to));
        return ApiResponse.raw(200, csv, CSV_CONTENT_TYPE)
                .withHeader("Sforce-Locator", next)
                .withHeader("Sforce-NumberOfRecords", Integer.toString(to - from));
    }

    private static int maxRecords(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_MAX_RECORDS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw invalidProperty(value, "maxRecords");
    }

    /** Locators are opaque to clients: the base64 of the first row's position, as real locators look. */
    static String encodeLocator(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Integer.toString(offset).getBytes(StandardCharsets.US_ASCII));
    }

    /** The row a locator points at; absent means the first page. Unconfirmed error wording for a bad locator. */
    static int decodeLocator(String locator, int size) {
        if (locator == null || locator.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(locator), StandardCharsets.US_ASCII);
            if (text.matches("\\d{1,9}")) {
                int offset = Integer.parseInt(text);
                if (offset < size) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // not base64: fall through
        }
        throw new ApiException(400, ApiError.of("INVALID_QUERY_LOCATOR", "invalid query locator"));
    }

    // ------------------------------------------------------------------ helpers

    private QueryJob job(Matcher m) {
        return BulkRequests.job(jobs, m);
    }

    private static ApiException apiError(String message) {
        return new ApiException(400, ApiError.of("API_ERROR", message));
    }
}
