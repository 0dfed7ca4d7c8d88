package io.sfsync.sink;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sink task context for driving a task directly: records what the errant-record reporter was given. */
final class TestContext implements SinkTaskContext {

    record Report(SinkRecord record, Throwable error) {
    }

    final List<Report> reports = new CopyOnWriteArrayList<>();
    /** The last redelivery timeout the task asked for, -1 if none. */
    volatile long timeoutMs = -1;

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
    }

    @Override
    public void timeout(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.of(new TopicPartition(SalesforceSinkTaskTest.TOPIC, 0));
    }

    @Override
    public void pause(TopicPartition... partitions) {
    }

    @Override
    public void resume(TopicPartition... partitions) {
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
        return null;
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        return (record, error) -> {
            reports.add(new Report(record, error));
            return CompletableFuture.completedFuture(null);
        };
    }
}
