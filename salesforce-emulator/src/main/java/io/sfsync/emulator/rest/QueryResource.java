package io.sfsync.emulator.rest;

import io.sfsync.emulator.data.ApiError;
import io.sfsync.emulator.data.ApiException;
import io.sfsync.emulator.http.ApiRequest;
import io.sfsync.emulator.http.ApiResponse;
import io.sfsync.emulator.http.Router;
import io.sfsync.emulator.model.SalesforceIds;
import io.sfsync.emulator.soql.QueryResult;
import io.sfsync.emulator.soql.SoqlEngine;
import io.sfsync.emulator.soql.SoqlException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /query?q=} and {@code /queryAll?q=} (deleted rows too), answering in batches of 2,000 rows (or the
 * {@code Sforce-Query-Options: batchSize=} asked for, 200 to 2,000) with {@code nextRecordsUrl}
 * {@code /services/data/vXX.X/query/01g...-2000} for the next batch. A query cursor lives 15 minutes after its
 * last use, as in Salesforce; past that its locator is INVALID_QUERY_LOCATOR.
 */
public final class QueryResource {

    public static final int DEFAULT_BATCH_SIZE = 2000;
    public static final int MIN_BATCH_SIZE = 200;
    public static final Duration CURSOR_IDLE_TIMEOUT = Duration.ofMinutes(15);
    private static final Pattern BATCH_SIZE = Pattern.compile("batchSize\\s*=\\s*(\\d+)");

    private final SoqlEngine engine;
    private final Clock clock;
    private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();
    private final AtomicLong cursorSeq = new AtomicLong(1000);

    /** The rows of one query, materialised when it ran, as Salesforce's server-side cursor holds them. */
    private static final class Cursor {
        final List<Map<String, Object>> rows;
        final int batchSize;
        volatile Instant lastUsed;

        Cursor(List<Map<String, Object>> rows, int batchSize, Instant now) {
            this.rows = rows;
            this.batchSize = batchSize;
            this.lastUsed = now;
        }
    }

    public QueryResource(SoqlEngine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    public void register(Router router) {
        router.add("GET", "/query", (req, m) -> run(req, false))
                .add("GET", "/queryAll", (req, m) -> run(req, true))
                .add("GET", "/query/{locator}", this::nextBatch)
                .add("GET", "/queryAll/{locator}", this::nextBatch);
    }

    private ApiResponse run(ApiRequest req, boolean includeDeleted) {
        String soql = req.param("q");
        QueryResult result;
        try {
            result = engine.query(soql == null ? "" : soql, includeDeleted);
        } catch (SoqlException e) {
            throw new ApiException(400, ApiError.of(e.errorCode().name(), e.getMessage()));
        }
        if (result.isCount()) {
            return ApiResponse.ok(page(result.totalSize(), List.of(), true, null));
        }
        List<Map<String, Object>> rows = result.jsonRecords(req.apiVersion());
        int batchSize = batchSize(req);
        if (rows.size() <= batchSize) {
            return ApiResponse.ok(page(result.totalSize(), rows, true, null));
        }
        purgeIdleCursors();
        String locator = SalesforceIds.newId("01g", "5e", cursorSeq.incrementAndGet());
        cursors.put(locator, new Cursor(rows, batchSize, clock.instant()));
        return ApiResponse.ok(page(result.totalSize(), rows.subList(0, batchSize), false,
                req.versionPrefix() + "/query/" + locator + "-" + batchSize));
    }

    private ApiResponse nextBatch(ApiRequest req, Matcher m) {
        String raw = m.group("locator");
        int dash = raw.lastIndexOf('-');
        Cursor cursor = dash < 0 ? null : cursors.get(raw.substring(0, dash));
        int offset = -1;
        try {
            offset = dash < 0 ? -1 : Integer.parseInt(raw.substring(dash + 1));
        } catch (NumberFormatException e) {
            cursor = null;
        }
        if (cursor == null || offset < 0 || offset > cursor.rows.size()
                || cursor.lastUsed.plus(CURSOR_IDLE_TIMEOUT).isBefore(clock.instant())) {
            throw new ApiException(400, ApiError.of("INVALID_QUERY_LOCATOR", "invalid query locator"));
        }
        cursor.lastUsed = clock.instant();
        int end = Math.min(cursor.rows.size(), offset + cursor.batchSize);
        boolean done = end >= cursor.rows.size();
        String next = done ? null : req.versionPrefix() + "/query/" + raw.substring(0, dash) + "-" + end;
        if (done) {
            cursors.remove(raw.substring(0, dash));
        }
        return ApiResponse.ok(page(cursor.rows.size(), cursor.rows.subList(offset, end), done, next));
    }

    private static Map<String, Object> page(int totalSize, List<Map<String, Object>> records, boolean done,
                                            String nextRecordsUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", totalSize);
        body.put("done", done);
        if (nextRecordsUrl != null) {
            body.put("nextRecordsUrl", nextRecordsUrl);
        }
        body.put("records", records);
        return body;
    }

    /** {@code Sforce-Query-Options: batchSize=500}; Salesforce clamps it to 200..2000 (a hint, not a promise). */
    private static int batchSize(ApiRequest req) {
        String options = req.header("Sforce-Query-Options");
        if (options != null) {
            Matcher m = BATCH_SIZE.matcher(options);
            if (m.find()) {
                return Math.max(MIN_BATCH_SIZE, Math.min(DEFAULT_BATCH_SIZE, Integer.parseInt(m.group(1))));
            }
        }
        return DEFAULT_BATCH_SIZE;
    }

    private void purgeIdleCursors() {
        Instant cutoff = clock.instant().minus(CURSOR_IDLE_TIMEOUT);
        cursors.values().removeIf(c -> c.lastUsed.isBefore(cutoff));
    }
}
