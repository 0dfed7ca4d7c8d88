package io.sfsync.smt;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

class ColumnValuesTest {

    static final Instant AT = Instant.parse("2026-11-22T10:15:30.123456Z");

    @Test
    void decimalsByValueBytesByContent() {
        assertThat(ColumnValues.same(new BigDecimal("1.50"), new BigDecimal("1.5"))).isTrue();
        assertThat(ColumnValues.same(new BigDecimal("1.50"), new BigDecimal("1.51"))).isFalse();
        assertThat(ColumnValues.same(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
        assertThat(ColumnValues.same(new byte[] {1, 2}, ByteBuffer.wrap(new byte[] {1, 2}))).isTrue();
        assertThat(ColumnValues.same(new byte[] {1, 2}, new byte[] {1, 3})).isFalse();
        assertThat(ColumnValues.same(null, "x")).isFalse();
        assertThat(ColumnValues.same(null, null)).isTrue();
    }

    @Test
    void structsListsAndMapsDeeply() {
        // Debezium's VariableScaleDecimal is a struct {scale, value bytes}
        Schema variable = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal")
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();
        Struct a = new Struct(variable).put("scale", 2).put("value", new byte[] {0, 100});
        Struct b = new Struct(variable).put("scale", 2).put("value", new byte[] {0, 100});
        Struct c = new Struct(variable).put("scale", 2).put("value", new byte[] {0, 101});
        assertThat(ColumnValues.same(a, b)).isTrue();
        assertThat(ColumnValues.same(a, c)).isFalse();
        assertThat(ColumnValues.same(List.of(new BigDecimal("1.0"), "x"), List.of(new BigDecimal("1"), "x")))
                .isTrue();
        assertThat(ColumnValues.same(List.of("x"), List.of("x", "y"))).isFalse();
        assertThat(ColumnValues.same(Map.of("k", new byte[] {1}), Map.of("k", new byte[] {1}))).isTrue();
    }

    @Test
    void timestampsInEveryDebeziumEncoding() {
        long micros = AT.getEpochSecond() * 1_000_000L + AT.getNano() / 1_000;
        assertThat(ColumnValues.instant(SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build(),
                micros)).isEqualTo(AT);
        assertThat(ColumnValues.instant(SchemaBuilder.int64().name("io.debezium.time.NanoTimestamp").build(),
                micros * 1_000)).isEqualTo(AT);
        assertThat(ColumnValues.instant(SchemaBuilder.int64().name("io.debezium.time.Timestamp").build(),
                AT.toEpochMilli())).isEqualTo(Instant.ofEpochMilli(AT.toEpochMilli()));
        assertThat(ColumnValues.instant(Timestamp.SCHEMA, Date.from(AT)))
                .isEqualTo(Instant.ofEpochMilli(AT.toEpochMilli()));
        assertThat(ColumnValues.instant(SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").build(),
                "2026-11-22T10:15:30.123456Z")).isEqualTo(AT);
        assertThat(ColumnValues.instant(Schema.STRING_SCHEMA, "2026-11-22T11:15:30.123456+01:00")).isEqualTo(AT);
        assertThat(ColumnValues.instant(Schema.STRING_SCHEMA, "not a time")).isNull();
        assertThat(ColumnValues.instant(Schema.OPTIONAL_INT64_SCHEMA, null)).isNull();
    }

    @Test
    void textForTheConflictsTable() {
        assertThat(ColumnValues.text(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(ColumnValues.text(new byte[] {1, 2, 3})).isEqualTo("AQID");
        assertThat(ColumnValues.text(Date.from(AT))).isEqualTo("2026-11-22T10:15:30.123Z");
        assertThat(ColumnValues.text(null)).isNull();
        assertThat(ColumnValues.text(42)).isEqualTo("42");
    }
}
