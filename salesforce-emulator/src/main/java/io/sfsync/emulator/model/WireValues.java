package io.sfsync.emulator.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts field values between the emulator's in-memory convention (see {@link FieldType}) and Salesforce's wire
 * formats, for every API that reads or writes them: REST JSON, Bulk CSV, SOQL literals.
 *
 * <p>Wire formats, as a real org sends them:
 * <ul>
 *   <li>datetime {@code 2024-01-02T03:04:05.000+0000} (UTC, milliseconds, {@code +0000});</li>
 *   <li>date {@code 2024-01-02}; time {@code 03:04:05.000Z};</li>
 *   <li>int and long fields as integral JSON numbers ({@code 250});</li>
 *   <li>double, currency and percent fields as Java doubles print: {@code 15000.0}, {@code 9.0E7}. Salesforce
 *       serializes these fields through a double, which is why clients see scientific notation for large
 *       amounts; {@link #toJson} returns a {@link Double} so any JSON library reproduces it.</li>
 * </ul>
 * Independent of any JSON library.
 */
public final class WireValues {

    private static final DateTimeFormatter DATETIME_OUT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxx", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CDC_DATETIME_OUT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME_OUT = DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'", Locale.ROOT);

    /** {@code 2024-01-02T03:04:05[.000](Z|+0000|+00:00)}; the offset is required, as in SOQL and the APIs. */
    private static final Pattern DATETIME_IN = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?([Zz]|([+-])(\\d{2}):?(\\d{2}))");
    private static final Pattern DATE_IN = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIME_IN = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?[Zz]?");

    private WireValues() {
    }

    // ---------------------------------------------------------------- formatting

    /** {@code 2024-01-02T03:04:05.000+0000}, the REST and Bulk form of a datetime. */
    public static String formatDateTime(Instant value) {
        return DATETIME_OUT.format(value);
    }

    /** {@code 2024-01-02}. */
    public static String formatDate(LocalDate value) {
        return value.toString();
    }

    /** {@code 2024-01-02T03:04:05.000Z}, the form of datetimes in CDC payloads over CometD. */
    public static String formatCdcDateTime(Instant value) {
        return CDC_DATETIME_OUT.format(value);
    }

    /** Like {@link #toJson}, for CDC payloads: the same values, but datetimes in the {@code Z} form. */
    public static Object toCdcJson(FieldType type, Object value) {
        return value instanceof Instant i ? formatCdcDateTime(i) : toJson(type, value);
    }

    /** {@code 03:04:05.000Z}. */
    public static String formatTime(LocalTime value) {
        return TIME_OUT.format(value);
    }

    /**
     * A value ready for a JSON writer: {@link String}, {@link Boolean}, {@link Long} or {@link BigInteger} (int and
     * long fields), {@link Double} (double, currency, percent), an ordered {@link Map} (compound address and
     * location values, keys already in wire form), or null.
     */
    public static Object toJson(FieldType type, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> compound) {
            Map<String, Object> out = new LinkedHashMap<>();
            compound.forEach((k, v) -> out.put(String.valueOf(k), jsonScalar(v)));
            return out;
        }
        return switch (type) {
            case INT, LONG -> integral(toBigDecimal(value));
            case DOUBLE, CURRENCY, PERCENT -> toBigDecimal(value).doubleValue();
            case DATE, DATETIME, TIME -> toText(type, value);
            case BOOLEAN -> value;
            default -> value.toString();
        };
    }

    /** The JSON number text of a numeric field value, exactly as Salesforce writes it ({@code 250}, {@code 9.0E7}). */
    public static String jsonNumberText(FieldType type, BigDecimal value) {
        return String.valueOf(toJson(type, value));
    }

    /**
     * The text form of a value, as in Bulk CSV cells and JSON strings: dates and times in wire format, numbers as in
     * JSON, booleans {@code true}/{@code false}. Returns null for null; callers decide how they show null.
     */
    public static String toText(FieldType type, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return formatDateTime(i);
        }
        if (value instanceof LocalDate d) {
            return formatDate(d);
        }
        if (value instanceof LocalTime t) {
            return formatTime(t);
        }
        if (type.isNumber()) {
            return String.valueOf(toJson(type, value));
        }
        return value.toString();
    }

    private static Object jsonScalar(Object v) {
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof Instant || v instanceof LocalDate || v instanceof LocalTime) {
            return toText(FieldType.STRING, v);
        }
        return v;
    }

    private static Object integral(BigDecimal d) {
        BigInteger whole = d.setScale(0, java.math.RoundingMode.HALF_UP).toBigIntegerExact();
        return whole.bitLength() < 64 ? (Object) whole.longValue() : whole;
    }

    private static BigDecimal toBigDecimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        return new BigDecimal(value.toString());
    }

    // ---------------------------------------------------------------- parsing

    /**
     * Parses a datetime in any form Salesforce accepts on input: {@code 2024-01-02T03:04:05Z},
     * {@code 2024-01-02T03:04:05.000+0000}, {@code 2024-01-02T03:04:05+05:30}.
     *
     * @throws IllegalArgumentException if the text is not such a datetime or names an impossible instant
     */
    public static Instant parseDateTime(String text) {
        Matcher m = DATETIME_IN.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a datetime: " + text);
        }
        try {
            int nanos = 0;
            if (m.group(7) != null) {
                nanos = Integer.parseInt((m.group(7) + "00000000").substring(0, 9));
            }
            LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    Integer.parseInt(m.group(6)), nanos);
            ZoneOffset offset = ZoneOffset.UTC;
            if (m.group(9) != null) {
                int sign = m.group(9).equals("-") ? -1 : 1;
                int hours = Integer.parseInt(m.group(10));
                int minutes = Integer.parseInt(m.group(11));
                if (hours > 18 || minutes > 59) {
                    throw new IllegalArgumentException("not a datetime: " + text);
                }
                offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            }
            return local.toInstant(offset);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a datetime: " + text, e);
        }
    }

    /** Parses {@code 2024-01-02}; throws {@link IllegalArgumentException} otherwise (including 2024-02-30). */
    public static LocalDate parseDate(String text) {
        if (text == null || !DATE_IN.matcher(text).matches()) {
            throw new IllegalArgumentException("not a date: " + text);
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a date: " + text, e);
        }
    }

    /** Parses {@code 03:04:05.000Z}, also without millis or without the {@code Z}. */
    public static LocalTime parseTime(String text) {
        Matcher m = TIME_IN.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a time: " + text);
        }
        try {
            int nanos = m.group(4) == null ? 0 : Integer.parseInt((m.group(4) + "00000000").substring(0, 9));
            return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), nanos);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a time: " + text, e);
        }
    }

    /**
     * The inverse of {@link #toText}: the in-memory value of a field from its text form (CSV cell, JSON string).
     * Text types stay as they are; numbers become {@link BigDecimal}; booleans accept {@code true}/{@code false}
     * in any case. Null stays null.
     *
     * @throws IllegalArgumentException if the text is not a value of that type
     */
    public static Object fromText(FieldType type, String text) {
        if (text == null) {
            return null;
        }
        return switch (type) {
            case BOOLEAN -> {
                if (text.equalsIgnoreCase("true")) {
                    yield Boolean.TRUE;
                }
                if (text.equalsIgnoreCase("false")) {
                    yield Boolean.FALSE;
                }
                throw new IllegalArgumentException("not a boolean: " + text);
            }
            case INT, LONG, DOUBLE, CURRENCY, PERCENT -> {
                try {
                    yield new BigDecimal(text.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number: " + text, e);
                }
            }
            case DATE -> parseDate(text);
            case DATETIME -> parseDateTime(text);
            case TIME -> parseTime(text);
            case ADDRESS, LOCATION -> throw new IllegalArgumentException("compound fields have no text form");
            default -> text;
        };
    }
}
