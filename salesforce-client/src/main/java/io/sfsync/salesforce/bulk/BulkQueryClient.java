package io.sfsync.salesforce.bulk;

import io.sfsync.salesforce.budget.Sleeper;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.http.RestTransport;
import io.sfsync.salesforce.metrics.CallKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Bulk API 2.0 query jobs, for snapshots of large objects: creates a {@code query} or {@code queryAll} job, waits
 * for it with growing waits, and returns a {@link BulkQueryCursor} that reads the results one page
 * ({@code Sforce-Locator}) at a time. A query Salesforce refuses (malformed, or not supported by Bulk query:
 * aggregates, OFFSET, compound fields) is a {@link FatalSalesforceException} when the
 * job is created; a job that ends {@code Failed} raises one carrying its {@code errorMessage}. Every call goes
 * through {@link RestTransport} as {@link CallKind#BULK}. Thread-safe; each cursor has one reader.
 */
public final class BulkQueryClient {

    private static final Logger LOG = LoggerFactory.getLogger(BulkQueryClient.class);
    static final String RESOURCE = "/jobs/query";

    private final BulkJobs jobs;

    public BulkQueryClient(RestTransport transport, BulkSettings settings, Sleeper sleeper, Clock clock) {
        this.jobs = new BulkJobs(transport, settings, sleeper, clock);
    }

    /** Rows that are not deleted, pages sized by {@link BulkSettings#queryPageSize()}. */
    public BulkQueryCursor query(String soql) {
        return open(false, soql, jobs.settings().queryPageSize());
    }

    /** Rows including deleted and archived ones. */
    public BulkQueryCursor queryAll(String soql) {
        return open(true, soql, jobs.settings().queryPageSize());
    }

    /**
     * Runs a query job to completion and opens its results; the first page is read at once.
     *
     * @param pageSize rows per results page ({@code maxRecords}), or 0 to let Salesforce decide
     */
    public BulkQueryCursor open(boolean includeDeleted, String soql, int pageSize) {
        Objects.requireNonNull(soql, "soql");
        if (pageSize < 0) {
            throw new IllegalArgumentException("pageSize must not be negative: " + pageSize);
        }
        long started = System.nanoTime();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operation", includeDeleted ? "queryAll" : "query");
        body.put("query", soql);
        body.put("contentType", "CSV");
        body.put("columnDelimiter", "COMMA");
        body.put("lineEnding", "LF");
        BulkJobInfo job = jobs.create(RESOURCE, body);
        BulkJobInfo info;
        try {
            info = jobs.awaitTerminal(RESOURCE, job.id());
        } catch (RuntimeException | Error e) {
            jobs.abortQuietly(RESOURCE, job.id());
            throw e;
        }
        if (info.state() == BulkJobState.Failed) {
            throw BulkJobs.failed(info);
        }
        if (info.state() != BulkJobState.JobComplete) {
            throw new FatalSalesforceException("bulk query job " + info.id() + " was "
                    + info.state(), 0, List.of(), null);
        }
        LOG.info("bulk {} job {} on {} complete: {} records, {} ms", body.get("operation"), info.id(), info.object(),
                info.numberRecordsProcessed(), (System.nanoTime() - started) / 1_000_000);
        try {
            return new BulkQueryCursor(jobs, RESOURCE, info, pageSize);
        } catch (RuntimeException | Error e) {
            if (jobs.settings().deleteQueryJobs()) {
                jobs.deleteQuietly(RESOURCE, info.id());
            }
            throw e;
        }
    }
}
