package io.sfsync.source;

import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Drives a {@link SalesforceSourceTask} the way the worker does (start, poll, commitRecord, stop), with an offset
 * store that moves only at explicit {@link #checkpoint()} calls: restarting after records were polled but before a
 * checkpoint is a crash before the worker flushed its offsets.
 */
final class TaskHarness implements AutoCloseable {

    /** The committed offsets, shared across task restarts (as the worker's offset topic is). */
    static final class OffsetStore {
        final Map<Map<String, ?>, Map<String, Object>> committed = new ConcurrentHashMap<>();
    }

    private final Map<String, String> props;
    private final OffsetStore store;
    private final Map<Map<String, ?>, Map<String, ?>> pending = new HashMap<>();
    private SalesforceSourceTask task;
    final List<SourceRecord> received = new ArrayList<>();

    private final java.util.function.Supplier<SalesforceSourceTask> newTask;

    TaskHarness(Map<String, String> props, OffsetStore store) {
        this(props, store, SalesforceSourceTask::new);
    }

    /** With a task of the test's making (e.g. a client with its own API budget governor). */
    TaskHarness(Map<String, String> props, OffsetStore store, java.util.function.Supplier<SalesforceSourceTask> newTask) {
        this.props = props;
        this.store = store;
        this.newTask = newTask;
    }

    TaskHarness start() {
        task = newTask.get();
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return props;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return store.committed.get(partition);
                    }

                    @Override
                    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                        Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                        partitions.forEach(p -> out.put(p, store.committed.get(p)));
                        return out;
                    }
                };
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }
        });
        task.start(props);
        return this;
    }

    SalesforceSourceTask task() {
        return task;
    }

    /** One poll; every record is acknowledged (as if Kafka had written it) but its offset not yet committed. */
    List<SourceRecord> pollOnce() throws InterruptedException {
        List<SourceRecord> batch = task.poll();
        if (batch == null) {
            return List.of();
        }
        for (SourceRecord r : batch) {
            task.commitRecord(r, null);
            pending.put(r.sourcePartition(), r.sourceOffset());
        }
        received.addAll(batch);
        return batch;
    }

    /** Polls until {@code until} holds for all records received so far; fails after {@code bound}. */
    List<SourceRecord> pollUntil(Duration bound, Predicate<List<SourceRecord>> until) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!until.test(received)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + received.size() + " records");
            }
            pollOnce();
        }
        return received;
    }

    /** The worker flushed offsets: everything polled so far is committed. */
    void checkpoint() {
        pending.forEach((p, o) -> store.committed.put(p, new HashMap<>(o)));
        pending.clear();
    }

    @Override
    public void close() {
        if (task != null) {
            task.stop();
            task = null;
        }
    }
}
