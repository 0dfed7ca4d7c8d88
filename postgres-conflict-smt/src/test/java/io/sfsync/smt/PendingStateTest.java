package io.sfsync.smt;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.sfsync.smt.PendingState.Pending;
import io.sfsync.smt.PendingState.RowKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The memory bounds of the pending state. */
class PendingStateTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;

    private static Pending pending(String value) {
        return new Pending(value, Instant.EPOCH, null);
    }

    @Test
    void maxRowsEvicts() {
        PendingState state = new PendingState(100, Duration.ofMinutes(10), 4, ticker, Runnable::run);
        for (int i = 0; i < 1_000; i++) {
            state.add(new RowKey("pg.public.account", "row-" + i), "name", pending("v" + i));
        }

        assertThat(state.rows()).isLessThanOrEqualTo(100).isPositive();
    }

    @Test
    void rowsExpireAfterTheirLastChange() {
        PendingState state = new PendingState(100, Duration.ofMinutes(10), 4, ticker, Runnable::run);
        RowKey old = new RowKey("t", "old");
        RowKey fresh = new RowKey("t", "fresh");
        state.add(old, "name", pending("a"));
        nanos.addAndGet(Duration.ofMinutes(9).toNanos());
        state.add(fresh, "name", pending("b"));
        nanos.addAndGet(Duration.ofMinutes(2).toNanos());

        assertThat(state.pending(old, "name")).isEmpty();
        assertThat(state.pending(fresh, "name")).extracting(Pending::value).containsExactly("b");
    }

    @Test
    void transformBoundsRowsByConfig() {
        PostgresConflictTransform transform = new PostgresConflictTransform();
        transform.configure(Changes.config("state.max.rows", 10));
        try {
            for (int i = 0; i < 200; i++) {
                transform.apply(Changes.change("c", null, Changes.row("id", "r" + i, "name", "n"),
                        Instant.EPOCH));
            }
            assertThat(transform.state().rows()).isLessThanOrEqualTo(10);
            assertThat(transform.metrics().getPendingRows()).isLessThanOrEqualTo(10);
        } finally {
            transform.close();
        }
    }
}
