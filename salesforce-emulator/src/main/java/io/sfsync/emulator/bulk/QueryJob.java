package io.sfsync.emulator.bulk;

import io.sfsync.emulator.model.WireValues;
import io.sfsync.emulator.soql.QueryPlan;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Bulk API 2.0 query job: its query (checked when the job was created), its state, and once it has run the
 * result set as CSV cells, a snapshot of the org at that moment. Request threads and the processing thread both
 * touch it, so every access is synchronized on the job.
 */
final class QueryJob extends BulkJob {

    /** The rows a finished job holds: the header (selected field paths) and one list of cells per record. */
    record ResultSet(List<String> header, List<List<String>> rows) {
        ResultSet {
            header = List.copyOf(header);
            rows = List.copyOf(rows);
        }
    }

    final String query;
    final QueryPlan plan;
    private ResultSet results;
    private long totalProcessingTime;
    private String errorMessage;

    QueryJob(String id, String operation, String query, QueryPlan plan, String apiVersion, String createdById,
             Instant createdDate, BulkCsv.LineEnding lineEnding, BulkCsv.Delimiter delimiter) {
        super(id, plan.type().name(), operation, apiVersion, createdById, createdDate, lineEnding, delimiter,
                BulkJobState.UploadComplete);
        this.query = query;
        this.plan = plan;
    }

    /** queryAll: records in the recycle bin are returned too. */
    boolean includeDeleted() {
        return operation.equals("queryAll");
    }

    /** Completes the running job with its result set; false (results dropped) when it was aborted meanwhile. */
    synchronized boolean complete(ResultSet r, long processingMillis, Instant now) {
        totalProcessingTime += processingMillis;
        if (state() != BulkJobState.InProgress) {
            return false;
        }
        results = r;
        setState(BulkJobState.JobComplete, now);
        return true;
    }

    /** Fails the running job with an errorMessage; a job aborted meanwhile stays aborted. */
    synchronized void fail(String message, Instant now) {
        if (state() == BulkJobState.InProgress) {
            errorMessage = message;
            setState(BulkJobState.Failed, now);
        }
    }

    /** The result set; null until the job is complete. */
    synchronized ResultSet results() {
        return results;
    }

    /** The JobInfo fields every representation starts with, in Salesforce's order. */
    @Override
    Map<String, Object> head() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("operation", operation);
        m.put("object", object);
        m.put("createdById", createdById);
        m.put("createdDate", WireValues.formatDateTime(createdDate));
        m.put("systemModstamp", WireValues.formatDateTime(systemModstamp()));
        m.put("state", state().name());
        m.put("concurrencyMode", "Parallel");
        m.put("contentType", "CSV");
        m.put("apiVersion", new BigDecimal(apiVersion));
        return m;
    }

    /**
     * The create-job and abort answers. Real orgs leave {@code jobType} out of these (the Create a Query Job
     * example and a 2025 capture from a real org agree); it appears in Get Job Info and Get All Jobs.
     */
    synchronized Map<String, Object> createInfo() {
        Map<String, Object> m = head();
        m.put("lineEnding", lineEnding.name());
        m.put("columnDelimiter", delimiter.name());
        return m;
    }

    @Override
    String jobType() {
        return "V2Query";
    }

    /** Get Job Info: the list entry plus the processing counters, and errorMessage when the job failed. */
    @Override
    synchronized Map<String, Object> fullInfo() {
        Map<String, Object> m = listInfo();
        m.put("numberRecordsProcessed", results == null ? 0 : results.rows().size());
        m.put("retries", 0);
        m.put("totalProcessingTime", totalProcessingTime);
        m.put("isPkChunkingSupported", true);
        if (state() == BulkJobState.Failed && errorMessage != null) {
            m.put("errorMessage", errorMessage);
        }
        return m;
    }
}
