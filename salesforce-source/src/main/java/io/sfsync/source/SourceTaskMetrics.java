package io.sfsync.source;

import io.sfsync.salesforce.metrics.ClientMetrics;
import io.sfsync.salesforce.streaming.StreamingMetrics;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.utils.Time;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Per-task metrics in JMX under {@code sfsync.source:type=source-task-metrics,connector=<name>,objects=<A_B>}:
 * change events per second and in total, records, lag (now − commit timestamp of the last event), last replay id,
 * gaps, resyncs, schema refreshes, Salesforce API calls, remaining API budget and streaming re-handshakes.
 * Registered with Kafka's metrics library; closed (unregistered) in {@link SalesforceSourceTask#stop()}.
 */
final class SourceTaskMetrics implements AutoCloseable {

    static final String DOMAIN = "sfsync.source";
    static final String GROUP = "source-task-metrics";

    private final Metrics metrics;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final Sensor events;
    private final Sensor records;
    private final AtomicReference<Instant> lastCommit = new AtomicReference<>();
    private final AtomicLong lastReplayId = new AtomicLong(-1);

    SourceTaskMetrics(String connector, List<String> objects, AtomicLong gaps, AtomicLong resyncs,
                      AtomicLong schemaRefreshes, Supplier<ClientMetrics> client, Supplier<StreamingMetrics> streaming) {
        tags.put("connector", connector == null ? "unnamed" : connector);
        tags.put("objects", String.join("_", objects));
        metrics = new Metrics(new MetricConfig(), List.of(new JmxReporter()), Time.SYSTEM,
                new KafkaMetricsContext(DOMAIN));
        events = metrics.sensor("events");
        events.add(name("change-events-rate", "Change events received per second"), new Rate());
        events.add(name("change-events-total", "Change events received"), new CumulativeSum());
        records = metrics.sensor("records");
        records.add(name("records-rate", "Records produced per second (snapshot and changes)"), new Rate());
        records.add(name("records-total", "Records produced (snapshot and changes)"), new CumulativeSum());
        gauge("lag-ms", "Now minus the commit timestamp of the last change event", (c, now) -> {
            Instant t = lastCommit.get();
            return t == null ? 0 : Math.max(0, now - t.toEpochMilli());
        });
        gauge("last-replay-id", "Replay id of the last change event", (c, now) -> lastReplayId.get());
        gauge("gaps-total", "GAP_* and GAP_OVERFLOW events", (c, now) -> gaps.get());
        gauge("resyncs-total", "Resyncs (GAP_OVERFLOW, expired replay id)", (c, now) -> resyncs.get());
        gauge("schema-refreshes-total", "Re-describes after an event carried an unknown field",
                (c, now) -> schemaRefreshes.get());
        gauge("api-calls-total", "Salesforce API calls made by the task", (c, now) -> {
            ClientMetrics m = client.get();
            return m == null ? 0 : m.totalCalls();
        });
        gauge("api-budget-remaining", "Remaining daily API requests as last seen", (c, now) -> {
            ClientMetrics m = client.get();
            return m == null ? 0 : m.budgetRemaining();
        });
        gauge("api-budget-waits-total", "Calls that waited for API budget (the daily share was used up)",
                (c, now) -> {
                    ClientMetrics m = client.get();
                    return m == null ? 0 : m.budgetWaits();
                });
        gauge("streaming-rehandshakes-total", "CometD re-handshakes", (c, now) -> {
            StreamingMetrics m = streaming.get();
            return m == null ? 0 : m.rehandshakes();
        });
    }

    private MetricName name(String name, String description) {
        return metrics.metricName(name, GROUP, description, tags);
    }

    private void gauge(String name, String description, Measurable value) {
        metrics.addMetric(name(name, description), value);
    }

    void eventReceived(long replayId, Instant commitTimestamp) {
        events.record();
        lastReplayId.set(replayId);
        if (commitTimestamp != null) {
            lastCommit.set(commitTimestamp);
        }
    }

    void recordsProduced(int n) {
        if (n > 0) {
            records.record(n);
        }
    }

    Map<String, String> tags() {
        return tags;
    }

    @Override
    public void close() {
        metrics.close();
    }
}
