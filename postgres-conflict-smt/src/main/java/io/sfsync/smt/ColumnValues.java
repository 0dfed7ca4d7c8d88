package io.sfsync.smt;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/** Comparing and rendering the column values of Debezium's row structs. */
final class ColumnValues {

    private ColumnValues() {
    }

    /**
     * Whether two column values are the same value: decimals by numeric value (1.50 = 1.5), byte arrays by content,
     * structs, lists and maps deeply; everything else by {@code equals}.
     */
    static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof byte[] || b instanceof byte[]) {
            return bytes(a) != null && Arrays.equals(bytes(a), bytes(b));
        }
        if (a instanceof Struct x && b instanceof Struct y) {
            List<Field> fields = x.schema().fields();
            if (fields.size() != y.schema().fields().size()) {
                return false;
            }
            for (Field field : fields) {
                if (y.schema().field(field.name()) == null || !same(x.get(field), y.get(field.name()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!same(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> entry : x.entrySet()) {
                if (!same(entry.getValue(), y.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] array) {
            return array;
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            return copy;
        }
        return null;
    }

    /**
     * A timestamp column as an instant, whichever way Debezium encoded it: Connect's {@code Timestamp} (a Date,
     * {@code time.precision.mode=connect}), Debezium's {@code Timestamp}/{@code MicroTimestamp}/{@code NanoTimestamp}
     * (epoch longs, the default adaptive mode for {@code timestamp}) or {@code ZonedTimestamp} (ISO text, for
     * {@code timestamptz}). Null when absent or not a timestamp.
     */
    static Instant instant(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        String name = schema == null ? null : schema.name();
        if (value instanceof Long epoch) {
            if ("io.debezium.time.MicroTimestamp".equals(name)) {
                return Instant.EPOCH.plusNanos(Math.multiplyExact(epoch, 1_000L));
            }
            if ("io.debezium.time.NanoTimestamp".equals(name)) {
                return Instant.EPOCH.plusNanos(epoch);
            }
            return Instant.ofEpochMilli(epoch);
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return Instant.parse(text);
                } catch (DateTimeParseException ignored) {
                    return null;
                }
            }
        }
        return null;
    }

    /** A column value as text for the conflicts table (null stays null). */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        byte[] bytes = bytes(value);
        if (bytes != null) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        return value.toString();
    }
}
