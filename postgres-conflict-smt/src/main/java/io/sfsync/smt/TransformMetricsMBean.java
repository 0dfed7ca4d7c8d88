package io.sfsync.smt;

/** The transform's counters in JMX, under {@code sfsync.smt:type=conflict-transform,instance=<n>}. */
public interface TransformMetricsMBean {

    /** Postgres-origin changes forwarded (with their changed-columns header), plus salesforce-wins write-backs. */
    long getForwarded();

    /** Salesforce-origin changes dropped (loop prevention), including echoes and stale reads. */
    long getDroppedSalesforceOrigin();

    /** Salesforce-origin column values that were the echo of a forwarded value (confirmations). */
    long getEchoesConfirmed();

    /** Salesforce-origin column values older than the Postgres edit they met (no conflict). */
    long getStaleReads();

    /** Postgres-origin updates that changed no column but markers (dropped). */
    long getDroppedUnchanged();

    /** Tombstones dropped. */
    long getDroppedTombstones();

    /** Same-column conflicts detected (one per column). */
    long getConflicts();

    long getConflictsSalesforceWon();

    long getConflictsPostgresWon();

    /** Conflict records that could not be produced to the conflicts topic. */
    long getConflictSendFailures();

    /** Rows with pending forwarded values remembered now. */
    long getPendingRows();
}
