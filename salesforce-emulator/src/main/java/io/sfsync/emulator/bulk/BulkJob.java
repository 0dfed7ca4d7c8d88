package io.sfsync.emulator.bulk;

import java.time.Instant;

/**
 * What ingest and query jobs share: identity, the CSV dialect, and the state machine with the job's
 * {@code systemModstamp}. Request threads and the processing thread both touch a job, so state is guarded by the
 * job's monitor.
 */
abstract class BulkJob {

    final String id;
    final String object;
    final String operation;
    final String apiVersion;
    final String createdById;
    final Instant createdDate;
    final BulkCsv.LineEnding lineEnding;
    final BulkCsv.Delimiter delimiter;

    private BulkJobState state;
    private Instant systemModstamp;

    BulkJob(String id, String object, String operation, String apiVersion, String createdById, Instant createdDate,
            BulkCsv.LineEnding lineEnding, BulkCsv.Delimiter delimiter, BulkJobState initialState) {
        this.id = id;
        this.object = object;
        this.operation = operation;
        this.apiVersion = apiVersion;
        this.createdById = createdById;
        this.createdDate = createdDate;
        this.systemModstamp = createdDate;
        this.lineEnding = lineEnding;
        this.delimiter = delimiter;
        this.state = initialState;
    }

    /** {@code V2Ingest} or {@code V2Query}. */
    abstract String jobType();

    /** The JobInfo keys every answer about the job starts with, in Salesforce's order. */
    abstract java.util.Map<String, Object> head();

    /** The JobInfo entry of {@code GET /jobs/ingest} or {@code /jobs/query}. */
    synchronized java.util.Map<String, Object> listInfo() {
        java.util.Map<String, Object> m = head();
        m.put("jobType", jobType());
        m.put("lineEnding", lineEnding.name());
        m.put("columnDelimiter", delimiter.name());
        return m;
    }

    /** The full JobInfo of {@code GET /jobs/.../<id>}. */
    abstract java.util.Map<String, Object> fullInfo();

    BulkCsv csv() {
        return new BulkCsv(delimiter, lineEnding);
    }

    synchronized BulkJobState state() {
        return state;
    }

    synchronized Instant systemModstamp() {
        return systemModstamp;
    }

    synchronized void setState(BulkJobState s, Instant now) {
        state = s;
        systemModstamp = now;
    }

    /** Moves from {@code from} to {@code to}; false (and no change) when the job is no longer in {@code from}. */
    synchronized boolean transition(BulkJobState from, BulkJobState to, Instant now) {
        if (state != from) {
            return false;
        }
        setState(to, now);
        return true;
    }
}
