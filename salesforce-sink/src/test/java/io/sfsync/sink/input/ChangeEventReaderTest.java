package io.sfsync.sink.input;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Debezium Postgres change events, envelope and flattened, read on plain SinkRecords. */
class ChangeEventReaderTest {

    static final Schema DATE = SchemaBuilder.int32().name("io.debezium.time.Date").optional().build();
    static final Schema MICROS = SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build();
    static final Schema ROW = SchemaBuilder.struct().name("pg.public.account.Value")
            .field("id", Schema.INT32_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("Rating", Schema.OPTIONAL_STRING_SCHEMA)
            .field("annualrevenue", org.apache.kafka.connect.data.Decimal.builder(2).optional().build())
            .field("customer_since__c", DATE)
            .field("updated_at", MICROS)
            .field("sfid", Schema.OPTIONAL_STRING_SCHEMA)
            .optional().build();
    static final Schema ENVELOPE = SchemaBuilder.struct().name("pg.public.account.Envelope")
            .field("before", ROW).field("after", ROW)
            .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    static final Schema KEY = SchemaBuilder.struct().name("pg.public.account.Key").field("id", Schema.INT32_SCHEMA).build();

    final ChangeEventReader reader = new ChangeEventReader("sync.changed.columns");

    static Struct row(int id, String name, String rating) {
        return new Struct(ROW).put("id", id).put("name", name).put("Rating", rating)
                .put("annualrevenue", new BigDecimal("1000.50")).put("customer_since__c", 19_000)
                .put("updated_at", 1_700_000_000_123_456L);
    }

    static SinkRecord envelope(String op, Struct before, Struct after) {
        Struct value = new Struct(ENVELOPE).put("before", before).put("after", after).put("op", op);
        int id = (after != null ? after : before).getInt32("id");
        return new SinkRecord("pg.public.account", 0, KEY, new Struct(KEY).put("id", id), ENVELOPE, value, 7);
    }

    @Test
    void envelopeCreateIsAnInsertWithAllColumnsAndLogicalTypesConverted() {
        RowChange c = reader.read(envelope("c", null, row(1, "Acme", "Hot"))).orElseThrow();
        assertThat(c.op()).isEqualTo(RowChange.Op.INSERT);
        assertThat(c.changedColumns()).isNull();
        assertThat(c.columns()).containsKeys("id", "name", "rating", "annualrevenue", "customer_since__c", "sfid");
        assertThat(c.column("customer_since__c")).isEqualTo(LocalDate.ofEpochDay(19_000));
        assertThat(c.column("updated_at")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_000L));
        assertThat(c.column("annualrevenue")).isEqualTo(new BigDecimal("1000.50"));
    }

    @Test
    void snapshotReadIsAnInsertToo() {
        assertThat(reader.read(envelope("r", null, row(1, "Acme", "Hot"))).orElseThrow().op())
                .isEqualTo(RowChange.Op.INSERT);
    }

    @Test
    void envelopeUpdateComputesTheChangedColumnsFromTheBeforeImage() {
        RowChange c = reader.read(envelope("u", row(1, "Acme", "Hot"), row(1, "Acme", "Warm"))).orElseThrow();
        assertThat(c.op()).isEqualTo(RowChange.Op.UPDATE);
        assertThat(c.changedColumns()).containsExactly("rating");
    }

    @Test
    void decimalsThatDifferOnlyInScaleAreNotChanges() {
        Struct before = row(1, "Acme", "Hot").put("annualrevenue", new BigDecimal("1000.50"));
        Struct after = row(1, "Acme", "Hot").put("annualrevenue", new BigDecimal("1000.5").setScale(2));
        assertThat(reader.read(envelope("u", before, after)).orElseThrow().changedColumns()).isEmpty();
    }

    @Test
    void updateWithoutBeforeImageLeavesChangedColumnsUnknown() {
        assertThat(reader.read(envelope("u", null, row(1, "Acme", "Warm"))).orElseThrow().changedColumns()).isNull();
    }

    @Test
    void theSmtHeaderOverridesTheComputedDiff() {
        SinkRecord r = envelope("u", row(1, "Acme", "Hot"), row(1, "Acme Corp", "Warm"));
        r.headers().addString("sync.changed.columns", " Name ,");
        assertThat(reader.read(r).orElseThrow().changedColumns()).containsExactly("name");
    }

    @Test
    void envelopeDeleteCarriesTheBeforeImageAndTruncateIsIgnored() {
        RowChange c = reader.read(envelope("d", row(3, "Gone", null), null)).orElseThrow();
        assertThat(c.op()).isEqualTo(RowChange.Op.DELETE);
        assertThat(c.column("id")).isEqualTo(3);
        Struct value = new Struct(ENVELOPE).put("op", "t");
        assertThat(reader.read(new SinkRecord("pg.public.account", 0, null, null, ENVELOPE, value, 1))).isEmpty();
    }

    @Test
    void flattenedRowIsAnUpsertAndOpFieldTellsAnUpdate() {
        Map<String, Object> row = new HashMap<>(Map.of("id", 5, "name", "Flat"));
        SinkRecord plain = new SinkRecord("pg.public.account", 0, null, Map.of("id", 5), null, row, 1);
        assertThat(reader.read(plain).orElseThrow().op()).isEqualTo(RowChange.Op.INSERT);
        row.put("__op", "u");
        row.put("__source_ts_ms", 1L);
        RowChange c = reader.read(new SinkRecord("pg.public.account", 0, null, null, null, row, 2)).orElseThrow();
        assertThat(c.op()).isEqualTo(RowChange.Op.UPDATE);
        assertThat(c.columns()).containsOnlyKeys("id", "name");
    }

    @Test
    void flattenedDeleteByRewriteOrTombstone() {
        Map<String, Object> row = Map.of("id", 5, "name", "Flat", "__deleted", "true");
        assertThat(reader.read(new SinkRecord("t", 0, null, null, null, row, 1)).orElseThrow().op())
                .isEqualTo(RowChange.Op.DELETE);
        RowChange tomb = reader.read(new SinkRecord("t", 0, KEY, new Struct(KEY).put("id", 9), null, null, 2))
                .orElseThrow();
        assertThat(tomb.op()).isEqualTo(RowChange.Op.DELETE);
        assertThat(tomb.columns()).containsExactly(Map.entry("id", 9));
        assertThat(reader.read(new SinkRecord("t", 0, null, null, null, null, 3))).isEmpty();
    }

    @Test
    void headerMayAlsoBeAListAndIsIgnoredForDeletes() {
        assertThat(ChangeEventReader.parseColumnList(java.util.List.of("A", "b"))).isEqualTo(Set.of("a", "b"));
        SinkRecord r = envelope("d", row(3, "Gone", null), null);
        r.headers().addString("sync.changed.columns", "name");
        assertThat(reader.read(r).orElseThrow().changedColumns()).isNull();
        assertThat(new ConnectHeaders().lastWithName("x")).isNull();
    }
}
