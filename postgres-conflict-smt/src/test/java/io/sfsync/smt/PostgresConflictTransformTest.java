package io.sfsync.smt;

import static io.sfsync.smt.Changes.change;
import static io.sfsync.smt.Changes.config;
import static io.sfsync.smt.Changes.decimal;
import static io.sfsync.smt.Changes.row;
import static io.sfsync.smt.Changes.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Classification and changed columns (docs/LOOP.md, "How the SMT classifies a Debezium change"). */
class PostgresConflictTransformTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private final PostgresConflictTransform transform = new PostgresConflictTransform();

    PostgresConflictTransformTest() {
        transform.configure(config());
    }

    @AfterEach
    void close() {
        transform.close();
    }

    static String header(SourceRecord record, String name) {
        Header header = record.headers().lastWithName(name);
        return header == null ? null : String.valueOf(header.value());
    }

    // ---- inserts and snapshot reads ----

    @Test
    void postgresInsertIsForwardedWithItsNonNullColumnsAndNoMarkers() {
        SourceRecord in = change("c", null, row("id", "a1", "name", "Acme", "amount", decimal("1.50")), T0);

        SourceRecord out = transform.apply(in);

        assertThat(out).isNotNull();
        assertThat(out.value()).isSameAs(in.value());
        assertThat(out.key()).isEqualTo(in.key());
        assertThat(header(out, "sync.origin")).isEqualTo("postgres");
        assertThat(header(out, "sync.changed.columns")).isEqualTo("id,name,amount");
        assertThat(header(out, "sync.change.ts")).isEqualTo(String.valueOf(T0.toEpochMilli()));
        assertThat(transform.metrics().getForwarded()).isEqualTo(1);
    }

    @Test
    void snapshotReadOfAPostgresRowIsForwarded() {
        SourceRecord out = transform.apply(change("r", null, row("id", "a1", "rating", "Hot"), T0));

        assertThat(header(out, "sync.changed.columns")).isEqualTo("id,rating");
    }

    @Test
    void insertWrittenBySalesforceIsDropped() {
        SourceRecord in = change("c", null, row("id", "a1", "name", "Acme", "sfid", "001A",
                "_sync_version", "cdc:1", "_sync_fields", "*", "_sync_modified_at", T0), T0);

        assertThat(transform.apply(in)).isNull();
        assertThat(transform.apply(change("r", null, ((Struct) in.value()).getStruct("after"), T0))).isNull();
        assertThat(transform.metrics().getDroppedSalesforceOrigin()).isEqualTo(2);
    }

    // ---- updates ----

    @Test
    void postgresUpdateNamesOnlyTheColumnsWhoseValuesDiffer() {
        Struct before = row("id", "a1", "name", "Acme", "rating", "Hot", "sfid", "001A", "_sync_version", "cdc:1");
        Struct after = with(before, "rating", "Warm", "name", "Acme");

        SourceRecord out = transform.apply(change("u", before, after, T0));

        assertThat(header(out, "sync.origin")).isEqualTo("postgres");
        assertThat(header(out, "sync.changed.columns")).isEqualTo("rating");
    }

    @Test
    void updateThatSetsAColumnToNullNamesIt() {
        Struct before = row("id", "a1", "name", "Acme", "rating", "Hot");
        SourceRecord out = transform.apply(change("u", before, with(before, "rating", null), T0));

        assertThat(header(out, "sync.changed.columns")).isEqualTo("rating");
    }

    @Test
    void decimalsCompareByValueAndBytesByContent() {
        Struct before = row("id", "a1", "amount", decimal("1.50"), "logo", new byte[] {1, 2, 3});
        Struct sameValues = with(before, "amount", decimal("1.5"), "logo", new byte[] {1, 2, 3});

        assertThat(transform.apply(change("u", before, sameValues, T0))).isNull();
        assertThat(transform.metrics().getDroppedUnchanged()).isEqualTo(1);

        Struct changed = with(before, "amount", decimal("1.51"), "logo", new byte[] {1, 2, 4});
        assertThat(header(transform.apply(change("u", before, changed, T0)), "sync.changed.columns"))
                .isEqualTo("amount,logo");
    }

    @Test
    void updateThatChangedOnlyMarkersIsDropped() {
        // e.g. a user touching _sync_fields by hand: nothing to write to Salesforce
        Struct before = row("id", "a1", "name", "Acme", "_sync_version", "cdc:1", "_sync_fields", "name");
        assertThat(transform.apply(change("u", before, with(before, "_sync_fields", "*"), T0))).isNull();
    }

    @Test
    void updateThatChangesTheVersionIsSalesforceOriginAndDropped() {
        Struct before = row("id", "a1", "name", "Acme", "_sync_version", "cdc:1");
        Struct after = with(before, "name", "Acme Corp", "_sync_version", "cdc:2", "_sync_fields", "name",
                "_sync_modified_at", T0);

        assertThat(transform.apply(change("u", before, after, T0))).isNull();
        assertThat(transform.metrics().getDroppedSalesforceOrigin()).isEqualTo(1);
    }

    @Test
    void sfidFilledInBySyncIsSalesforceOrigin() {
        // the source writes the new record's Id together with a new version: no write back
        Struct before = row("id", "a1", "name", "Acme");
        Struct after = with(before, "sfid", "001A", "_sync_version", "query:1:ab", "_sync_fields", "*");
        assertThat(transform.apply(change("u", before, after, T0))).isNull();
    }

    @Test
    void updateWithoutBeforeImageFailsNamingTheTableAndTheFix() {
        SourceRecord in = change("u", null, row("id", "a1", "name", "Acme"), T0);

        assertThatThrownBy(() -> transform.apply(in)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("public.account")
                .hasMessageContaining("ALTER TABLE public.account REPLICA IDENTITY FULL");
    }

    // ---- deletes ----

    @Test
    void postgresDeleteIsForwarded() {
        Struct before = row("id", "a1", "name", "Acme", "sfid", "001A", "_sync_version", "cdc:1",
                "_sync_deleted", false);
        SourceRecord out = transform.apply(change("d", before, null, T0));

        assertThat(out).isNotNull();
        assertThat(header(out, "sync.origin")).isEqualTo("postgres");
        assertThat(header(out, "sync.changed.columns")).isEmpty();
    }

    @Test
    void deleteOfARowMarkedDeletedInSalesforceIsDropped() {
        Struct before = row("id", "a1", "sfid", "001A", "_sync_version", "cdc:9", "_sync_deleted", true);
        assertThat(transform.apply(change("d", before, null, T0))).isNull();
    }

    @Test
    void deleteWithoutBeforeImageFails() {
        Schema envelope = Changes.envelope(Changes.ROW);
        SourceRecord in = change("c", null, row("id", "a1"), T0);
        Struct value = ((Struct) in.value());
        Struct noBefore = new Struct(envelope).put("before", null).put("after", null)
                .put("source", value.getStruct("source")).put("op", "d");
        SourceRecord delete = in.newRecord(in.topic(), null, in.keySchema(), in.key(), envelope, noBefore, null);

        assertThatThrownBy(() -> transform.apply(delete)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("REPLICA IDENTITY FULL");
    }

    @Test
    void tombstonesAreDropped() {
        assertThat(transform.apply(Changes.tombstone("a1"))).isNull();
        assertThat(transform.metrics().getDroppedTombstones()).isEqualTo(1);
    }

    // ---- records that are not row changes ----

    @Test
    void heartbeatsSchemaChangesAndMessagesPassThroughUntouched() {
        Schema heartbeat = SchemaBuilder.struct().name("io.debezium.connector.common.Heartbeat")
                .field("ts_ms", Schema.INT64_SCHEMA).build();
        SourceRecord beat = new SourceRecord(Map.of(), Map.of(), "__debezium-heartbeat.pg", null, null,
                heartbeat, new Struct(heartbeat).put("ts_ms", 1L));
        Schema message = SchemaBuilder.struct().name("io.debezium.connector.postgresql.MessageValue")
                .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .field("source", Changes.SOURCE).build();
        SourceRecord logical = new SourceRecord(Map.of(), Map.of(), "pg.message", null, null, message,
                new Struct(message).put("op", "m").put("source", ((Struct) change("c", null, row("id", "x"), T0)
                        .value()).getStruct("source")));
        SourceRecord text = new SourceRecord(Map.of(), Map.of(), "other", null, null, Schema.STRING_SCHEMA, "hi");

        assertThat(transform.apply(beat)).isSameAs(beat);
        assertThat(transform.apply(logical)).isSameAs(logical);
        assertThat(transform.apply(text)).isSameAs(text);
        assertThat(beat.headers()).isEmpty();
    }

    @Test
    void tableWithoutVersionMarkerIsAllPostgresOrigin() {
        Struct before = row(Changes.PLAIN_ROW, "id", "n1", "body", "hello");
        SourceRecord out = transform.apply(change("u", before, with(before, "body", "hello world"), T0));

        assertThat(header(out, "sync.changed.columns")).isEqualTo("body");
        assertThat(transform.apply(change("d", before, null, T0))).isNotNull();
    }

    @Test
    void versionAndConfigDocumented() {
        assertThat(transform.version()).isNotBlank().isNotEqualTo("unknown");
        assertThat(transform.config()).isSameAs(ConflictTransformConfig.CONFIG_DEF);
    }

    @Test
    void markerColumnNamesAreConfigurable() {
        PostgresConflictTransform custom = new PostgresConflictTransform();
        custom.configure(config("marker.version.column", "name"));
        try {
            Struct before = row("id", "a1", "name", "Acme", "rating", "Hot");
            // "name" now plays the version marker: changing it means Salesforce origin
            assertThat(custom.apply(change("u", before, with(before, "name", "Other"), T0))).isNull();
            assertThat(custom.apply(change("u", before, with(before, "rating", "Cold"), T0))).isNotNull();
        } finally {
            custom.close();
        }
    }
}
