package io.sfsync.salesforce.write;

/**
 * Options of a collections write.
 *
 * @param allOrNone      roll back the whole chunk (at most 200 records) when one record fails
 * @param recordRetries  how many times records that failed only for transient reasons ({@code UNABLE_TO_LOCK_ROW})
 *                       are resubmitted, after a back-off; 0 returns them as they are
 */
public record WriteOptions(boolean allOrNone, int recordRetries) {

    public WriteOptions {
        if (recordRetries < 0) {
            throw new IllegalArgumentException("recordRetries must be >= 0");
        }
    }

    /** Partial success allowed, locked rows retried 3 times. */
    public static WriteOptions defaults() {
        return new WriteOptions(false, 3);
    }

    public WriteOptions withAllOrNone(boolean v) {
        return new WriteOptions(v, recordRetries);
    }

    public WriteOptions withRecordRetries(int v) {
        return new WriteOptions(allOrNone, v);
    }
}
