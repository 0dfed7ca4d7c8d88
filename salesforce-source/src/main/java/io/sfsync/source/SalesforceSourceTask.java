package io.sfsync.source;

import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.budget.ApiBudgetGovernor;
import io.sfsync.salesforce.error.SalesforceException;
import io.sfsync.salesforce.metadata.SObjectDescribe;
import io.sfsync.salesforce.query.QueryCursor;
import io.sfsync.salesforce.streaming.CdcStreamException;
import io.sfsync.salesforce.streaming.CdcSubscriber;
import io.sfsync.salesforce.streaming.ChangeEvent;
import io.sfsync.salesforce.streaming.ChangeType;
import io.sfsync.salesforce.streaming.InvalidReplayIdPolicy;
import io.sfsync.salesforce.streaming.ReplayIdInvalid;
import io.sfsync.source.SalesforceSourceConfig.InvalidReplayPolicy;
import io.sfsync.source.mapping.ObjectSchema;
import io.sfsync.source.mapping.RecordMapper;
import io.sfsync.source.offset.ObjectOffset;
import io.sfsync.source.reader.SnapshotReader;
import io.sfsync.source.reader.SyncKeyResolver;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Snapshot then Change Data Capture for the objects of one task.
 *
 * <h2>Hand-over from snapshot to stream without a gap</h2>
 * The task subscribes to every object's CDC channel <em>before</em> it reads the first snapshot page, and waits until
 * the subscriptions are confirmed ({@link CdcSubscriber#awaitSubscribed}). From then on the server queues every
 * change for us, so a change made while the snapshot runs is delivered. Snapshot pages are read one page ahead on
 * the reader's background thread ({@link SnapshotReader#prefetch()}), and the read of the next page starts only at the
 * end of a {@link #poll()}, after it has drained the change events: each {@code poll()} returns the page read ahead,
 * then the events that arrived since that read started, in that order. A snapshot row is therefore always read
 * <em>after</em> every event emitted before it, so it is at least as fresh as them; an event that arrives later is
 * applied after the row (CDC order is commit order, so the last write per field wins with the right value). While
 * the page is not ready, {@code poll()} drains no event (one could otherwise overtake the page).
 * Events for rows the snapshot has not reached yet upsert partial rows that the snapshot row then completes.
 *
 * <h2>Offsets</h2>
 * One {@link ObjectOffset} per object. On restart: a stored replay id resumes the stream exactly (events after it are
 * replayed by Salesforce, within its 72-hour retention) and an interrupted snapshot resumes after its cursor. Without
 * a replay id (nothing streamed yet), the stream can only start from the tip, so changes made while the task was
 * down would be missed: an interrupted initial snapshot then starts again, and a finished one is followed by a resync
 * window from the newest {@code SystemModstamp} it saw.
 */
public class SalesforceSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSourceTask.class);

    private final Function<SalesforceSourceConfig, SalesforceClient> clientFactory;
    private SalesforceSourceConfig config;
    private SalesforceClient client;
    private CdcSubscriber subscriber;
    private RecordMapper mapper;
    private SyncKeyResolver keys;
    private SourceTaskMetrics metrics;
    private final Map<String, ObjectState> byObject = new LinkedHashMap<>();
    private final Map<String, ObjectState> byChannel = new HashMap<>();
    /** Change events drained from the subscriber whose records have not been handed to Connect yet, in order. */
    private final java.util.ArrayDeque<ChangeEvent> undelivered = new java.util.ArrayDeque<>();
    /** Highest replay id per channel whose record Kafka acknowledged: the subscriber resumes from it. */
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> resyncRequests = new ConcurrentLinkedQueue<>();
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong resyncs = new AtomicLong();
    final AtomicLong schemaRefreshes = new AtomicLong();
    private Instant subscribedAt;
    private long sessionsSeen;

    public SalesforceSourceTask() {
        this(SalesforceSourceTask::connect);
    }

    SalesforceSourceTask(Function<SalesforceSourceConfig, SalesforceClient> clientFactory) {
        this.clientFactory = clientFactory;
    }

    /** The task's client, with the shared request timeout and API budget settings; its org governor is the JVM's. */
    static SalesforceClient connect(SalesforceSourceConfig c) {
        return c.clientBuilder().build();
    }

    @Override
    public String version() {
        return Version.get();
    }

    /** The per-object state of the task. */
    static final class ObjectState {
        final String object;
        final String channel;
        final String topic;
        final Map<String, String> partition;
        ObjectSchema schema;
        ObjectOffset offset;
        SnapshotReader snapshot;
        /** A new CometD session began while nothing had been streamed: re-read the window once the snapshot ends. */
        boolean resyncAfterSnapshot;

        ObjectState(String object, String topic, ObjectSchema schema, ObjectOffset offset) {
            this.object = object;
            this.channel = channelOf(object);
            this.topic = topic;
            this.partition = ObjectOffset.partition(object);
            this.schema = schema;
            this.offset = offset;
        }
    }

    /** {@code Account} → {@code /data/AccountChangeEvent}; {@code Invoice__c} → {@code /data/Invoice__ChangeEvent}. */
    static String channelOf(String object) {
        String base = object.endsWith("__c") ? object.substring(0, object.length() - 1) : object;
        return "/data/" + base + "ChangeEvent";
    }

    @Override
    public void start(Map<String, String> props) {
        long started = System.nanoTime();
        config = new SalesforceSourceConfig(props);
        mapper = new RecordMapper(config.syncClientId(), config.deleteMode());
        try {
            client = clientFactory.apply(config);
            keys = new SyncKeyResolver(client, 200_000);
            metrics = new SourceTaskMetrics(props.get("name"), config.taskObjects(), gaps, resyncs, schemaRefreshes,
                    () -> client == null ? null : client.metrics(),
                    () -> subscriber == null ? null : subscriber.metrics());
            Map<String, Long> startFrom = new LinkedHashMap<>();
            for (String object : config.taskObjects()) {
                ObjectState s = new ObjectState(object, config.topicFor(object), schemaOf(object),
                        initialOffset(object));
                byObject.put(object, s);
                byChannel.put(s.channel, s);
                startFrom.put(s.channel, s.offset.replayId() != null ? s.offset.replayId()
                        : CdcSubscriber.REPLAY_FROM_TIP);
                if (s.offset.snapshotting()) {
                    s.snapshot = newReader(s);
                }
            }
            subscriber = CdcSubscriber.builder(client)
                    .channels(startFrom)
                    .replayStore(channel -> {
                        Long id = acknowledged.get(channel);
                        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
                    })
                    .invalidReplayIdPolicy(this::onInvalidReplayId)
                    .queueCapacity(config.queueCapacity())
                    .threadNamePrefix("sfsync-source")
                    .start();
            // Subscribed before any snapshot page is read: see the class comment.
            if (!subscriber.awaitSubscribed(config.subscribeTimeout())) {
                throw subscriber.failure().<ConnectException>map(f -> new ConnectException(
                        "CDC subscription failed: " + f.getMessage() + policyHint(f), f)).orElseGet(() ->
                        new ConnectException("CDC subscriptions not confirmed within " + config.subscribeTimeout()));
            }
            subscribedAt = Instant.now();
            sessionsSeen = sessions();
            // No event has been emitted yet: the first page may be read ahead at once.
            ObjectState first = snapshotting();
            if (first != null) {
                first.snapshot.prefetch();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new ConnectException("interrupted while starting", e);
        } catch (RuntimeException e) {
            stop();
            throw e instanceof ConnectException ce ? ce : new ConnectException("task start failed: " + e.getMessage(), e);
        }
        LOG.info("Salesforce source task started in {} ms: objects {}, snapshotting {}",
                (System.nanoTime() - started) / 1_000_000, byObject.keySet(),
                byObject.values().stream().filter(s -> s.offset.snapshotting()).map(s -> s.object).toList());
    }

    private ObjectSchema schemaOf(String object) {
        while (true) {
            try {
                SObjectDescribe d = client.describe().describe(object);
                return ObjectSchema.of(d, config.includedFields(object), config.excludedFields(object),
                        config.syncKeyExternalIdField(), config.syncKeyColumn(), config.topicFor(object));
            } catch (SalesforceException e) {
                // Connect fails a task whose start() throws, so start() waits for budget as long as it takes; only
                // poll() gives up after salesforce.budget.max.wait.ms. Nothing was sent: ask again.
                if (!budgetWaitTimedOut(e)) {
                    throw e;
                }
            }
        }
    }

    /** Whether a call gave up waiting for API budget after {@code salesforce.budget.max.wait.ms} (nothing sent). */
    private static boolean budgetWaitTimedOut(SalesforceException e) {
        return ApiBudgetGovernor.BUDGET_WAIT_TIMEOUT.equals(e.errorCode());
    }

    /** Names the key that made an expired replay id fatal, and the alternatives, on the task's failure message. */
    private String policyHint(CdcStreamException e) {
        return e.reason() != CdcStreamException.Reason.REPLAY_ID_INVALID ? ""
                : " (" + SalesforceSourceConfig.INVALID_REPLAY_POLICY + "=" + config.invalidReplayPolicy()
                        + "; RESYNC re-reads the records changed since the last committed event, LATEST goes on"
                        + " from now)";
    }

    private ObjectOffset initialOffset(String object) {
        Map<String, Object> stored = context.offsetStorageReader().offset(ObjectOffset.partition(object));
        if (stored == null) {
            return config.snapshotMode() == SalesforceSourceConfig.SnapshotMode.INITIAL
                    ? ObjectOffset.initialSnapshot() : ObjectOffset.streaming();
        }
        ObjectOffset o = ObjectOffset.fromMap(stored);
        if (o.replayId() != null) {
            return o;
        }
        // Nothing streamed yet: the stream restarts from the tip, so re-read what may have changed meanwhile.
        if (o.snapshotting()) {
            return o.since() == null ? ObjectOffset.initialSnapshot() : o.resync(o.since());
        }
        return o.resync(o.commitTimestamp());
    }

    private SnapshotReader newReader(ObjectState s) {
        return new SnapshotReader(client, s.schema, s.offset.cursor(), s.offset.since(),
                config.snapshotPageSize(), config.bulkThreshold());
    }

    private InvalidReplayIdPolicy.Action onInvalidReplayId(ReplayIdInvalid report) {
        InvalidReplayPolicy policy = config.invalidReplayPolicy();
        LOG.warn("Replay id {} of {} is no longer valid (expired or unknown); policy {}", report.replayId(),
                report.channel(), policy);
        return switch (policy) {
            case RESYNC -> {
                resyncRequests.add(report.channel());
                yield InvalidReplayIdPolicy.Action.RESYNC;
            }
            case FAIL -> InvalidReplayIdPolicy.Action.FAIL;
            case LATEST -> InvalidReplayIdPolicy.Action.LATEST;
        };
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        try {
            String channel;
            while ((channel = resyncRequests.poll()) != null) {
                ObjectState s = byChannel.get(channel);
                if (s != null) {
                    startResync(s, "expired replay id");
                }
            }
            checkForNewSession();
            if (!undelivered.isEmpty()) {
                // Events drained before a failure go first, before any new page: that page's read starts after they
                // were drained, so it must come after them (see readPage).
                return emit(deliverEvents(out));
            }
            ObjectState snapshotting = snapshotting();
            if (snapshotting != null) {
                // The page was read ahead, its read started after the previous poll() had drained the events: it is
                // at least as fresh as every event emitted so far, and the events drained below (arrived since) go
                // after it. Not ready yet: return nothing and drain no event, or an event could overtake the page.
                List<Map<String, Object>> page = snapshotting.snapshot.awaitPage(config.pollTimeout());
                if (page == null) {
                    return out;
                }
                readPage(snapshotting, page, out);
            }
            for (ChangeEvent e : subscriber.poll(snapshotting != null ? Duration.ofMillis(1)
                    : config.pollTimeout(), config.maxBatchSize())) {
                metrics.eventReceived(e.replayId(), e.header().commitTimestamp());
                undelivered.add(e);
            }
            return emit(deliverEvents(out));
        } catch (CdcStreamException e) {
            throw new ConnectException("Salesforce CDC stream stopped (" + e.reason() + "): " + e.getMessage()
                    + policyHint(e), e);
        } catch (SalesforceException e) {
            if (budgetWaitTimedOut(e)) {
                // No API budget within salesforce.budget.max.wait.ms: hand the thread back to the worker (so it can
                // stop or rebalance the task) with nothing. Nothing is lost: the event that needed the call is still
                // first in `undelivered`, a snapshot page is read again from the same cursor. The governor logs the
                // shortage once (WARN) and its end (INFO); the worker polls again at once.
                LOG.debug("No API budget within {} ms; poll() returns {} records", config.budgetMaxWait().toMillis(),
                        out.size());
                if (out.isEmpty()) {
                    // As a poll() without events would: with a bound of 0 the worker would otherwise spin on us.
                    Thread.sleep(config.pollTimeout().toMillis());
                }
                return emit(out);
            }
            if (e instanceof io.sfsync.salesforce.error.RetriableSalesforceException) {
                throw new RetriableException(e.getMessage(), e);
            }
            throw new ConnectException(e.getMessage(), e);
        }
    }

    /** Hands a batch to Connect, first starting to read the next page while Connect sends this one (see readPage). */
    private List<SourceRecord> emit(List<SourceRecord> out) {
        if (undelivered.isEmpty()) {
            ObjectState next = snapshotting();
            if (next != null) {
                next.snapshot.prefetch();
            }
        }
        metrics.recordsProduced(out.size());
        return out;
    }

    /**
     * Turns the drained events into records, in order. The subscriber has handed them over for good, so an event whose
     * records cannot be built now (a re-fetch, key lookup or describe failing retriably, e.g. waiting for API budget
     * past the retry time) must not be lost with the exception: it stays first in {@link #undelivered}, its partial
     * records and offset are rolled back, and the records of the events before it are returned. With none, the
     * failure is thrown as retriable and the next poll() starts again with that event.
     */
    private List<SourceRecord> deliverEvents(List<SourceRecord> out) {
        ChangeEvent e;
        while ((e = undelivered.peek()) != null) {
            ObjectState s = byChannel.get(e.channel());
            if (s != null) {
                int mark = out.size();
                ObjectOffset before = s.offset;
                try {
                    onEvent(s, e, out);
                } catch (io.sfsync.salesforce.error.RetriableSalesforceException | RetriableException failure) {
                    out.subList(mark, out.size()).clear();
                    s.offset = before;
                    if (out.isEmpty()) {
                        throw failure;
                    }
                    LOG.warn("Change event {} of {} could not be processed yet ({}); it is retried after the {} "
                            + "records before it", e.replayId(), s.object, failure.getMessage(), out.size());
                    return out;
                }
            }
            undelivered.poll();
        }
        return out;
    }

    private ObjectState snapshotting() {
        for (ObjectState s : byObject.values()) {
            if (s.snapshot != null) {
                return s;
            }
        }
        return null;
    }

    private long sessions() {
        return subscriber.metrics().sessions() + subscriber.metrics().rehandshakes();
    }

    /**
     * A channel that has handed over no event yet resubscribes from the tip after a re-handshake or a new session
     * (Salesforce never tells the tip's replay id), so changes made in between would be missed: re-read the window
     * since the first subscription (the snapshot reader opens it a margin earlier, absorbing clock skew).
     */
    private void checkForNewSession() {
        long now = sessions();
        if (now == sessionsSeen) {
            return;
        }
        sessionsSeen = now;
        for (ObjectState s : byObject.values()) {
            if (s.offset.replayId() != null) {
                continue;
            }
            if (s.offset.commitTimestamp() == null || s.offset.commitTimestamp().isAfter(subscribedAt)) {
                s.offset = new ObjectOffset(s.offset.phase(), s.offset.cursor(), s.offset.since(), null, subscribedAt);
            }
            if (s.snapshot != null && s.offset.since() == null) {
                s.resyncAfterSnapshot = true;
            } else if (s.snapshot == null) {
                startResync(s, "new streaming session before any event");
            }
        }
    }

    private void startResync(ObjectState s, String why) {
        resyncs.incrementAndGet();
        Instant since = s.offset.commitTimestamp();
        LOG.warn("Resynchronising {} ({}): re-reading records modified since {}", s.object, why,
                since == null ? "the beginning" : since);
        if (s.snapshot != null) {
            s.snapshot.close();
        }
        s.offset = s.offset.resync(since);
        s.snapshot = newReader(s);
    }

    private void readPage(ObjectState s, List<Map<String, Object>> rows, List<SourceRecord> out) {
        int lastRowStart = out.size();
        for (Map<String, Object> row : rows) {
            lastRowStart = out.size();
            String id = String.valueOf(row.get("id"));
            String key = SyncKeyResolver.keyOf(id, externalIdOf(s, row));
            keys.remember(id, key);
            String type = s.offset.since() != null ? RecordMapper.RESYNC : RecordMapper.SNAPSHOT;
            List<RecordMapper.Mapped> mapped = SnapshotReader.deleted(row)
                    ? mapper.deletedRow(s.schema, row, id, key, type) : List.of(mapper.row(s.schema, row, key, type));
            ObjectOffset o = s.offset.withCursor(id);
            java.util.Date modstamp = mapped.get(0).value() == null ? null
                    : (java.util.Date) mapped.get(0).value().get(ObjectSchema.MODIFIED_AT_COLUMN);
            if (o.replayId() == null && modstamp != null && (o.commitTimestamp() == null
                    || modstamp.toInstant().isAfter(o.commitTimestamp()))) {
                o = new ObjectOffset(o.phase(), o.cursor(), o.since(), null, modstamp.toInstant());
            }
            s.offset = o;
            // The marker and the tombstone of one deletion carry the same offset: a restart after either repeats both.
            for (RecordMapper.Mapped m : mapped) {
                out.add(record(s, m));
            }
        }
        if (s.snapshot.done()) {
            java.time.Instant resyncedSince = s.offset.since();
            s.offset = s.offset.streamingPhase();
            if (!rows.isEmpty()) {
                // The records of the last row (two for a deletion) carry the phase change.
                for (int i = lastRowStart; i < out.size(); i++) {
                    out.set(i, withOffset(out.get(i), s));
                }
            }
            s.snapshot.close(); // ends its read-ahead thread
            s.snapshot = null;
            if (resyncedSince == null) {
                LOG.info("Snapshot of {} complete", s.object);
            } else {
                LOG.info("Resync of {} complete (records modified since {})", s.object, resyncedSince);
            }
            if (s.resyncAfterSnapshot) {
                s.resyncAfterSnapshot = false;
                startResync(s, "new streaming session during the snapshot before any event");
            }
        }
    }

    private static Object externalIdOf(ObjectState s, Map<String, Object> row) {
        String ext = s.schema.externalIdField();
        return ext == null ? null : row.get(ext.toLowerCase(java.util.Locale.ROOT));
    }

    private void onEvent(ObjectState s, ChangeEvent e, List<SourceRecord> out) {
        ChangeType type = e.changeType();
        Instant previousCommit = s.offset.commitTimestamp();
        s.offset = s.offset.withReplay(e.replayId(), e.header().commitTimestamp());
        if (type == ChangeType.GAP_OVERFLOW) {
            gaps.incrementAndGet();
            switch (config.invalidReplayPolicy()) {
                case FAIL -> throw new ConnectException("GAP_OVERFLOW on " + s.object + " and policy is FAIL");
                case LATEST -> LOG.warn("GAP_OVERFLOW on {}: changes lost (policy LATEST)", s.object);
                case RESYNC -> {
                    // The window starts at the last change applied before the overflow (everything when none was).
                    s.offset = new ObjectOffset(s.offset.phase(), s.offset.cursor(), s.offset.since(),
                            s.offset.replayId(), previousCommit);
                    startResync(s, "GAP_OVERFLOW");
                }
            }
            return;
        }
        if (type.isGap()) {
            // Counted and logged once the re-read succeeded: a re-read waiting for budget is tried again.
            refetch(s, e, out);
            gaps.incrementAndGet();
            LOG.warn("{} on {}: re-read {} record(s)", type, s.object, e.recordIds().size());
            return;
        }
        if (type != ChangeType.CREATE && type != ChangeType.UPDATE && type != ChangeType.DELETE
                && type != ChangeType.UNDELETE) {
            LOG.debug("Ignoring {} event on {}", type, s.object);
            return;
        }
        if (!s.schema.unknownFields(e.fields().flattened().keySet()).isEmpty()) {
            schemaRefreshes.incrementAndGet();
            SObjectDescribe d = client.describe().revalidate(s.object);
            s.schema = ObjectSchema.of(d, config.includedFields(s.object), config.excludedFields(s.object),
                    config.syncKeyExternalIdField(), config.syncKeyColumn(), s.topic);
            LOG.info("Schema of {} refreshed: an event carried fields it did not know", s.object);
        }
        Map<String, String> syncKeys;
        String ext = s.schema.externalIdField();
        if (ext == null) {
            syncKeys = Map.of();
        } else if (type == ChangeType.CREATE || type == ChangeType.UNDELETE || e.fields().isPresent(ext)) {
            syncKeys = new HashMap<>();
            for (String id : e.recordIds()) {
                String key = SyncKeyResolver.keyOf(id, e.fields().get(ext));
                syncKeys.put(id, key);
                keys.remember(id, key);
            }
        } else {
            syncKeys = keys.resolve(s.schema, e.recordIds());
        }
        for (RecordMapper.Mapped m : mapper.change(s.schema, e, syncKeys)) {
            out.add(record(s, m));
        }
    }

    private void refetch(ObjectState s, ChangeEvent e, List<SourceRecord> out) {
        Set<String> ids = new LinkedHashSet<>(e.recordIds());
        Map<String, Map<String, Object>> found = new HashMap<>();
        if (e.changeType() != ChangeType.GAP_DELETE) {
            List<String> list = new ArrayList<>(ids);
            for (int i = 0; i < list.size(); i += 200) {
                List<String> batch = list.subList(i, Math.min(list.size(), i + 200));
                QueryCursor c = client.query().query("SELECT " + String.join(", ", s.schema.soqlFields())
                        + " FROM " + s.object + " WHERE Id IN ('" + String.join("','", batch) + "')");
                while (c.hasNext()) {
                    Map<String, Object> row = rowOf(c.next());
                    found.put(String.valueOf(row.get("id")), row);
                }
            }
        }
        Map<String, String> deletedKeys = keys.resolve(s.schema, ids.stream().filter(id -> !found.containsKey(id))
                .toList());
        String type = e.header().changeType().name();
        // A record no longer found was deleted at some point before now; its own change time is not known.
        Instant missingAt = e.header().commitTimestamp() != null ? e.header().commitTimestamp() : Instant.now();
        for (String id : ids) {
            Map<String, Object> row = found.get(id);
            List<RecordMapper.Mapped> mapped;
            if (row != null) {
                String key = SyncKeyResolver.keyOf(id, externalIdOf(s, row));
                keys.remember(id, key);
                mapped = List.of(mapper.row(s.schema, row, key, type));
            } else {
                mapped = mapper.gone(s.schema, id, deletedKeys.getOrDefault(id, id), type, missingAt);
            }
            for (RecordMapper.Mapped m : mapped) {
                m.headers().addLong(RecordMapper.H_REPLAY_ID, e.replayId());
                out.add(record(s, m));
            }
        }
    }

    private static Map<String, Object> rowOf(com.fasterxml.jackson.databind.node.ObjectNode node) {
        Map<String, Object> m = new HashMap<>();
        node.fields().forEachRemaining(en -> {
            if (!"attributes".equals(en.getKey())) {
                m.put(en.getKey().toLowerCase(java.util.Locale.ROOT),
                        en.getValue().isTextual() ? en.getValue().textValue() : en.getValue());
            }
        });
        return m;
    }

    private SourceRecord record(ObjectState s, RecordMapper.Mapped m) {
        return new SourceRecord(s.partition, s.offset.toMap(), s.topic, null, s.schema.keySchema(), m.key(),
                m.valueSchema(), m.value(), null, m.headers());
    }

    private static SourceRecord withOffset(SourceRecord r, ObjectState s) {
        return new SourceRecord(r.sourcePartition(), s.offset.toMap(), r.topic(), r.kafkaPartition(), r.keySchema(),
                r.key(), r.valueSchema(), r.value(), r.timestamp(), r.headers());
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        Object object = record.sourcePartition().get(ObjectOffset.PARTITION_KEY);
        Object replay = record.sourceOffset().get("replay_id");
        ObjectState s = object == null ? null : byObject.get(object.toString());
        if (s != null && replay instanceof Number n) {
            acknowledged.merge(s.channel, n.longValue(), Math::max);
        }
    }

    @Override
    public void stop() {
        if (subscriber != null) {
            subscriber.close();
            subscriber = null;
        }
        for (ObjectState s : byObject.values()) {
            if (s.snapshot != null) {
                s.snapshot.close();
            }
        }
        if (client != null) {
            client.close();
            client = null;
        }
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        LOG.info("Salesforce source task stopped");
    }

    SourceTaskMetrics metrics() {
        return metrics;
    }

    Collection<ObjectState> states() {
        return byObject.values();
    }
}
