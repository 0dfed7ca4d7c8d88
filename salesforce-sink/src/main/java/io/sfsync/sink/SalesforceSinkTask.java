package io.sfsync.sink;

import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.budget.ApiBudgetGovernor;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.error.SalesforceException;
import io.sfsync.sink.errors.ErrorRecord;
import io.sfsync.sink.errors.ErrorsTopicWriter;
import io.sfsync.sink.input.ChangeEventReader;
import io.sfsync.sink.input.RowChange;
import io.sfsync.sink.mapping.FieldMapper;
import io.sfsync.sink.mapping.WriteRequest;
import io.sfsync.sink.write.BatchingWriter;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Writes the records of its partitions into Salesforce: reads each change ({@link ChangeEventReader}), maps it
 * ({@link FieldMapper}), writes the batch ({@link BatchingWriter}), routes rejected records to the errant record
 * reporter, and commits only the offsets of records that were written or reported.
 *
 * <p>Everything {@code put()} gets is written before it returns (nothing is buffered across calls), so
 * {@link #preCommit} returns the offsets of the records handled by completed {@code put()}s, after their
 * dead-letter reports are acknowledged.
 */
public class SalesforceSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSinkTask.class);

    /** Headers added to a rejected record when it is reported: Salesforce's error code and message. */
    public static final String HEADER_ERROR_CODE = "sync.error.code";
    public static final String HEADER_ERROR_MESSAGE = "sync.error.message";
    public static final String HEADER_ERROR_OBJECT = "sync.error.object";

    private static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);
    /** How soon the worker redelivers a batch given back with a RetriableException (the waiting already happened). */
    static final Duration REDELIVERY_DELAY = Duration.ofSeconds(1);

    private final Function<SalesforceSinkConfig, SalesforceClient> clientFactory;
    private SalesforceSinkConfig config;
    private SalesforceClient client;
    private ChangeEventReader reader;
    private FieldMapper mapper;
    private BatchingWriter writer;
    private ErrantRecordReporter reporter;
    private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    private ErrorsTopicWriter errorsTopic;
    private java.util.concurrent.ExecutorService writers;
    private final List<Future<?>> pendingReports = new ArrayList<>();
    private SinkTaskMetrics counters = new SinkTaskMetrics(null, null, null);
    private long lastSummaryNanos = System.nanoTime();

    public SalesforceSinkTask() {
        this(SalesforceClients::create);
    }

    /** Tests inject how the client is built (their own governor registry, fast back-off). */
    SalesforceSinkTask(Function<SalesforceSinkConfig, SalesforceClient> clientFactory) {
        this.clientFactory = clientFactory;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        long started = System.nanoTime();
        config = new SalesforceSinkConfig(props);
        if (config.errorsTopic().isPresent()) {
            // First, so that a refused creation fails the task before it holds any resources.
            ErrorsTopicWriter.ensureTopic(config.errorsTopic().get(), config.errorsBootstrapServers(),
                    config.errorsProducerOverrides(), config.errorsTopicPartitions(),
                    config.errorsTopicReplicationFactor());
        }
        try {
            client = clientFactory.apply(config);
        } catch (FatalSalesforceException e) {
            throw new ConnectException("Salesforce login failed (" + config.authType().value() + " at "
                    + config.loginUrl() + "): " + e.getMessage() + ". Check the credentials.", e);
        }
        reader = new ChangeEventReader(config.changedColumnsHeader());
        mapper = new FieldMapper(config, name -> client.describe().describe(name),
                name -> client.describe().revalidate(name));
        if (config.writeConcurrency() > 1) {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            writers = java.util.concurrent.Executors.newFixedThreadPool(config.writeConcurrency(), r -> {
                Thread t = new Thread(r, "salesforce-sink-writer-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        writer = new BatchingWriter(() -> client, object -> mapper.externalIdField(client.describe().describe(object)),
                config.maxBatch(), config.bulkThreshold(), writers);
        if (config.errorsTopic().isPresent()) {
            errorsTopic = new ErrorsTopicWriter(config.errorsTopic().get(), config.errorsBootstrapServers(),
                    "salesforce-sink-errors-" + System.identityHashCode(this), config.errorsProducerOverrides());
        }
        PluginMetrics pluginMetrics;
        try {
            pluginMetrics = context.pluginMetrics();
        } catch (NoSuchMethodError | NoClassDefFoundError | UnsupportedOperationException e) {
            pluginMetrics = null; // a worker older than Kafka 4.1
        }
        counters = new SinkTaskMetrics(pluginMetrics, () -> client.metrics(), mapper::unmappedColumns);
        try {
            reporter = context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            reporter = null; // a worker older than Kafka 2.6
        }
        LOG.info("Salesforce sink task started in {} ms (client id '{}', {} records per call, bulk from {})",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), config.syncClientId(), config.maxBatch(),
                config.bulkThreshold());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        // Rejections are reported only once the whole batch is written: a batch given back for redelivery reports
        // nothing, so its rejected records are reported once, when it finally goes through.
        List<Rejection> rejections = new ArrayList<>();
        List<SinkRecord> writing = new ArrayList<>(records.size());
        List<Integer> positions = new ArrayList<>(records.size());
        List<WriteRequest> writes = new ArrayList<>(records.size());
        int skipped = 0;
        int written = 0;
        try {
            int position = 0;
            for (SinkRecord record : records) {
                Optional<WriteRequest> w;
                try {
                    w = reader.read(record).flatMap(change -> mapper.map(record.topic(), change));
                } catch (DataException e) {
                    rejections.add(new Rejection(position++, record, "INVALID_INPUT", e.getMessage(), null));
                    continue;
                }
                if (w.isPresent()) {
                    writing.add(record);
                    positions.add(position);
                    writes.add(w.get());
                } else {
                    skipped++;
                }
                position++;
            }
            List<BatchingWriter.Outcome> outcomes = writer.write(writes);
            for (BatchingWriter.Outcome o : outcomes) {
                if (o.success()) {
                    written++;
                } else {
                    rejections.add(new Rejection(positions.get(o.index()), writing.get(o.index()), o.errorCode(),
                            o.errorMessage(), writes.get(o.index())));
                }
            }
        } catch (SalesforceException e) {
            if (e.isRetriable() || e.category() == io.sfsync.salesforce.error.ErrorCategory.REAUTHENTICATE) {
                // Out of API budget (after salesforce.budget.max.wait.ms) or still failing transiently: give the
                // batch back. We throw RetriableException rather than pause partitions and keep the batch: the
                // worker then pauses every partition itself, keeps polling its consumer (so it stays in the group
                // however long the shortage lasts) and redelivers exactly this batch, and a rebalance in between
                // simply hands the partitions over with their committed offsets. Keeping the batch ourselves would
                // need our own buffer, its offsets in preCommit, and care on close(); this needs none of that.
                // Nothing of the batch is committed; what was already written is written again on redelivery,
                // which is safe: upserts by External ID and updates by Id are idempotent.
                counters.redeliveries.incrementAndGet();
                if (ApiBudgetGovernor.BUDGET_WAIT_TIMEOUT.equals(e.errorCode())) {
                    counters.budgetTimeouts.incrementAndGet();
                }
                // Without a timeout the worker redelivers only at its next offset commit (up to a minute later).
                context.timeout(REDELIVERY_DELAY.toMillis());
                throw new RetriableException("Salesforce is not accepting writes now; the batch will be "
                        + "redelivered: " + e.getMessage(), e);
            }
            throw new ConnectException("Salesforce refused the writes: " + e.getMessage(), e);
        }
        rejections.sort(java.util.Comparator.comparingInt(Rejection::position));
        for (Rejection r : rejections) {
            reject(r.record(), r.code(), r.message(), r.write());
        }
        counters.skipped.addAndGet(skipped);
        counters.written.addAndGet(written);
        for (SinkRecord record : records) {
            handled.put(new TopicPartition(record.originalTopic(), record.originalKafkaPartition()),
                    new OffsetAndMetadata(record.originalKafkaOffset() + 1));
        }
        maybeLogSummary();
    }

    private record Rejection(int position, SinkRecord record, String code, String message, WriteRequest write) {
    }

    private void reject(SinkRecord record, String code, String message, WriteRequest write) {
        counters.rejected.incrementAndGet();
        LOG.debug("Record {}-{}@{} rejected: {}", record.topic(), record.kafkaPartition(), record.kafkaOffset(), code);
        String object = write == null ? null : write.object();
        if (errorsTopic != null) {
            pendingReports.add(errorsTopic.send(new ErrorRecord(record.originalTopic(),
                    record.originalKafkaPartition(), record.originalKafkaOffset(), object,
                    write == null ? null : write.key(), write == null ? null : write.sfid(),
                    write == null ? "INPUT" : write.kind().name(), code, message, Instant.now())));
        }
        if (reporter == null && errorsTopic != null) {
            return;
        }
        if (reporter == null) {
            throw new ConnectException("Salesforce rejected a record (" + code + ": " + message + ") and no "
                    + "dead-letter queue is available; set errors.tolerance=all and errors.deadletterqueue.topic.name");
        }
        Headers headers = new ConnectHeaders(record.headers());
        headers.addString(HEADER_ERROR_CODE, code);
        headers.addString(HEADER_ERROR_MESSAGE, message);
        if (object != null) {
            headers.addString(HEADER_ERROR_OBJECT, object);
        }
        // A new SinkRecord, not record.newRecord(...): Connect writes a record that came from its consumer (and
        // anything derived from it by newRecord) to the DLQ as the original bytes, dropping headers added here. A
        // plain SinkRecord is serialized again with the task's converters, headers included. It names the original
        // topic, partition and offset, so the DLQ context headers point at the consumed record.
        SinkRecord withHeaders = new SinkRecord(record.originalTopic(), record.originalKafkaPartition(),
                record.keySchema(), record.key(), record.valueSchema(), record.value(),
                record.originalKafkaOffset(), record.timestamp(), record.timestampType(), headers);
        pendingReports.add(reporter.report(withHeaders, new RecordRejectedBySalesforce(code, message)));
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        for (Future<?> f : pendingReports) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Map.of();
            } catch (ExecutionException e) {
                throw new ConnectException("A rejected record could not be reported to the dead-letter queue or "
                        + "errors topic", e);
            }
        }
        pendingReports.clear();
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        handled.forEach((tp, offset) -> {
            if (currentOffsets.containsKey(tp)) {
                out.put(tp, offset);
            }
        });
        return out;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        partitions.forEach(handled::remove);
    }

    @Override
    public void stop() {
        if (writers != null) {
            writers.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
        if (errorsTopic != null) {
            errorsTopic.close();
        }
        counters.close();
        LOG.info("Salesforce sink task stopped: {}", counters);
    }

    /** The task's counters, for tests and the periodic summary. */
    SinkTaskMetrics counters() {
        return counters;
    }

    io.sfsync.salesforce.metrics.ClientMetrics clientMetrics() {
        return client.metrics();
    }

    FieldMapper mapper() {
        return mapper;
    }

    private void maybeLogSummary() {
        long now = System.nanoTime();
        if (now - lastSummaryNanos >= SUMMARY_EVERY.toNanos()) {
            lastSummaryNanos = now;
            LOG.info("Salesforce sink: {}, {} unmapped columns", counters, mapper.unmappedColumns());
        }
    }

    /** The error reported with a rejected record: its message starts with Salesforce's error code. */
    public static final class RecordRejectedBySalesforce extends ConnectException {
        private final String code;

        public RecordRejectedBySalesforce(String code, String message) {
            super(code + ": " + message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
