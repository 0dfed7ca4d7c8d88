package io.sfsync.emulator.bulk;

/**
 * Bulk API 2.0 job states as JobInfo reports them. Ingest jobs start {@code Open}; query jobs start
 * {@code UploadComplete}. Both end {@code JobComplete}, {@code Failed} or {@code Aborted}.
 */
enum BulkJobState {
    Open, UploadComplete, InProgress, JobComplete, Failed, Aborted;

    boolean terminal() {
        return this == JobComplete || this == Failed || this == Aborted;
    }
}
