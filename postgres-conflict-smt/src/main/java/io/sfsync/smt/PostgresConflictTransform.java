package io.sfsync.smt;

import io.sfsync.smt.PendingState.Pending;
import io.sfsync.smt.PendingState.RowKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loop prevention, changed-column diff and conflict detection for the change events of synced tables, applied inside
 * Debezium's Postgres source before they reach the salesforce-sink. Implements the contract of docs/LOOP.md:
 * <ul>
 *   <li>a change written by the Salesforce-to-Postgres path (its marker columns say so) is dropped, unless a
 *       salesforce-wins conflict resolution forwards it;</li>
 *   <li>a change made by a Postgres user is forwarded unchanged, with headers {@code sync.origin=postgres},
 *       {@code sync.changed.columns} and {@code sync.change.ts}; an update that changed nothing is dropped;</li>
 *   <li>a Salesforce-origin value that meets a forwarded value not yet echoed back is an echo, a stale read, or a
 *       conflict, resolved by {@code conflict.policy} and produced to {@code conflicts.topic}.</li>
 * </ul>
 * Tombstones are dropped; records that are not Debezium change envelopes (heartbeats, logical messages, schema
 * changes) pass through untouched.
 */
public class PostgresConflictTransform implements Transformation<SourceRecord>, Versioned {

    private static final Logger log = LoggerFactory.getLogger(PostgresConflictTransform.class);

    public static final String OVERVIEW_DOC = "Drops the changes that the Salesforce-to-Postgres path wrote (marker "
            + "columns, see docs/LOOP.md), names the changed columns of Postgres users' changes in the "
            + "sync.changed.columns header, and detects and resolves same-column conflicts between the two sides.";

    public static final ConfigDef CONFIG_DEF = ConflictTransformConfig.CONFIG_DEF;

    public static final String ORIGIN_HEADER = "sync.origin";
    public static final String ORIGIN_POSTGRES = "postgres";
    public static final String CHANGED_COLUMNS_HEADER = "sync.changed.columns";
    public static final String CHANGE_TS_HEADER = "sync.change.ts";
    public static final String RESOLUTION_HEADER = "sync.conflict.resolution";

    /** Numbers the conflicts producers of this worker, for distinct default client ids. */
    private static final AtomicInteger PRODUCERS = new AtomicInteger();

    /** Creates the conflicts producer from its settings; replaced in tests by one that returns a mock producer. */
    private final Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory;
    private final Clock clock;

    private ConflictTransformConfig config;
    private ConflictPolicy policy;
    private PendingState state;
    private ConflictRecorder conflicts = ConflictRecorder.NONE;
    private TransformMetrics metrics;
    /** Tables whose rows have no version marker: warned about once each (a handful of tables per connector). */
    private final Set<String> tablesWithoutMarkers = ConcurrentHashMap.newKeySet();

