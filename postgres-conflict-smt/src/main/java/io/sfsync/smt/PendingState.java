package io.sfsync.smt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The values forwarded to Salesforce whose echo has not come back yet, per row and column. In memory only, bounded
 * by rows ({@code state.max.rows}, Caffeine's size eviction), by age since the row's last change
 * ({@code state.ttl.ms}) and by values per column ({@code state.max.pending.per.column}, oldest dropped).
 *
 * <p>Used from the task's one converter thread: Connect applies a transformation chain from a single thread per
 * task, so the per-row maps need no locking; Caffeine's cache itself is thread-safe.
 */
final class PendingState {

    /** One forwarded value of a column: what we sent, when Postgres committed it, and what it was based on. */
    record Pending(Object value, Instant committedAt, Instant base) {
    }

    /** The row a record belongs to: its topic and its Debezium key (compared by value). */
    /**
     * The row a record belongs to: its topic and its Debezium key (a struct of the primary key columns, which
     * compares and hashes by value).
     */
    record RowKey(String topic, Object key) {
    }

    private final Cache<RowKey, Map<String, Deque<Pending>>> rows;
    private final int maxPendingPerColumn;

    PendingState(int maxRows, Duration ttl, int maxPendingPerColumn) {
        this(maxRows, ttl, maxPendingPerColumn, Ticker.systemTicker(), Runnable::run);
    }

    /** For tests: a controllable clock, and eviction run on the caller's thread so it is deterministic. */
    PendingState(int maxRows, Duration ttl, int maxPendingPerColumn, Ticker ticker, Executor executor) {
        this.rows = Caffeine.newBuilder()
                .maximumSize(maxRows)
                .expireAfterWrite(ttl)
                .ticker(ticker)
                .executor(executor)
                .build();
        this.maxPendingPerColumn = maxPendingPerColumn;
    }

    /** Remembers a forwarded value of a column (the oldest is forgotten beyond the per-column bound). */
    void add(RowKey row, String column, Pending pending) {
        Map<String, Deque<Pending>> columns = rows.getIfPresent(row);
        if (columns == null) {
            columns = new HashMap<>(4);
        }
        Deque<Pending> values = columns.computeIfAbsent(column, c -> new ArrayDeque<>(2));
        values.addLast(pending);
        while (values.size() > maxPendingPerColumn) {
            values.removeFirst();
        }
        // put (not only mutate) so the row's age restarts and its weight in the eviction policy is refreshed
        rows.put(row, columns);
    }

    /** The pending values of a column, oldest first; empty when none. */
    Deque<Pending> pending(RowKey row, String column) {
        Map<String, Deque<Pending>> columns = rows.getIfPresent(row);
        Deque<Pending> values = columns == null ? null : columns.get(column);
        return values == null ? new ArrayDeque<>() : values;
    }

    /**
     * The echo of {@code confirmed} came back: it and every older pending value of the column are done (Salesforce
     * applied them in order).
     */
    void confirm(RowKey row, String column, Pending confirmed) {
        Map<String, Deque<Pending>> columns = rows.getIfPresent(row);
        if (columns == null) {
            return;
        }
        Deque<Pending> values = columns.get(column);
        if (values == null) {
            return;
        }
        while (!values.isEmpty()) {
            if (values.removeFirst() == confirmed) {
                break;
            }
        }
        if (values.isEmpty()) {
            columns.remove(column);
        }
        if (columns.isEmpty()) {
            rows.invalidate(row);
        }
    }

    /** The row is gone (deleted): nothing of it is pending any more. */
    void clear(RowKey row) {
        rows.invalidate(row);
    }

    /** Rows remembered now (after pending evictions have run). */
    long rows() {
        rows.cleanUp();
        return rows.estimatedSize();
    }

    void clearAll() {
        rows.invalidateAll();
        rows.cleanUp();
    }
}
