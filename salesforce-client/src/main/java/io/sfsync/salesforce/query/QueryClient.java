package io.sfsync.salesforce.query;

import io.sfsync.salesforce.http.RestRequest;
import io.sfsync.salesforce.http.RestTransport;

import java.util.Objects;

/**
 * SOQL through {@code /query} and {@code /queryAll} (which also returns deleted and archived rows). Results are
 * read page by page as the caller iterates: only one page (at most the batch size) is held at a time.
 */
public final class QueryClient {

    /** Salesforce's bounds for {@code Sforce-Query-Options: batchSize=}. */
    public static final int MIN_BATCH_SIZE = 200;
    public static final int MAX_BATCH_SIZE = 2000;

    private final RestTransport transport;
    private final int defaultBatchSize;

    /** @param defaultBatchSize rows per page, 200..2000, or 0 to let Salesforce choose (2000) */
    public QueryClient(RestTransport transport, int defaultBatchSize) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.defaultBatchSize = checkBatchSize(defaultBatchSize);
    }

    /** Runs the query; the first page is fetched now, so a malformed query fails here. */
    public QueryCursor query(String soql) {
        return open("/query", soql, defaultBatchSize);
    }

    public QueryCursor query(String soql, int batchSize) {
        return open("/query", soql, checkBatchSize(batchSize));
    }

    /** Like {@link #query} but including deleted and archived rows ({@code IsDeleted = true}). */
    public QueryCursor queryAll(String soql) {
        return open("/queryAll", soql, defaultBatchSize);
    }

    public QueryCursor queryAll(String soql, int batchSize) {
        return open("/queryAll", soql, checkBatchSize(batchSize));
    }

    private QueryCursor open(String resource, String soql, int batchSize) {
        Objects.requireNonNull(soql, "soql");
        RestRequest first = RestRequest.get(resource + "/?q=" + RestRequest.encode(soql));
        return new QueryCursor(transport, first, batchSize);
    }

    private static int checkBatchSize(int batchSize) {
        if (batchSize != 0 && (batchSize < MIN_BATCH_SIZE || batchSize > MAX_BATCH_SIZE)) {
            throw new IllegalArgumentException("batchSize must be 0 or between " + MIN_BATCH_SIZE + " and "
                    + MAX_BATCH_SIZE + ", got " + batchSize);
        }
        return batchSize;
    }
}
