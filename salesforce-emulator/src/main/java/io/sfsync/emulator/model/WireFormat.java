package io.sfsync.emulator.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * How Salesforce writes and reads date, datetime and time values on its different wires.
 *
 * <p>REST JSON and Bulk JobInfo use {@code 2024-01-02T03:04:05.000+0000}; CDC payloads over CometD use
 * {@code 2024-01-02T03:04:05.000Z}; dates are {@code 2024-01-02}; times {@code 03:04:05.000Z}. Salesforce keeps
 * datetimes at second precision, so the millis are always {@code .000} for stored values.
 */
public final class WireFormat {

    private static final DateTimeFormatter REST_DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CDC_DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'");

    /** Accepts every datetime form Salesforce accepts on input: with or without millis, Z, +0000 or +00:00. */
    private static final DateTimeFormatter LENIENT_DATETIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .parseDefaulting(ChronoField.OFFSET_SECONDS, 0)
            .toFormatter();

    private WireFormat() {
    }

    public static String restDateTime(Instant t) {
        return REST_DATETIME.format(t);
    }

    public static String cdcDateTime(Instant t) {
        return CDC_DATETIME.format(t);
    }

    public static String time(LocalTime t) {
        return TIME.format(t);
    }

    public static Instant parseDateTime(String s) {
        return OffsetDateTime.parse(s.trim(), LENIENT_DATETIME).toInstant();
    }

    public static LocalDate parseDate(String s) {
        String v = s.trim();
        // Salesforce accepts a datetime for a date field and keeps its date part.
        return LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v);
    }

    public static LocalTime parseTime(String s) {
        String v = s.trim();
        if (v.endsWith("Z")) {
            v = v.substring(0, v.length() - 1);
        }
        return LocalTime.parse(v);
    }

    /**
     * The REST JSON representation of an in-memory value: strings stay strings, numbers stay numbers, temporal
     * values become Salesforce-formatted strings.
     */
    public static Object toRest(Object value) {
        return toWire(value, false);
    }

    /** The CDC (CometD JSON) representation: like REST, but datetimes in the {@code Z} form. */
    public static Object toCdc(Object value) {
        return toWire(value, true);
    }

    private static Object toWire(Object value, boolean cdc) {
        if (value instanceof Instant t) {
            return cdc ? cdcDateTime(t) : restDateTime(t);
        }
        if (value instanceof LocalDate d) {
            return d.toString();
        }
        if (value instanceof LocalTime t) {
            return time(t);
        }
        if (value instanceof BigDecimal n) {
            return n.scale() <= 0 ? n.toBigIntegerExact() : n;
        }
        return value;
    }

    /** The text form of a value in a Bulk API CSV cell (empty string for null). */
    public static String toCsv(Object value) {
        if (value == null) {
            return "";
        }
        Object wire = toRest(value);
        if (wire instanceof BigDecimal n) {
            return n.toPlainString();
        }
        return String.valueOf(wire);
    }

    public static boolean isDateTime(String s) {
        try {
            parseDateTime(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
