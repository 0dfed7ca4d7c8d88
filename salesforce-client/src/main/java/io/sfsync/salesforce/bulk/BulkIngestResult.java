package io.sfsync.salesforce.bulk;

import java.util.List;

/**
 * The outcome of a whole ingest: one {@link BulkRecordOutcome} per input record, in input order, and the jobs
 * that carried them (several when the input was larger than one upload).
 */
public record BulkIngestResult(List<BulkRecordOutcome> outcomes, List<BulkJobInfo> jobs) {

    public BulkIngestResult {
        outcomes = List.copyOf(outcomes);
        jobs = List.copyOf(jobs);
    }

    public long succeeded() {
        return count(BulkRecordOutcome.Status.SUCCEEDED);
    }

    public long failed() {
        return count(BulkRecordOutcome.Status.FAILED);
    }

    public long unprocessedCount() {
        return count(BulkRecordOutcome.Status.UNPROCESSED);
    }

    /** The records no job processed, in input order. */
    public List<BulkRecordOutcome> unprocessed() {
        return outcomes.stream().filter(o -> o.status() == BulkRecordOutcome.Status.UNPROCESSED).toList();
    }

    private long count(BulkRecordOutcome.Status s) {
        return outcomes.stream().filter(o -> o.status() == s).count();
    }
}
