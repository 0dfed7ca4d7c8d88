package io.sfsync.smt;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class TransformMetricsTest {

    @Test
    void countersAreInJmxUntilClose() throws Exception {
        PostgresConflictTransform transform = new PostgresConflictTransform();
        transform.configure(Changes.config());
        ObjectName name = transform.metrics().objectName();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            assertThat(name.getDomain()).isEqualTo("sfsync.smt");
            assertThat(name.getKeyProperty("type")).isEqualTo("conflict-transform");
            transform.apply(Changes.change("c", null, Changes.row("id", "m1", "name", "n"), Instant.EPOCH));
            transform.apply(Changes.tombstone("m1"));

            assertThat(server.getAttribute(name, "Forwarded")).isEqualTo(1L);
            assertThat(server.getAttribute(name, "DroppedTombstones")).isEqualTo(1L);
            assertThat(server.getAttribute(name, "PendingRows")).isEqualTo(1L);
        } finally {
            transform.close();
        }
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void summaryIsLoggedAtMostOncePerInterval() {
        AtomicLong nanos = new AtomicLong();
        TransformMetrics metrics = new TransformMetrics(() -> 0, Duration.ofMinutes(1), nanos::get);

        assertThat(metrics.maybeLogSummary()).isFalse();
        nanos.set(Duration.ofSeconds(59).toNanos());
        assertThat(metrics.maybeLogSummary()).isFalse();
        nanos.set(Duration.ofSeconds(60).toNanos());
        assertThat(metrics.maybeLogSummary()).isTrue();
        nanos.set(Duration.ofSeconds(61).toNanos());
        assertThat(metrics.maybeLogSummary()).isFalse();
        nanos.set(Duration.ofSeconds(120).toNanos());
        assertThat(metrics.maybeLogSummary()).isTrue();
    }
}
