package io.sfsync.smt;

import static io.sfsync.smt.Changes.change;
import static io.sfsync.smt.Changes.config;
import static io.sfsync.smt.Changes.row;
import static io.sfsync.smt.Changes.with;
import static io.sfsync.smt.PostgresConflictTransformTest.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pending values, echoes, stale reads, conflicts and their resolution (docs/LOOP.md, "Conflicts"). */
class ConflictResolutionTest {

    static final Instant SYNCED = Instant.parse("2026-11-22T09:00:00Z");
    static final Instant PG_EDIT = Instant.parse("2026-11-22T10:00:00Z");
    static final Instant DETECTED = Instant.parse("2026-11-22T10:00:05Z");

    private final List<MockProducer<byte[], byte[]>> producers = new ArrayList<>();
    private final List<Map<String, Object>> producerSettings = new ArrayList<>();
    private final List<PostgresConflictTransform> transforms = new ArrayList<>();

    /** The row as last written by the sync from Salesforce: version cdc:1, modified at SYNCED. */
    private final Struct synced = row("id", "a1", "name", "Acme", "rating", "Hot", "sfid", "001A",
            "_sync_version", "cdc:1", "_sync_fields", "*", "_sync_modified_at", SYNCED, "_sync_deleted", false);

    PostgresConflictTransform transform(Object... config) {
        PostgresConflictTransform transform = new PostgresConflictTransform(settings -> {
            producerSettings.add(settings);
            MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                    new ByteArraySerializer());
            producers.add(producer);
            return producer;
        }, Clock.fixed(DETECTED, ZoneOffset.UTC));
        Object[] all = new Object[config.length + 4];
        all[0] = "conflicts.topic";
        all[1] = "sfsync_conflicts";
        all[2] = "conflicts.bootstrap.servers";
        all[3] = "broker:9092";
        System.arraycopy(config, 0, all, 4, config.length);
        transform.configure(config(all));
        transforms.add(transform);
        return transform;
    }

    @AfterEach
    void closeAll() {
        transforms.forEach(PostgresConflictTransform::close);
    }

    /** A Postgres user changes the rating (the edit is based on the synced row). */
    Struct postgresEdit(PostgresConflictTransform transform, Struct before, String rating, Instant at) {
        Struct after = with(before, "rating", rating);
        SourceRecord out = transform.apply(change("u", before, after, at));
        assertThat(header(out, "sync.changed.columns")).isEqualTo("rating");
        return after;
    }

    /** The sync writes a Salesforce change of the given columns into the row. */
    SourceRecord salesforceWrite(PostgresConflictTransform transform, Struct before, String version,
                                 Instant salesforceTime, Instant committed, long lsn, Object... columns) {
        Object[] changes = new Object[columns.length + 6];
        System.arraycopy(columns, 0, changes, 0, columns.length);
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < columns.length; i += 2) {
            fields.append(fields.length() == 0 ? "" : ",").append(columns[i]);
        }
        changes[columns.length] = "_sync_version";
        changes[columns.length + 1] = version;
        changes[columns.length + 2] = "_sync_fields";
        changes[columns.length + 3] = fields.toString();
        changes[columns.length + 4] = "_sync_modified_at";
        changes[columns.length + 5] = salesforceTime;
        return transform.apply(change("u", before, with(before, changes), committed, lsn));
    }

    List<Struct> conflictRecords(int producer) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        List<Struct> records = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : producers.get(producer).history()) {
            assertThat(record.topic()).isEqualTo("sfsync_conflicts");
            SchemaAndValue value = converter.toConnectData(record.topic(), record.value());
            records.add((Struct) value.value());
        }
        return records;
    }

    @Test
    void echoOfTheForwardedValueConfirmsItWithoutConflict() {
        PostgresConflictTransform transform = transform();
        Struct edited = postgresEdit(transform, synced, "Warm", PG_EDIT);
        assertThat(transform.state().pending(new PendingState.RowKey(Changes.TOPIC, key("a1")), "rating"))
                .hasSize(1);

        SourceRecord echo = salesforceWrite(transform, edited, "cdc:2", PG_EDIT.plusSeconds(1),
                PG_EDIT.plusSeconds(2), 500, "rating", "Warm");

        assertThat(echo).isNull();
        assertThat(transform.metrics().getEchoesConfirmed()).isEqualTo(1);
        assertThat(transform.metrics().getConflicts()).isZero();
        assertThat(transform.state().rows()).isZero();
        assertThat(producers.get(0).history()).isEmpty();
    }

    @Test
    void salesforceChangeOfAnotherColumnIsNoConflict() {
        PostgresConflictTransform transform = transform();
        Struct edited = postgresEdit(transform, synced, "Warm", PG_EDIT);

        assertThat(salesforceWrite(transform, edited, "cdc:2", PG_EDIT.plusSeconds(1), PG_EDIT.plusSeconds(2), 500,
                "name", "Acme Corp")).isNull();
        assertThat(transform.metrics().getConflicts()).isZero();
    }

    @Test
    void staleReadOlderThanTheEditsBaseIsNoConflict() {
        PostgresConflictTransform transform = transform();
        Struct edited = postgresEdit(transform, synced, "Warm", PG_EDIT);

        // a resync re-reads the row as Salesforce had it at SYNCED (before our write reached it)
        assertThat(salesforceWrite(transform, edited, "query:1:ab", SYNCED, PG_EDIT.plusSeconds(3), 500,
                "rating", "Hot")).isNull();
        assertThat(transform.metrics().getStaleReads()).isEqualTo(1);
        assertThat(transform.metrics().getConflicts()).isZero();
        // our value is still pending: its echo will come
        assertThat(salesforceWrite(transform, edited, "cdc:3", PG_EDIT.plusSeconds(4), PG_EDIT.plusSeconds(5), 501,
                "rating", "Warm")).isNull();
        assertThat(transform.metrics().getEchoesConfirmed()).isEqualTo(1);
    }

    @Test
    void salesforceWinsForwardsTheSalesforceValueOfOnlyTheConflictedColumns() {
        PostgresConflictTransform transform = transform();
        Struct edited = postgresEdit(transform, synced, "Warm", PG_EDIT);
        Instant salesforceTime = PG_EDIT.plusMillis(300);

        SourceRecord out = salesforceWrite(transform, edited, "cdc:2", salesforceTime, PG_EDIT.plusSeconds(1), 777,
                "rating", "Cold", "name", "Acme Corp");

        assertThat(out).isNotNull();
        assertThat(header(out, "sync.origin")).isEqualTo("postgres");
        assertThat(header(out, "sync.changed.columns")).isEqualTo("rating");
        assertThat(header(out, "sync.conflict.resolution")).isEqualTo("salesforce-wins");
        assertThat(((Struct) out.value()).getStruct("after").getString("rating")).isEqualTo("Cold");

        List<Struct> conflicts = conflictRecords(0);
        assertThat(conflicts).hasSize(1);
        Struct conflict = conflicts.get(0);
        assertThat(conflict.getString("source_topic")).isEqualTo(Changes.TOPIC);
        assertThat(conflict.getString("record_key")).isEqualTo("a1");
        assertThat(conflict.getString("sfid")).isEqualTo("001A");
        assertThat(conflict.getString("column_name")).isEqualTo("rating");
        assertThat(conflict.getString("postgres_value")).isEqualTo("Warm");
        assertThat(conflict.getString("salesforce_value")).isEqualTo("Cold");
        assertThat(conflict.get("postgres_changed_at")).isEqualTo(Date.from(PG_EDIT));
        assertThat(conflict.get("salesforce_changed_at")).isEqualTo(Date.from(salesforceTime));
        assertThat(conflict.get("detected_at")).isEqualTo(Date.from(DETECTED));
        assertThat(conflict.getString("policy")).isEqualTo("salesforce-wins");
        assertThat(conflict.getString("winner")).isEqualTo("salesforce");
        assertThat(conflict.getString("conflict_id")).isEqualTo(PostgresConflictTransform.conflictId(
                Changes.TOPIC, "a1", "rating", "lsn:777"));

        // the key is {conflict_id}, JSON with schema, for the JDBC sink's record_key primary key
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "true"), true);
        Struct key = (Struct) keys.toConnectData("sfsync_conflicts", producers.get(0).history().get(0).key()).value();
        assertThat(key.getString("conflict_id")).isEqualTo(conflict.getString("conflict_id"));

        // the written-back Salesforce value is pending now: its echo is confirmed, not a new conflict
        Struct afterConflict = ((Struct) out.value()).getStruct("after");
        assertThat(salesforceWrite(transform, afterConflict, "cdc:3", PG_EDIT.plusSeconds(2),
                PG_EDIT.plusSeconds(3), 778, "rating", "Cold")).isNull();
        assertThat(transform.metrics().getConflicts()).isEqualTo(1);
        assertThat(transform.metrics().getEchoesConfirmed()).isEqualTo(1);
    }

    @Test
    void postgresWinsDropsTheSalesforceChangeAndRecordsTheConflict() {
        PostgresConflictTransform transform = transform("conflict.policy", "postgres-wins");
        Struct edited = postgresEdit(transform, synced, "Warm", PG_EDIT);

        assertThat(salesforceWrite(transform, edited, "cdc:2", PG_EDIT.plusSeconds(9), PG_EDIT.plusSeconds(10), 900,
                "rating", "Cold")).isNull();

        Struct conflict = conflictRecords(0).get(0);
        assertThat(conflict.getString("policy")).isEqualTo("postgres-wins");
        assertThat(conflict.getString("winner")).isEqualTo("postgres");
        assertThat(transform.metrics().getConflictsPostgresWon()).isEqualTo(1);
        // our write's echo still confirms it
        assertThat(salesforceWrite(transform, edited, "cdc:3", PG_EDIT.plusSeconds(11), PG_EDIT.plusSeconds(12),
                901, "rating", "Warm")).isNull();
        assertThat(transform.metrics().getEchoesConfirmed()).isEqualTo(1);
    }

    @Test
    void newestWinsSalesforceWhenItsChangeIsLater() {
        PostgresConflictTransform transform = transform("conflict.policy", "newest-wins");
        Struct edited = postgresEdit(transform, synced, "Warm", PG_EDIT);

        SourceRecord out = salesforceWrite(transform, edited, "cdc:2", PG_EDIT.plusMillis(1), PG_EDIT.plusSeconds(1),
                901, "rating", "Cold");

        assertThat(header(out, "sync.conflict.resolution")).isEqualTo("salesforce-wins");
        assertThat(conflictRecords(0).get(0).getString("winner")).isEqualTo("salesforce");
        assertThat(conflictRecords(0).get(0).getString("policy")).isEqualTo("newest-wins");
    }

    @Test
    void newestWinsPostgresWhenItsCommitIsLater() {
        PostgresConflictTransform transform = transform("conflict.policy", "newest-wins");
        Struct edited = postgresEdit(transform, synced, "Warm", PG_EDIT);

        // Salesforce changed it after the sync's last write (so not stale) but before the Postgres commit
        assertThat(salesforceWrite(transform, edited, "cdc:2", PG_EDIT.minusSeconds(30), PG_EDIT.plusSeconds(1), 902,
                "rating", "Cold")).isNull();
        assertThat(conflictRecords(0).get(0).getString("winner")).isEqualTo("postgres");
    }

    @Test
    void newestWinsTieGoesToSalesforce() {
        PostgresConflictTransform transform = transform("conflict.policy", "newest-wins");
        Struct edited = postgresEdit(transform, synced, "Warm", PG_EDIT);

        assertThat(salesforceWrite(transform, edited, "cdc:2", PG_EDIT, PG_EDIT.plusSeconds(1), 903,
                "rating", "Cold")).isNotNull();
    }

    @Test
    void echoOfAnOlderPendingValueConfirmsItAndLeavesTheNewer() {
        PostgresConflictTransform transform = transform();
        Struct first = postgresEdit(transform, synced, "Warm", PG_EDIT);
        Struct second = postgresEdit(transform, first, "Cold", PG_EDIT.plusSeconds(1));
        PendingState.RowKey row = new PendingState.RowKey(Changes.TOPIC, key("a1"));
        assertThat(transform.state().pending(row, "rating")).hasSize(2);

        // Salesforce echoes our first write, then our second
        assertThat(salesforceWrite(transform, second, "cdc:2", PG_EDIT.plusSeconds(2), PG_EDIT.plusSeconds(2), 950,
                "rating", "Warm")).isNull();
        assertThat(transform.state().pending(row, "rating")).extracting(PendingState.Pending::value)
                .containsExactly("Cold");
        assertThat(salesforceWrite(transform, second, "cdc:3", PG_EDIT.plusSeconds(3), PG_EDIT.plusSeconds(3), 951,
                "rating", "Cold")).isNull();
        assertThat(transform.state().pending(row, "rating")).isEmpty();
        assertThat(transform.metrics().getConflicts()).isZero();
    }

    @Test
    void echoOfTheNewestPendingValueConfirmsAllOlderOnes() {
        PostgresConflictTransform transform = transform();
        Struct first = postgresEdit(transform, synced, "Warm", PG_EDIT);
        Struct second = postgresEdit(transform, first, "Cold", PG_EDIT.plusSeconds(1));

        assertThat(salesforceWrite(transform, second, "cdc:2", PG_EDIT.plusSeconds(2), PG_EDIT.plusSeconds(2), 960,
                "rating", "Cold")).isNull();
        assertThat(transform.state().rows()).isZero();
    }

    @Test
    void pendingValuesPerColumnAreBounded() {
        PostgresConflictTransform transform = transform("state.max.pending.per.column", 2);
        Struct row = synced;
        for (String rating : List.of("A", "B", "C")) {
            row = postgresEdit(transform, row, rating, PG_EDIT);
        }
        assertThat(transform.state().pending(new PendingState.RowKey(Changes.TOPIC, key("a1")), "rating"))
                .extracting(PendingState.Pending::value).containsExactly("B", "C");
    }

    @Test
    void postgresDeleteClearsTheRowsState() {
        PostgresConflictTransform transform = transform();
        Struct edited = postgresEdit(transform, synced, "Warm", PG_EDIT);
        assertThat(transform.apply(change("d", edited, null, PG_EDIT.plusSeconds(1)))).isNotNull();

        assertThat(transform.state().rows()).isZero();
    }

    @Test
    void conflictsTopicEmptyOnlyLogsAndCounts() {
        PostgresConflictTransform transform = new PostgresConflictTransform(settings -> {
            throw new AssertionError("no producer expected");
        }, Clock.systemUTC());
        transform.configure(config("conflicts.topic", ""));
        transforms.add(transform);
        Struct edited = postgresEdit(transform, synced, "Warm", PG_EDIT);

        assertThat(salesforceWrite(transform, edited, "cdc:2", PG_EDIT.plusSeconds(1), PG_EDIT.plusSeconds(1), 970,
                "rating", "Cold")).isNotNull();
        assertThat(transform.metrics().getConflicts()).isEqualTo(1);
    }

    @Test
    void producerIsIdempotentWithAcksAllAndTakesOverrides() {
        transform("conflicts.producer.linger.ms", "5", "conflicts.producer.acks", "1");

        assertThat(producerSettings.get(0)).containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("enable.idempotence", true).containsEntry("acks", "all")
                .containsEntry("linger.ms", "5");
    }

    @Test
    void sendFailureIsCountedAndDoesNotStopThePipeline() {
        PostgresConflictTransform transform = new PostgresConflictTransform(settings -> {
            MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
                    new ByteArraySerializer());
            producers.add(producer);
            return producer;
        }, Clock.systemUTC());
        transform.configure(config("conflicts.topic", "sfsync_conflicts", "conflicts.bootstrap.servers", "b:1"));
        transforms.add(transform);
        Struct edited = postgresEdit(transform, synced, "Warm", PG_EDIT);

        assertThat(salesforceWrite(transform, edited, "cdc:2", PG_EDIT.plusSeconds(1), PG_EDIT.plusSeconds(1), 980,
                "rating", "Cold")).isNotNull();
        producers.get(0).errorNext(new org.apache.kafka.common.errors.TimeoutException("broker gone"));

        assertThat(transform.metrics().getConflictSendFailures()).isEqualTo(1);
    }

    @Test
    void closeFlushesAndClosesTheProducer() {
        PostgresConflictTransform transform = transform();
        transform.close();

        assertThat(producers.get(0).flushed()).isTrue();
        assertThat(producers.get(0).closed()).isTrue();
    }

    @Test
    void sameSalesforceChangeDeliveredAgainHasTheSameConflictId() {
        PostgresConflictTransform first = transform();
        Struct edited = postgresEdit(first, synced, "Warm", PG_EDIT);
        salesforceWrite(first, edited, "cdc:2", PG_EDIT.plusSeconds(1), PG_EDIT.plusSeconds(1), 990, "rating", "Cold");
        PostgresConflictTransform again = transform();
        postgresEdit(again, synced, "Warm", PG_EDIT);
        salesforceWrite(again, edited, "cdc:2", PG_EDIT.plusSeconds(1), PG_EDIT.plusSeconds(1), 990, "rating", "Cold");

        assertThat(conflictRecords(1).get(0).getString("conflict_id"))
                .isEqualTo(conflictRecords(0).get(0).getString("conflict_id"));
    }

    static Struct key(String id) {
        return new Struct(Changes.KEY).put("id", id);
    }
}
