package io.sfsync.emulator.bulk;

import io.sfsync.emulator.model.WireValues;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Bulk API 2.0 ingest job: what it was created with, its state, its uploaded data, and the outcome of
 * every row it processed. Request threads and the processing thread both touch it, so every access is
 * synchronized on the job.
 */
final class IngestJob extends BulkJob {

    /** The outcome of one processed row. {@code error} is the {@code sf__Error} text, null on success. */
    record RowResult(String id, boolean created, String error) {
    }

    final String externalIdFieldName;
    final String clientId;
    private String data;
    private BulkCsv.Table table;
    /** Results by row index, for the rows processed so far. */
    private final Map<Integer, RowResult> results = new LinkedHashMap<>();
    private int processed;
    private int failed;
    private long totalProcessingTime;
    private long apiActiveProcessingTime;
    private String errorMessage;

    IngestJob(String id, String object, String operation, String externalIdFieldName, String apiVersion,
              String createdById, String clientId, Instant createdDate, BulkCsv.LineEnding lineEnding,
              BulkCsv.Delimiter delimiter) {
        super(id, object, operation, apiVersion, createdById, createdDate, lineEnding, delimiter, BulkJobState.Open);
        this.externalIdFieldName = externalIdFieldName;
        this.clientId = clientId;
    }

    synchronized boolean hasData() {
        return data != null;
    }

    synchronized void setData(String csvText) {
        data = csvText;
    }

    synchronized String data() {
        return data;
    }

    synchronized void setTable(BulkCsv.Table t) {
        table = t;
    }

    synchronized BulkCsv.Table table() {
        return table;
    }

    synchronized void recordResult(int row, RowResult r) {
        results.put(row, r);
        processed++;
        if (r.error() != null) {
            failed++;
        }
    }

    synchronized void addProcessingTime(long millis) {
        totalProcessingTime += millis;
        apiActiveProcessingTime += millis;
    }

    /** Fails the running job with an errorMessage; a job aborted meanwhile stays aborted. */
    synchronized void fail(String message, Instant now) {
        if (state() == BulkJobState.InProgress) {
            errorMessage = message;
            setState(BulkJobState.Failed, now);
        }
    }

    synchronized Map<Integer, RowResult> results() {
        return new LinkedHashMap<>(results);
    }

    /** The parsed upload, parsing it on first use (an aborted job never reaches the processor). */
    synchronized BulkCsv.Table tableOrParse() {
        if (table == null && data != null) {
            try {
                table = csv().parse(data);
            } catch (RuntimeException e) {
                return new BulkCsv.Table(List.of(), List.of());
            }
        }
        return table == null ? new BulkCsv.Table(List.of(), List.of()) : table;
    }

    /** The JobInfo fields every job representation starts with, in Salesforce's order. */
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
        if (externalIdFieldName != null) {
            m.put("externalIdFieldName", externalIdFieldName);
        }
        m.put("concurrencyMode", "Parallel");
        m.put("contentType", "CSV");
        m.put("apiVersion", new BigDecimal(apiVersion));
        return m;
    }

    /** The create-job answer: the head plus jobType, contentUrl, lineEnding and columnDelimiter. */
    synchronized Map<String, Object> createInfo() {
        Map<String, Object> m = head();
        m.put("jobType", "V2Ingest");
        m.put("contentUrl", "services/data/v" + apiVersion + "/jobs/ingest/" + id + "/batches");
        m.put("lineEnding", lineEnding.name());
        m.put("columnDelimiter", delimiter.name());
        return m;
    }

    /** The close/abort answer, which real orgs give without the upload details. */
    synchronized Map<String, Object> stateChangeInfo() {
        return head();
    }

    @Override
    String jobType() {
        return "V2Ingest";
    }

    /** Get Job Info: everything, with the processing counters, and errorMessage when the job failed. */
    @Override
    synchronized Map<String, Object> fullInfo() {
        Map<String, Object> m = createInfo();
        m.put("numberRecordsProcessed", processed);
        m.put("numberRecordsFailed", failed);
        m.put("retries", 0);
        m.put("totalProcessingTime", totalProcessingTime);
        m.put("apiActiveProcessingTime", apiActiveProcessingTime);
        m.put("apexProcessingTime", 0);
        if (state() == BulkJobState.Failed && errorMessage != null) {
            m.put("errorMessage", errorMessage);
        }
        return m;
    }

    /** Row indexes of the upload that were never processed. */
    synchronized List<Integer> unprocessedRows() {
        List<Integer> out = new ArrayList<>();
        int n = tableOrParse().rows().size();
        for (int i = 0; i < n; i++) {
            if (!results.containsKey(i)) {
                out.add(i);
            }
        }
        return out;
    }
}
