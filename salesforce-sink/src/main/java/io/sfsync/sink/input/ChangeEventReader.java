package io.sfsync.sink.input;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads Debezium Postgres change events into {@link RowChange}s, in both shapes a sink meets:
 * <ul>
 *   <li>the envelope ({@code before}, {@code after}, {@code op} = c/r/u/d); when both images are present, the
 *       changed columns are computed by comparing them;</li>
 *   <li>flattened by {@code ExtractNewRecordState}: the row itself, deleted rows as a tombstone (null value, key
 *       only) or with {@code __deleted = "true"} ({@code delete.handling.mode=rewrite}); {@code __op}, when added,
 *       tells insert from update.</li>
 * </ul>
 * Values may be {@link Struct}s (schemas) or {@link Map}s (schemaless JSON). The header named by
 * {@code changedColumnsHeader} (the conflict SMT's, comma-separated column names), when present, overrides the
 * computed changed columns. Columns whose names start with {@code __} (Debezium's added fields) are dropped.
 */
public final class ChangeEventReader {

    private static final String MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
    private static final String NANO_TIMESTAMP = "io.debezium.time.NanoTimestamp";
    private static final String MILLI_TIMESTAMP = "io.debezium.time.Timestamp";
    private static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    private static final String DEBEZIUM_DATE = "io.debezium.time.Date";
    private static final String MICRO_TIME = "io.debezium.time.MicroTime";
    private static final String MILLI_TIME = "io.debezium.time.Time";
    private static final String NANO_TIME = "io.debezium.time.NanoTime";
    private static final String VARIABLE_DECIMAL = "io.debezium.data.VariableScaleDecimal";

    private final String changedColumnsHeader;

    public ChangeEventReader(String changedColumnsHeader) {
        this.changedColumnsHeader = Objects.requireNonNull(changedColumnsHeader, "changedColumnsHeader");
    }

    /**
     * The change the record carries, or empty for records that carry none (Debezium's truncate and message events,
     * a tombstone without key).
     *
     * @throws DataException when the value is neither a struct nor a map
     */
    public Optional<RowChange> read(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            Map<String, Object> key = row(record.key(), record.keySchema());
            return key.isEmpty() ? Optional.empty() : Optional.of(new RowChange(RowChange.Op.DELETE, key, null));
        }
        Map<String, Object> top = row(value, record.valueSchema());
        Optional<RowChange> change;
        if (isEnvelope(top)) {
            change = envelope(record, top);
        } else {
            change = Optional.of(flattened(record, top));
        }
        return change.map(c -> withHeader(record, c));
    }

    private static boolean isEnvelope(Map<String, Object> top) {
        return top.containsKey("op") && (top.containsKey("after") || top.containsKey("before"))
                && (top.get("after") == null || top.get("after") instanceof Map<?, ?>)
                && (top.get("before") == null || top.get("before") instanceof Map<?, ?>);
    }

    @SuppressWarnings("unchecked")
    private Optional<RowChange> envelope(SinkRecord record, Map<String, Object> top) {
        String op = String.valueOf(top.get("op"));
        Map<String, Object> before = (Map<String, Object>) top.get("before");
        Map<String, Object> after = (Map<String, Object>) top.get("after");
        switch (op) {
            case "c", "r":
                return after == null ? Optional.empty() : Optional.of(new RowChange(RowChange.Op.INSERT, after, null));
            case "u":
                if (after == null) {
                    return Optional.empty();
                }
                return Optional.of(new RowChange(RowChange.Op.UPDATE, after, before == null ? null : diff(before, after)));
            case "d":
                Map<String, Object> image = before != null ? before : row(record.key(), record.keySchema());
                return image.isEmpty() ? Optional.empty() : Optional.of(new RowChange(RowChange.Op.DELETE, image, null));
            default:
                return Optional.empty(); // "t" (truncate), "m" (message): nothing to write
        }
    }

    private static RowChange flattened(SinkRecord record, Map<String, Object> row) {
        Object deleted = row.get("__deleted");
        Object op = row.get("__op");
        Map<String, Object> columns = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (!k.startsWith("__")) {
                columns.put(k, v);
            }
        });
        if (deleted != null && Boolean.parseBoolean(deleted.toString()) || "d".equals(op)) {
            if (columns.isEmpty()) {
                columns.putAll(row(record.key(), record.keySchema()));
            }
            return new RowChange(RowChange.Op.DELETE, columns, null);
        }
        return new RowChange("u".equals(op) ? RowChange.Op.UPDATE : RowChange.Op.INSERT, columns, null);
    }

    private RowChange withHeader(SinkRecord record, RowChange change) {
        if (change.op() == RowChange.Op.DELETE) {
            return change;
        }
        Header h = record.headers().lastWithName(changedColumnsHeader);
        if (h == null || h.value() == null) {
            return change;
        }
        Set<String> names = parseColumnList(h.value());
        return new RowChange(change.op(), change.columns(), names);
    }

    /** The header contract: a comma-separated string of column names (a list of strings is accepted too). */
    static Set<String> parseColumnList(Object headerValue) {
        List<String> raw = headerValue instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : Arrays.asList(headerValue.toString().split(","));
        return raw.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Set<String> diff(Map<String, Object> before, Map<String, Object> after) {
        Set<String> changed = new LinkedHashSet<>();
        for (Map.Entry<String, Object> e : after.entrySet()) {
            if (!before.containsKey(e.getKey()) || !valueEquals(before.get(e.getKey()), e.getValue())) {
                changed.add(e.getKey());
            }
        }
        return changed;
    }

    private static boolean valueEquals(Object a, Object b) {
        if (a instanceof java.math.BigDecimal x && b instanceof java.math.BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }

    /** A struct or map as columns by lower-case name, with logical types converted; nested structs stay maps. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> row(Object value, Schema schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (value instanceof Struct struct) {
            for (Field f : struct.schema().fields()) {
                Object v = convert(struct.get(f), f.schema());
                out.put(f.name().toLowerCase(Locale.ROOT), v instanceof Struct s ? row(s, s.schema()) : v);
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            ((Map<Object, Object>) map).forEach((k, v) -> out.put(String.valueOf(k).toLowerCase(Locale.ROOT),
                    v instanceof Map<?, ?> m ? row(m, null) : v));
            return out;
        }
        if (schema != null && schema.type().isPrimitive()) {
            // A primitive key (no struct): keep it under an empty name; the mapper takes it as the row key.
            out.put("", value);
            return out;
        }
        throw new DataException("Expected a struct or map value, got " + value.getClass().getName());
    }

    /** Debezium's and Connect's logical temporal types to java.time; everything else as it is. */
    static Object convert(Object v, Schema schema) {
        if (v == null || schema == null || schema.name() == null) {
            return v;
        }
        String name = schema.name();
        switch (name) {
            case DEBEZIUM_DATE:
                return LocalDate.ofEpochDay(((Number) v).longValue());
            case MICRO_TIMESTAMP: {
                long micros = ((Number) v).longValue();
                return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
            }
            case NANO_TIMESTAMP: {
                long nanos = ((Number) v).longValue();
                return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
            }
            case MILLI_TIMESTAMP:
                return Instant.ofEpochMilli(((Number) v).longValue());
            case ZONED_TIMESTAMP:
                return Instant.parse(v.toString());
            case MICRO_TIME:
                return LocalTime.ofNanoOfDay(((Number) v).longValue() * 1000L);
            case MILLI_TIME:
                return LocalTime.ofNanoOfDay(((Number) v).longValue() * 1_000_000L);
            case NANO_TIME:
                return LocalTime.ofNanoOfDay(((Number) v).longValue());
            case Date.LOGICAL_NAME:
                return ((java.util.Date) v).toInstant().atZone(ZoneOffset.UTC).toLocalDate();
            case Timestamp.LOGICAL_NAME:
                return ((java.util.Date) v).toInstant();
            case Time.LOGICAL_NAME:
                return LocalTime.ofNanoOfDay(((java.util.Date) v).getTime() * 1_000_000L);
            case VARIABLE_DECIMAL:
                if (v instanceof Struct s) {
                    return new java.math.BigDecimal(new java.math.BigInteger(s.getBytes("value")), s.getInt32("scale"));
                }
                return v;
            default:
                return v;
        }
    }
}
