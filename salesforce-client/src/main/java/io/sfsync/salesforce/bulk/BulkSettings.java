package io.sfsync.salesforce.bulk;

import java.time.Duration;
import java.util.Objects;

/**
 * How the Bulk API 2.0 clients size jobs and wait for them.
 *
 * @param pollInitial      the first wait between job status checks; each later wait is 1.5 times longer
 * @param pollMax          the longest wait between two status checks
 * @param maxWait          how long to wait for one job in all before aborting it (a retriable failure)
 * @param maxUploadBytes   the largest CSV upload (UTF-8 bytes) per ingest job; larger inputs are split into
 *                         several jobs. Salesforce accepts at most 150 MB per upload.
 * @param maxRecordsPerJob the most records per ingest job (bounds the records held in memory while a job runs)
 * @param queryPageSize    rows per query results page ({@code maxRecords}), which bounds the rows a cursor holds;
 *                         0 leaves it to Salesforce (pages of unbounded size)
 * @param deleteQueryJobs  whether a query cursor deletes its job when closed (results are kept 7 days otherwise)
 */
public record BulkSettings(Duration pollInitial, Duration pollMax, Duration maxWait, long maxUploadBytes,
                           int maxRecordsPerJob, int queryPageSize, boolean deleteQueryJobs) {

    /** Salesforce's limit for one upload: 150 MB. */
    public static final long MAX_UPLOAD_BYTES = 150L * 1024 * 1024;

    public BulkSettings {
        Objects.requireNonNull(pollInitial, "pollInitial");
        Objects.requireNonNull(pollMax, "pollMax");
        Objects.requireNonNull(maxWait, "maxWait");
        if (pollInitial.isNegative() || pollInitial.isZero() || pollMax.compareTo(pollInitial) < 0) {
            throw new IllegalArgumentException("need 0 < pollInitial <= pollMax");
        }
        if (maxUploadBytes < 1024 || maxUploadBytes > MAX_UPLOAD_BYTES) {
            throw new IllegalArgumentException("maxUploadBytes must be between 1 KB and 150 MB: " + maxUploadBytes);
        }
        if (maxRecordsPerJob < 1) {
            throw new IllegalArgumentException("maxRecordsPerJob must be positive: " + maxRecordsPerJob);
        }
        if (queryPageSize < 0) {
            throw new IllegalArgumentException("queryPageSize must not be negative: " + queryPageSize);
        }
    }

    /**
     * Polls after 1 s, then up to every 20 s, for at most 2 h per job; uploads of at most 100 MB (leaving room
     * under the 150 MB limit) and 1,000,000 records; query pages of 50,000 rows; query jobs deleted on close.
     */
    public static BulkSettings defaults() {
        return new BulkSettings(Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofHours(2),
                100L * 1024 * 1024, 1_000_000, 50_000, true);
    }

    public BulkSettings withPolling(Duration initial, Duration max, Duration totalWait) {
        return new BulkSettings(initial, max, totalWait, maxUploadBytes, maxRecordsPerJob, queryPageSize,
                deleteQueryJobs);
    }

    public BulkSettings withJobSize(long uploadBytes, int records) {
        return new BulkSettings(pollInitial, pollMax, maxWait, uploadBytes, records, queryPageSize, deleteQueryJobs);
    }

    public BulkSettings withQueryPageSize(int rows) {
        return new BulkSettings(pollInitial, pollMax, maxWait, maxUploadBytes, maxRecordsPerJob, rows,
                deleteQueryJobs);
    }

    public BulkSettings withDeleteQueryJobs(boolean delete) {
        return new BulkSettings(pollInitial, pollMax, maxWait, maxUploadBytes, maxRecordsPerJob, queryPageSize,
                delete);
    }
}
