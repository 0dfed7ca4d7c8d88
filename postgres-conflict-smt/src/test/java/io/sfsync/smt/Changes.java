package io.sfsync.smt;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Change events shaped like Debezium's Postgres connector (3.x) emits them for a table {@code public.account}
 * with {@code REPLICA IDENTITY FULL}: key struct, envelope with optional before/after row structs, a source block
 * with {@code ts_ms}, {@code lsn}, {@code schema}, {@code table}, then {@code op} and {@code ts_ms}. The timestamp
 * column uses Debezium's default adaptive mapping of {@code timestamp} ({@code io.debezium.time.MicroTimestamp}).
 */
final class Changes {

    static final String TOPIC = "pg.public.account";

    static final Schema KEY = SchemaBuilder.struct().name("pg.public.account.Key")
            .field("id", Schema.STRING_SCHEMA).build();

    static final Schema ROW = SchemaBuilder.struct().name("pg.public.account.Value").optional()
            .field("id", Schema.STRING_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("rating", Schema.OPTIONAL_STRING_SCHEMA)
            .field("amount", Decimal.builder(2).optional().build())
            .field("logo", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("sfid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("_sync_version", Schema.OPTIONAL_STRING_SCHEMA)
            .field("_sync_modified_at", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1)
                    .optional().build())
            .field("_sync_fields", Schema.OPTIONAL_STRING_SCHEMA)
            .field("_sync_deleted", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .build();

    /** A table that never had markers (not synced from Salesforce). */
    static final Schema PLAIN_ROW = SchemaBuilder.struct().name("pg.public.note.Value").optional()
            .field("id", Schema.STRING_SCHEMA)
            .field("body", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("version", Schema.STRING_SCHEMA)
            .field("connector", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("db", Schema.STRING_SCHEMA)
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    private static long nextLsn = 1000;

    private Changes() {
    }

    static Schema envelope(Schema row) {
        return SchemaBuilder.struct().name(row.name().replace(".Value", ".Envelope")).version(2)
                .field("before", row)
                .field("after", row)
                .field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
    }

    /** A row image of {@code public.account}: column → value pairs; unnamed columns are null. */
    static Struct row(Object... columnsAndValues) {
        return row(ROW, columnsAndValues);
    }

    static Struct row(Schema schema, Object... columnsAndValues) {
        Struct row = new Struct(schema);
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            Object value = columnsAndValues[i + 1];
            if (value instanceof Instant instant) {
                value = instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
            }
            row.put((String) columnsAndValues[i], value);
        }
        return row;
    }

    /** The same row with some columns changed. */
    static Struct with(Struct row, Object... columnsAndValues) {
        Struct copy = new Struct(row.schema());
        row.schema().fields().forEach(field -> copy.put(field, row.get(field)));
        Struct changes = row(row.schema(), columnsAndValues);
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            copy.put((String) columnsAndValues[i], changes.get((String) columnsAndValues[i]));
        }
        return copy;
    }

    static SourceRecord change(String op, Struct before, Struct after, Instant committedAt) {
        return change(op, before, after, committedAt, nextLsn++);
    }

    static SourceRecord change(String op, Struct before, Struct after, Instant committedAt, long lsn) {
        Struct image = after != null ? after : before;
        Schema rowSchema = image.schema();
        Schema envelope = envelope(rowSchema);
        String table = rowSchema == ROW ? "account" : "note";
        Struct source = new Struct(SOURCE).put("version", "3.7.0.Final").put("connector", "postgresql")
                .put("name", "pg").put("ts_ms", committedAt.toEpochMilli()).put("db", "sfsync")
                .put("schema", "public").put("table", table).put("txId", 42L).put("lsn", lsn);
        Struct value = new Struct(envelope).put("before", before).put("after", after).put("source", source)
                .put("op", op).put("ts_ms", committedAt.toEpochMilli() + 5);
        Struct key = new Struct(KEY).put("id", image.getString("id"));
        return new SourceRecord(Map.of("server", "pg"), Map.of("lsn", lsn), "pg.public." + table, null,
                KEY, key, envelope, value);
    }

    static SourceRecord tombstone(String id) {
        return new SourceRecord(Map.of("server", "pg"), Map.of("lsn", nextLsn++), TOPIC, null,
                KEY, new Struct(KEY).put("id", id), null, null);
    }

    static BigDecimal decimal(String value) {
        return new BigDecimal(value);
    }

    static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("conflicts.topic", "");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }
}
