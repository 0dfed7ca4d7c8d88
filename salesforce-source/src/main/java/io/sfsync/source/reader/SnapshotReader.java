package io.sfsync.source.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.bulk.BulkQueryCursor;
import io.sfsync.salesforce.query.QueryCursor;
import io.sfsync.source.mapping.ObjectSchema;

import org.slf4j.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads one object in pages ordered by Id, so that a snapshot interrupted anywhere resumes after the last Id it
 * emitted ({@code WHERE Id > :cursor ORDER BY Id}). REST query paging (one counted call per page) below the bulk
 * threshold; above it, one Bulk API 2.0 query job whose result pages are read as they are needed. An optional
 * {@code SystemModstamp} lower bound turns the read into a resync window.
 *
 * <h2>Prefetch</h2>
 * {@link #prefetch()} starts reading the next page on a background thread (one per reader, at most one page ahead),
 * so the query round trip overlaps with Connect sending the page handed out before; {@link #awaitPage(Duration)}
 * hands it over and rethrows the read's failure. A failed read is not kept: the next {@code prefetch()} reads the same
 * page again (the cursor only moves with a page that was read whole). The caller decides <em>when</em> the next read
 * starts, which is what keeps the task's ordering rule (a page is read after every change event emitted before it).
 * {@link #close()} interrupts a read in flight and stops the thread.
 */
public final class SnapshotReader implements AutoCloseable {

    /** How much earlier than the requested bound a resync window opens (see {@code where()}). */
    public static final java.time.Duration RESYNC_MARGIN = java.time.Duration.ofMinutes(1);

    private final SalesforceClient client;
    private final ObjectSchema schema;
    private final Instant since;
    private final int pageSize;
    private final long bulkThreshold;
    private String cursor;
    private Iterator<Map<String, Object>> bulkRows;
    private BulkQueryCursor bulk;
    private Boolean useBulk;
    private volatile boolean done;
    /** The page being read ahead, or null; only touched by the caller's thread. */
    private CompletableFuture<List<Map<String, Object>>> ahead;
    private ExecutorService prefetcher;
    private volatile boolean closed;

    public SnapshotReader(SalesforceClient client, ObjectSchema schema, String cursor, Instant since, int pageSize,
                          long bulkThreshold) {
        this.client = client;
        this.schema = schema;
        this.cursor = cursor;
        this.since = since;
        this.pageSize = pageSize;
        this.bulkThreshold = bulkThreshold;
    }

    /**
     * Starts reading the next page on the background thread, unless one is already read ahead or the read is
     * complete. Calls after {@link #close()} do nothing.
     */
    public void prefetch() {
        if (ahead != null || done || closed) {
            return;
        }
        if (prefetcher == null) {
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            prefetcher = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(() -> {
                    // The connector's logging context (connector and task names) on the reader's log lines too.
                    if (mdc != null) {
                        MDC.setContextMap(mdc);
                    }
                    r.run();
                }, "sfsync-source-snapshot-" + schema.object());
                t.setDaemon(true);
                return t;
            });
        }
        ahead = CompletableFuture.supplyAsync(this::nextPage, prefetcher);
    }

    /**
     * The page read ahead (starting the read first if none is under way), waiting at most {@code timeout}; null if it
     * is not ready by then (call again). Rethrows the read's failure once; the page is then read again on the next
     * call. Like {@link #nextPage()}, {@link #done()} is true once the last page has been handed over.
     */
    public List<Map<String, Object>> awaitPage(Duration timeout) throws InterruptedException {
        prefetch();
        if (ahead == null) {
            return List.of();
        }
        try {
            List<Map<String, Object>> page = ahead.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            ahead = null;
            return page;
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            ahead = null;
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("snapshot page read failed: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            ahead = null;
            throw new IllegalStateException("snapshot reader of " + schema.object() + " closed", e);
        }
    }

    /**
     * The next rows (lower-case field name → raw value), at most one page; empty when the read is complete. Reads on
     * the caller's thread; do not mix with {@link #prefetch()}.
     */
    public List<Map<String, Object>> nextPage() {
        if (done) {
            return List.of();
        }
        if (useBulk == null) {
            useBulk = count() > bulkThreshold;
        }
        List<Map<String, Object>> page = useBulk ? bulkPage() : restPage();
        if (page.size() < pageSize && !useBulk || page.isEmpty()) {
            done = true;
            closeBulk();
        }
        if (!page.isEmpty()) {
            cursor = String.valueOf(page.get(page.size() - 1).get("id"));
        }
        return page;
    }

    public boolean done() {
        return done;
    }

    private long count() {
        QueryCursor c = client.query().query("SELECT COUNT() FROM " + schema.object() + where());
        return c.totalSize();
    }

    private String where() {
        List<String> conditions = new ArrayList<>();
        if (cursor != null) {
            conditions.add("Id > '" + cursor.replace("'", "") + "'");
        }
        if (since != null) {
            // SystemModstamp is stamped when the row is written, the CDC commit timestamp when the transaction
            // commits (later, by up to the transaction's length), and Salesforce keeps datetimes to the second: the
            // window opens RESYNC_MARGIN earlier, rounded down to the second. Re-reading a few rows twice is harmless.
            conditions.add("SystemModstamp >= " + since.minus(RESYNC_MARGIN)
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private String soql(boolean limit) {
        return "SELECT " + String.join(", ", schema.soqlFields()) + " FROM " + schema.object() + where()
                + " ORDER BY Id" + (limit ? " LIMIT " + pageSize : "");
    }

    private List<Map<String, Object>> restPage() {
        // A resync window also reads the recycle bin (queryAll), so records deleted inside it come back as deleted.
        QueryCursor c = since != null ? client.query().queryAll(soql(true)) : client.query().query(soql(true));
        List<Map<String, Object>> rows = new ArrayList<>();
        while (c.hasNext()) {
            rows.add(fromJson(c.next()));
        }
        return rows;
    }

    private List<Map<String, Object>> bulkPage() {
        try {
            if (bulkRows == null) {
                bulk = since != null ? client.bulkQuery().queryAll(soql(false))
                        : client.bulkQuery().query(soql(false));
                bulkRows = bulk.stream().map(SnapshotReader::fromCsv).iterator();
            }
            List<Map<String, Object>> rows = new ArrayList<>(pageSize);
            while (rows.size() < pageSize && bulkRows.hasNext()) {
                rows.add(bulkRows.next());
            }
            return rows;
        } catch (RuntimeException e) {
            // The result stream is broken part-way through a page: the retry opens a new job after the cursor (the
            // last Id of a page handed over whole), so no row is skipped and none is repeated.
            closeBulk();
            throw e;
        }
    }

    /** Whether a row read by a resync window is a deleted record (its {@code IsDeleted} is true). */
    public static boolean deleted(Map<String, Object> row) {
        Object v = row.get("isdeleted");
        return v != null && "true".equalsIgnoreCase(v instanceof JsonNode n ? n.asText() : v.toString());
    }

    static Map<String, Object> fromJson(ObjectNode row) {
        Map<String, Object> m = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = row.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!"attributes".equals(e.getKey())) {
                JsonNode v = e.getValue();
                m.put(e.getKey().toLowerCase(Locale.ROOT), v.isTextual() ? v.textValue() : v);
            }
        }
        return m;
    }

    static Map<String, Object> fromCsv(Map<String, String> row) {
        Map<String, Object> m = new HashMap<>();
        row.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        return m;
    }

    private void closeBulk() {
        bulkRows = null;
        if (bulk != null) {
            bulk.close();
            bulk = null;
        }
    }

    /** Stops a read in flight (interrupting it) and the background thread, and releases a Bulk result stream. */
    @Override
    public void close() {
        closed = true;
        if (ahead != null) {
            ahead.cancel(true);
            ahead = null;
        }
        if (prefetcher != null) {
            prefetcher.shutdownNow();
            try {
                // The read holds the Bulk stream: let it see the interrupt before the stream is closed under it.
                prefetcher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            prefetcher = null;
        }
        closeBulk();
    }
}
