package io.sfsync.smt;

import java.lang.ref.Reference;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * Prints the heap the pending state of a full {@code state.max.rows} (100,000 rows, one pending text value on two
 * columns each) takes, and how fast Postgres-origin updates go through the transform. Figures, not assertions:
 * run with {@code -Dtest=PendingStateFootprintBenchmark}.
 */
class PendingStateFootprintBenchmark {

    @Test
    void footprintAndThroughput() {
        PostgresConflictTransform transform = new PostgresConflictTransform();
        transform.configure(Changes.config());
        int rows = 100_000;
        SourceRecord[] updates = new SourceRecord[rows];
        for (int i = 0; i < rows; i++) {
            Struct before = Changes.row("id", "row-" + i, "name", "Name " + i, "rating", "Hot",
                    "_sync_version", "cdc:" + i);
            updates[i] = Changes.change("u", before, Changes.with(before, "name", "New name " + i, "rating", "Warm"),
                    Instant.EPOCH.plusSeconds(i));
        }
        long heapBefore = usedHeapAfterGc();
        long started = System.nanoTime();
        for (SourceRecord update : updates) {
            transform.apply(update);
        }
        long elapsed = System.nanoTime() - started;
        long heapAfter = usedHeapAfterGc();
        // the input records stay reachable across both measurements, so only the state's growth is counted
        Reference.reachabilityFence(updates);
        System.out.printf("pending state: %d rows, %.1f MB heap (%.0f bytes/row); %d updates in %d ms (%.0f/s)%n",
                transform.state().rows(), (heapAfter - heapBefore) / 1e6, (heapAfter - heapBefore) / (double) rows,
                rows, TimeUnit.NANOSECONDS.toMillis(elapsed), rows / (elapsed / 1e9));
        transform.close();
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
