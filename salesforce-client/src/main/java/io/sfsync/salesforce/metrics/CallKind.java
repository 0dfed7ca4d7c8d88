package io.sfsync.salesforce.metrics;

/**
 * The kinds of Salesforce calls, for counting and for the budget governor. {@link #longRunning()} kinds can run for
 * tens of seconds (Salesforce counts requests over 20 s against a small org-wide concurrency limit), so the
 * governor caps how many of them run at once.
 */
public enum CallKind {
    /** {@code GET /limits}. */
    LIMITS(false),
    /** Global describe and {@code /sobjects/{S}/describe}. */
    DESCRIBE(false),
    /** {@code /query}, {@code /queryAll} and their {@code nextRecordsUrl} pages. */
    QUERY(true),
    /** Single-record create, read, update, delete, upsert. */
    RECORD(false),
    /** sObject Collections create, update, upsert, delete, retrieve. */
    COLLECTIONS(false),
    /** {@code POST /composite}. */
    COMPOSITE(false),
    /** Bulk API 2.0 job calls (for the bulk package). */
    BULK(true),
    /** Streaming API handshakes and subscriptions (for the streaming package). */
    STREAMING(false),
    /** Anything else. */
    OTHER(false);

    private final boolean longRunning;

    CallKind(boolean longRunning) {
        this.longRunning = longRunning;
    }

    public boolean longRunning() {
        return longRunning;
    }
}
