package io.sfsync.salesforce.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfsync.salesforce.http.RestRequest;
import io.sfsync.salesforce.http.RestResponse;
import io.sfsync.salesforce.http.RestTransport;
import io.sfsync.salesforce.metrics.CallKind;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The rows of one query, as an iterator over Jackson {@link ObjectNode}s (each with Salesforce's
 * {@code attributes}). The next page ({@code nextRecordsUrl}) is fetched only when the current one is used up, and
 * the used page is dropped, so memory stays at one page. Not thread-safe: one reader per cursor.
 */
public final class QueryCursor implements Iterator<ObjectNode> {

    private final RestTransport transport;
    private final int batchSize;
    private long totalSize = -1;
    private int pages;
    private long returned;
    private JsonNode page;
    private int index;
    private String nextRecordsUrl;

    QueryCursor(RestTransport transport, RestRequest first, int batchSize) {
        this.transport = transport;
        this.batchSize = batchSize;
        load(first);
    }

    /** {@code totalSize} as Salesforce reported it on the first page. */
    public long totalSize() {
        return totalSize;
    }

    /** Pages fetched so far. */
    public int pagesFetched() {
        return pages;
    }

    /** Rows handed out so far. */
    public long rowsReturned() {
        return returned;
    }

    @Override
    public boolean hasNext() {
        while (page == null || index >= page.size()) {
            if (nextRecordsUrl == null) {
                page = null;
                return false;
            }
            String next = nextRecordsUrl;
            page = null; // drop the used page before fetching the next
            load(RestRequest.get(next));
        }
        return true;
    }

    @Override
    public ObjectNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        JsonNode row = page.get(index);
        index++;
        returned++;
        return (ObjectNode) row;
    }

    /** The remaining rows as a sequential, lazy stream. */
    public Stream<ObjectNode> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    private void load(RestRequest request) {
        if (batchSize > 0) {
            request = request.withHeader("Sforce-Query-Options", "batchSize=" + batchSize);
        }
        RestResponse r = transport.send(CallKind.QUERY, request);
        JsonNode body = r.json();
        pages++;
        if (totalSize < 0) {
            totalSize = body.path("totalSize").asLong(0);
        }
        JsonNode records = body.path("records");
        page = records.isArray() ? records : null;
        index = 0;
        boolean done = body.path("done").asBoolean(true);
        JsonNode next = body.get("nextRecordsUrl");
        nextRecordsUrl = !done && next != null && !next.isNull() ? next.asText() : null;
    }
}
