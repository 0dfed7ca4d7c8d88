package io.sfsync.emulator.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.data.ApiError;
import io.sfsync.emulator.data.ApiException;
import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.http.ApiRequest;
import io.sfsync.emulator.http.ApiResponse;
import io.sfsync.emulator.http.Router;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.SalesforceIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.sfsync.emulator.bulk.BulkRequests.invalidJob;
import static io.sfsync.emulator.bulk.BulkRequests.invalidJobState;
import static io.sfsync.emulator.bulk.BulkRequests.invalidProperty;
import static io.sfsync.emulator.bulk.BulkRequests.parseState;
import static io.sfsync.emulator.bulk.BulkRequests.stateWord;
import static io.sfsync.emulator.bulk.BulkRequests.text;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;

/**
 * Bulk API 2.0 ingest jobs ({@code /jobs/ingest}): create a job, upload one CSV, close or abort it, poll it, read
 * its successful, failed and unprocessed records, list and delete jobs. Closed jobs run on a background thread
 * owned by this resource, in chunks of 200 records per transaction (see {@link IngestProcessor}).
 *
 * <p>Every HTTP request is one API call; the servlet counts it before the route runs.
 */
public final class BulkIngestResource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BulkIngestResource.class);

    /** The largest upload Bulk API 2.0 accepts in one request: 150 MB. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 150L * 1024 * 1024;
    private static final Set<String> OPERATIONS = Set.of("insert", "update", "upsert", "delete", "hardDelete");
    private static final String CSV_CONTENT_TYPE = "text/csv";

    private final Org org;
    private final long maxUploadBytes;
    private final IngestProcessor processor;
    /** Jobs by id; ids grow with creation, so this is creation order. */
    private final ConcurrentSkipListMap<String, IngestJob> jobs = new ConcurrentSkipListMap<>();
    private final AtomicLong idSequence = new AtomicLong(1_000);
    private final ExecutorService executor;

    public BulkIngestResource(Org org) {
        this(org, DEFAULT_MAX_UPLOAD_BYTES);
    }

    public BulkIngestResource(Org org, long maxUploadBytes) {
        this.org = org;
        this.maxUploadBytes = maxUploadBytes;
        this.processor = new IngestProcessor(org);
        this.executor = BulkRequests.jobThread("sf-emulator-bulk-ingest");
    }

    public BulkIngestResource register(Router router) {
        router.add("POST", "/jobs/ingest", this::create);
        router.add("GET", "/jobs/ingest", this::list);
        router.add("GET", "/jobs/ingest/{id}", this::get);
        router.add("PATCH", "/jobs/ingest/{id}", this::changeState);
        router.add("DELETE", "/jobs/ingest/{id}", this::delete);
        router.add("PUT", "/jobs/ingest/{id}/batches", this::upload);
        router.add("GET", "/jobs/ingest/{id}/successfulResults", this::successfulResults);
        router.add("GET", "/jobs/ingest/{id}/failedResults", this::failedResults);
        router.add("GET", "/jobs/ingest/{id}/unprocessedrecords", this::unprocessedRecords);
        // Several clients spell it with a capital R; Salesforce answers both.
        router.add("GET", "/jobs/ingest/{id}/unprocessedRecords", this::unprocessedRecords);
        return this;
    }

    /** Stops the processing thread; jobs not yet finished stay where they are. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ create

    private ApiResponse create(ApiRequest req, Matcher m) {
        JsonNode body = BulkRequests.objectBody(req);
        String operation = text(body, "operation");
        if (operation == null || !OPERATIONS.contains(operation)) {
            throw invalidProperty(operation, "operation");
        }
        BulkRequests.requireCsvContentType(body);
        BulkCsv.LineEnding lineEnding = BulkRequests.lineEnding(body);
        BulkCsv.Delimiter delimiter = BulkRequests.delimiter(body);
        String objectName = text(body, "object");
        SObjectType type = org.schema().find(objectName).orElseThrow(() -> invalidJob(
                "Unable to find object: " + (objectName == null ? "" : objectName)));
        String externalId = null;
        if (operation.equals("upsert")) {
            externalId = text(body, "externalIdFieldName");
            if (externalId == null || externalId.isEmpty()) {
                throw invalidJob("External ID was blank for " + type.name()
                        + ". An External ID must be specified for upsert.");
            }
            Optional<FieldDef> key = type.field(externalId);
            if (key.isEmpty() || !(key.get().externalId() || key.get().name().equals("Id"))) {
                throw invalidJob("Field name provided, " + externalId.toLowerCase(Locale.ROOT)
                        + " does not match an External ID, Salesforce Id, or indexed field for " + type.name());
            }
        }
        Instant now = org.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        String id = SalesforceIds.newId("750", "5e", idSequence.incrementAndGet());
        IngestJob job = new IngestJob(id, type.name(), operation, externalId, req.apiVersion(), req.userId(),
                req.clientId(), now, lineEnding, delimiter);
        jobs.put(id, job);
        return ApiResponse.ok(job.createInfo());
    }

    // ------------------------------------------------------------------ upload, close, abort

    private ApiResponse upload(ApiRequest req, Matcher m) {
        IngestJob job = job(m);
        String contentType = req.header("Content-Type");
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith(CSV_CONTENT_TYPE)) {
            throw new ApiException(415, ApiError.of("INVALIDCONTENTTYPE",
                    "MediaType of '" + contentType + "' is not supported by this resource"));
        }
        String data = req.body() == null ? "" : req.body();
        if (utf8Length(data) > maxUploadBytes) {
            throw new ApiException(400, ApiError.of("BULK_API_ERROR", "Job data exceeds the maximum size of "
                    + maxUploadBytes + " bytes for one upload. Split the data into several jobs."));
        }
        synchronized (job) {
            if (job.hasData()) {
                throw new ApiException(400, ApiError.of("BULK_API_ERROR", "Found multipe contents for job: <"
                        + job.id.substring(0, 15) + ">, please 'Close' / 'Abort' / 'Delete' the current Job then "
                        + "create a new Job and make sure you only do 'PUT' once on a given Job."));
            }
            if (job.state() != BulkJobState.Open) {
                throw new ApiException(400, ApiError.of("INVALIDJOBSTATE",
                        "Job is not in Open state: " + job.state().name()));
            }
            job.setData(data);
        }
        return new ApiResponse(201, new LinkedHashMap<>(), null, null, null);
    }

    private ApiResponse changeState(ApiRequest req, Matcher m) {
        IngestJob job = job(m);
        String target = text(req.json(), "state");
        BulkJobState to = parseState(target);
        Instant now = org.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        synchronized (job) {
            BulkJobState from = job.state();
            if (to == BulkJobState.UploadComplete) {
                if (from != BulkJobState.Open) {
                    throw invalidJobState("Closing already " + stateWord(from) + " Job not allowed");
                }
                job.setState(BulkJobState.UploadComplete, now);
                executor.execute(() -> runSafely(job));
            } else if (to == BulkJobState.Aborted) {
                if (from.terminal()) {
                    throw invalidJobState("Aborting already " + stateWord(from) + " Job not allowed");
                }
                job.setState(BulkJobState.Aborted, now);
            } else {
                throw invalidJobState("Invalid state transition from " + from.name() + " to " + to.name());
            }
            return ApiResponse.ok(job.stateChangeInfo());
        }
    }

    private void runSafely(IngestJob job) {
        try {
            processor.run(job);
        } catch (RuntimeException e) {
            LOG.warn("bulk ingest job {} failed unexpectedly", job.id, e);
            job.fail("InternalServerError : " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    org.clock().instant());
        }
    }

    // ------------------------------------------------------------------ read, list, delete

    private ApiResponse get(ApiRequest req, Matcher m) {
        return ApiResponse.ok(job(m).fullInfo());
    }

    private ApiResponse list(ApiRequest req, Matcher m) {
        return BulkRequests.listJobs(req, "V2Ingest", jobs.values(), "/jobs/ingest");
    }

    private ApiResponse delete(ApiRequest req, Matcher m) {
        IngestJob job = job(m);
        synchronized (job) {
            BulkJobState s = job.state();
            if (s == BulkJobState.Open || s == BulkJobState.InProgress) {
                throw invalidJobState("Deleting a job in state " + s.name() + " is not allowed");
            }
            // An UploadComplete job is deleted before it runs: it will find itself no longer queued.
            job.setState(BulkJobState.Aborted, org.clock().instant());
            jobs.remove(job.id);
        }
        return ApiResponse.noContent();
    }

    // ------------------------------------------------------------------ results

    private ApiResponse successfulResults(ApiRequest req, Matcher m) {
        IngestJob job = job(m);
        BulkCsv.Table table = job.tableOrParse();
        List<String> header = withPrefix(List.of("sf__Id", "sf__Created"), table.header());
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Integer, IngestJob.RowResult> e : job.results().entrySet()) {
            IngestJob.RowResult r = e.getValue();
            if (r.error() == null) {
                rows.add(withPrefix(List.of(r.id(), Boolean.toString(r.created())), table.rows().get(e.getKey())));
            }
        }
        return csv(job, header, rows);
    }

    private ApiResponse failedResults(ApiRequest req, Matcher m) {
        IngestJob job = job(m);
        BulkCsv.Table table = job.tableOrParse();
        List<String> header = withPrefix(List.of("sf__Id", "sf__Error"), table.header());
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Integer, IngestJob.RowResult> e : job.results().entrySet()) {
            IngestJob.RowResult r = e.getValue();
            if (r.error() != null) {
                rows.add(withPrefix(List.of(r.id() == null ? "" : r.id(), r.error()), table.rows().get(e.getKey())));
            }
        }
        return csv(job, header, rows);
    }

    private ApiResponse unprocessedRecords(ApiRequest req, Matcher m) {
        IngestJob job = job(m);
        BulkCsv.Table table = job.tableOrParse();
        List<List<String>> rows = new ArrayList<>();
        for (int i : job.unprocessedRows()) {
            rows.add(table.rows().get(i));
        }
        return csv(job, table.header(), rows);
    }

    private static ApiResponse csv(IngestJob job, List<String> header, List<List<String>> rows) {
        return ApiResponse.raw(200, job.csv().write(header, rows), CSV_CONTENT_TYPE);
    }

    private static List<String> withPrefix(List<String> prefix, List<String> rest) {
        List<String> out = new ArrayList<>(prefix.size() + rest.size());
        out.addAll(prefix);
        out.addAll(rest);
        return out;
    }

    // ------------------------------------------------------------------ helpers

    /** The job named in the path, or 404 NOT_FOUND (unknown, malformed or deleted id). */
    private IngestJob job(Matcher m) {
        return BulkRequests.job(jobs, m);
    }

    /** The UTF-8 size of a text, counted without encoding it. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