    public PostgresConflictTransform() {
        this(settings -> new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer()),
                Clock.systemUTC());
    }

    /** For tests: the conflicts producer and the clock of {@code detected_at}. */
    PostgresConflictTransform(Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory, Clock clock) {
        this.producerFactory = producerFactory;
        this.clock = clock;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Connect configures an instance once; a second call must not leak the first producer and MBean
        close();
        config = new ConflictTransformConfig(configs);
        policy = config.policy();
        state = new PendingState(config.stateMaxRows(), config.stateTtl(), config.maxPendingPerColumn());
        metrics = new TransformMetrics(state::rows, config.summaryInterval(), System::nanoTime);
        metrics.register();
        if (!config.conflictsTopic().isEmpty()) {
            Map<String, Object> settings = new LinkedHashMap<>(config.conflictsProducerOverrides());
            settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.conflictsBootstrapServers());
            // Idempotent with acks=all: a conflict record is neither lost by a broker fail-over nor duplicated by a
            // producer retry (redelivery after a task restart is absorbed by the upsert on conflict_id).
            settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            settings.put(ProducerConfig.ACKS_CONFIG, "all");
            settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "sfsync-conflicts-" + PRODUCERS.incrementAndGet());
            conflicts = new KafkaConflictRecorder(config.conflictsTopic(), producerFactory.apply(settings), metrics);
        }
        log.info("Conflict transform {} configured: policy {}, conflicts topic {}, state up to {} rows for {}",
                Version.get(), policy.value(),
                config.conflictsTopic().isEmpty() ? "(none: logged only)" : config.conflictsTopic(),
                config.stateMaxRows(), config.stateTtl());
    }

    @Override
    public SourceRecord apply(SourceRecord record) {
        metrics.maybeLogSummary();
        if (record.value() == null) {
            // the delete event before a tombstone carries the decision; Salesforce needs nothing from the tombstone
            metrics.droppedTombstone();
            return null;
        }
        Envelope change = Envelope.of(record);
        if (change == null) {
            return record;
        }
        String table = change.table();
        boolean hasMarkers = change.rowSchema().field(config.versionColumn()) != null;
        if (!hasMarkers && tablesWithoutMarkers.add(record.topic())) {
            log.warn("Table {} (topic {}) has no {} column: every change of it is treated as a Postgres user's "
                    + "change (no loop prevention, no conflict detection)", table, record.topic(),
                    config.versionColumn());
        }
        return switch (change.op()) {
            case "c", "r" -> hasMarkers && change.after().get(config.versionColumn()) != null
                    ? salesforceOriginWrite(record, change)
                    : forward(record, change, nonNullColumns(change.after()));
            case "u" -> {
                requireBefore(change);
                if (hasMarkers && !ColumnValues.same(change.before().get(config.versionColumn()),
                        change.after().get(config.versionColumn()))) {
                    yield salesforceOriginWrite(record, change);
                }
                List<String> changed = changedColumns(change.before(), change.after());
                if (changed.isEmpty()) {
                    metrics.droppedUnchanged();
                    yield null;
                }
                yield forward(record, change, changed);
            }
            case "d" -> {
                requireBefore(change);
                state.clear(new RowKey(record.topic(), record.key()));
                if (hasMarkers && change.before().schema().field(config.deletedColumn()) != null
                        && Boolean.TRUE.equals(change.before().get(config.deletedColumn()))) {
                    metrics.droppedSalesforceOrigin();
                    yield null;
                }
                yield forward(record, change, List.of());
            }
            // truncate ('t') and anything newer: not ours to judge
            default -> record;
        };
    }

    private void requireBefore(Envelope change) {
        if (change.before() == null) {
            throw new ConnectException("Change '" + change.op() + "' of table " + change.table()
                    + " has no before image: the sync needs it to tell its own writes from users' ones. Run "
                    + "ALTER TABLE " + change.table() + " REPLICA IDENTITY FULL");
        }
    }

    /** A Postgres user's change: forwarded with its changed columns, which are remembered as pending. */
    private SourceRecord forward(SourceRecord record, Envelope change, List<String> changed) {
        // a table without primary key has no record key: its rows cannot be told apart, so nothing is remembered
        if (change.after() != null && !changed.isEmpty() && record.key() != null) {
            RowKey row = new RowKey(record.topic(), record.key());
            Instant committedAt = change.sourceTime();
            Instant base = change.before() == null ? null : modifiedAt(change.before());
            for (String column : changed) {
                state.add(row, column, new Pending(change.after().get(column), committedAt, base));
            }
        }
        metrics.forwarded();
        return withHeaders(record, change, changed, null);
    }

    /**
     * A write of the Salesforce-to-Postgres path: dropped, unless it set a column that has values pending and the
     * conflict on that column is won by Salesforce; then it is forwarded with only those columns.
     */
    private SourceRecord salesforceOriginWrite(SourceRecord record, Envelope change) {
        RowKey row = new RowKey(record.topic(), record.key());
        Struct after = change.after();
        Instant salesforceTime = modifiedAt(after);
        List<String> salesforceWon = new ArrayList<>();
        for (String column : columnsSet(after)) {
            Deque<Pending> pending = state.pending(row, column);
            if (pending.isEmpty()) {
                continue;
            }
            Object value = after.get(column);
            Pending echoed = pending.stream().filter(p -> ColumnValues.same(p.value(), value)).findFirst()
                    .orElse(null);
            if (echoed != null) {
                state.confirm(row, column, echoed);
                metrics.echoConfirmed();
                continue;
            }
            Pending newest = pending.getLast();
            if (salesforceTime != null && newest.base() != null && !salesforceTime.isAfter(newest.base())) {
                // Postgres had already seen this Salesforce state when it was edited: a resync re-read, not news
                metrics.staleRead();
                continue;
            }
            boolean salesforceWins = policy.salesforceWins(salesforceTime, newest.committedAt());
            report(record, change, column, newest, value, salesforceTime, salesforceWins);
            if (salesforceWins) {
                salesforceWon.add(column);
                // its echo (Salesforce's value written back, read again by the source) will come
                state.add(row, column, new Pending(value, change.sourceTime(), salesforceTime));
            }
        }
        if (salesforceWon.isEmpty()) {
            metrics.droppedSalesforceOrigin();
            return null;
        }
        metrics.forwarded();
        return withHeaders(record, change, salesforceWon, ConflictPolicy.SALESFORCE_WINS.value());
    }

    private void report(SourceRecord record, Envelope change, String column, Pending postgres, Object salesforceValue,
                        Instant salesforceTime, boolean salesforceWon) {
        String key = keyText(record.key());
        Conflict conflict = new Conflict(
                conflictId(record.topic(), key, column, change.sourcePosition()),
                clock.instant(), record.topic(), key,
                change.after().schema().field(config.sfidColumn()) == null ? null
                        : ColumnValues.text(change.after().get(config.sfidColumn())),
                column, ColumnValues.text(postgres.value()), ColumnValues.text(salesforceValue),
                postgres.committedAt(), salesforceTime, policy, salesforceWon);
        metrics.conflict(salesforceWon);
        // values stay out of the log: they are customer data; the conflicts table has them
        log.warn("Conflict {} on {} key {} column {}: both sides changed it; policy {}, {} wins",
                conflict.conflictId(), record.topic(), key, column, policy.value(), conflict.winner());
        conflicts.record(conflict);
    }

    /**
     * Deterministic from the row, the column and the position of the Salesforce-origin change in the WAL, so the
     * same change delivered again after a restart upserts the same conflicts row.
     */
    static String conflictId(String topic, String key, String column, String sourcePosition) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {topic, key, column, sourcePosition}) {
                digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(Arrays.copyOf(digest.digest(), 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** A record key as text: the value of a one-column key, else the key struct's fields. */
    static String keyText(Object key) {
        if (key instanceof Struct struct) {
            List<Field> fields = struct.schema().fields();
            if (fields.size() == 1) {
                return ColumnValues.text(struct.get(fields.get(0)));
            }
            StringBuilder text = new StringBuilder();
            for (Field field : fields) {
                text.append(text.length() == 0 ? "" : ",").append(field.name()).append('=')
                        .append(ColumnValues.text(struct.get(field)));
            }
            return text.toString();
        }
        return ColumnValues.text(key);
    }

    private SourceRecord withHeaders(SourceRecord record, Envelope change, Collection<String> changed,
                                     String resolution) {
        SourceRecord out = record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(),
                record.key(), record.valueSchema(), record.value(), record.timestamp());
        Headers headers = out.headers();
        headers.remove(ORIGIN_HEADER).remove(CHANGED_COLUMNS_HEADER).remove(CHANGE_TS_HEADER)
                .remove(RESOLUTION_HEADER);
        headers.addString(ORIGIN_HEADER, ORIGIN_POSTGRES);
        headers.addString(CHANGED_COLUMNS_HEADER, String.join(",", changed));
        Instant changedAt = change.sourceTime();
        if (changedAt != null) {
            headers.addLong(CHANGE_TS_HEADER, changedAt.toEpochMilli());
        }
        if (resolution != null) {
            headers.addString(RESOLUTION_HEADER, resolution);
        }
        return out;
    }

    private boolean isMarker(String column) {
        return column.startsWith(config.markerPrefix());
    }

    private List<String> nonNullColumns(Struct row) {
        List<String> columns = new ArrayList<>();
        for (Field field : row.schema().fields()) {
            if (!isMarker(field.name()) && row.get(field) != null) {
                columns.add(field.name());
            }
        }
        return columns;
    }

    private List<String> changedColumns(Struct before, Struct after) {
        List<String> columns = new ArrayList<>();
        for (Field field : after.schema().fields()) {
            if (isMarker(field.name())) {
                continue;
            }
            Object old = before.schema().field(field.name()) == null ? null : before.get(field.name());
            if (!ColumnValues.same(old, after.get(field))) {
                columns.add(field.name());
            }
        }
        return columns;
    }

    /** The columns a Salesforce-origin write set, per its fields marker ({@code *} or absent: every column). */
    private Set<String> columnsSet(Struct after) {
        Object fields = after.schema().field(config.fieldsColumn()) == null ? null
                : after.get(config.fieldsColumn());
        Set<String> columns = new LinkedHashSet<>();
        if (fields == null || "*".equals(fields.toString().trim())) {
            for (Field field : after.schema().fields()) {
                if (!isMarker(field.name())) {
                    columns.add(field.name());
                }
            }
            return columns;
        }
        for (String column : fields.toString().split(",")) {
            String name = column.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !isMarker(name) && after.schema().field(name) != null) {
                columns.add(name);
            }
        }
        return columns;
    }

    private Instant modifiedAt(Struct row) {
        Field field = row.schema().field(config.modifiedAtColumn());
        return field == null ? null : ColumnValues.instant(field.schema(), row.get(field));
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void close() {
        try {
            conflicts.close();
        } finally {
            conflicts = ConflictRecorder.NONE;
            if (metrics != null) {
                metrics.close();
                metrics = null;
            }
            if (state != null) {
                state.clearAll();
            }
        }
    }

    /** Counters, for tests. */
    TransformMetrics metrics() {
        return metrics;
    }

    /** Pending state, for tests. */
    PendingState state() {
        return state;
    }

    /** A Debezium change event's envelope: op, before/after row images, source block. */
    record Envelope(String op, Struct before, Struct after, Struct source, Schema rowSchema) {

        /** The envelope of a record, or null when the record is not a Debezium row change. */
        static Envelope of(SourceRecord record) {
            if (!(record.value() instanceof Struct value)) {
                return null;
            }
            Schema schema = value.schema();
            if (schema.field("op") == null || schema.field("before") == null || schema.field("after") == null
                    || schema.field("source") == null) {
                return null;
            }
            String op = value.getString("op");
            Struct before = value.getStruct("before");
            Struct after = value.getStruct("after");
            if (op == null) {
                return null;
            }
            Schema rowSchema = schema.field("after").schema();
            return new Envelope(op, before, after, value.getStruct("source"), rowSchema);
        }

        String table() {
            if (source != null && source.schema().field("table") != null && source.get("table") != null) {
                Object schemaName = source.schema().field("schema") == null ? null : source.get("schema");
                return (schemaName == null ? "" : schemaName + ".") + source.get("table");
            }
            return "(unknown table)";
        }

        /** Postgres commit time of the change ({@code source.ts_ms}). */
        Instant sourceTime() {
            if (source == null || source.schema().field("ts_ms") == null) {
                return null;
            }
            Object millis = source.get("ts_ms");
            return millis instanceof Long value ? Instant.ofEpochMilli(value) : null;
        }

        /** Where the change is in the WAL ({@code source.lsn}), else its commit time. */
        String sourcePosition() {
            if (source != null && source.schema().field("lsn") != null && source.get("lsn") != null) {
                return "lsn:" + source.get("lsn");
            }
            return "ts:" + sourceTime();
        }
    }
}
