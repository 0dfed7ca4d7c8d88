package io.sfsync.salesforce.bulk;

import io.sfsync.salesforce.error.ErrorClassifier;
import io.sfsync.salesforce.write.RecordError;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * The CSV this client speaks with Bulk API 2.0: RFC 4180, comma-separated, LF line endings, UTF-8. Values are
 * written as Salesforce reads them: {@code #N/A} sets a field to null, an empty cell leaves it as it is.
 */
final class BulkCsv {

    /** The cell that sets a field to null. */
    static final String NULL_MARKER = "#N/A";

    static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\n").get();

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    private BulkCsv() {
    }

    /**
     * The cell for a field value: {@code #N/A} for null and for an empty string (Salesforce stores no empty
     * strings, so both mean "no value"), dates as {@code yyyy-MM-dd}, date-times in UTC as
     * {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, numbers in plain notation.
     */
    static String cell(Object value) {
        if (value == null) {
            return NULL_MARKER;
        }
        if (value instanceof CharSequence s) {
            return s.length() == 0 ? NULL_MARKER : s.toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("Salesforce numbers cannot be NaN or infinite");
            }
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof LocalDate
                || value instanceof LocalTime) {
            return value.toString();
        }
        if (value instanceof Instant i) {
            return DATE_TIME.format(i.atOffset(ZoneOffset.UTC));
        }
        if (value instanceof OffsetDateTime t) {
            return DATE_TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC));
        }
        if (value instanceof ZonedDateTime t) {
            return DATE_TIME.format(t.withZoneSameInstant(ZoneOffset.UTC));
        }
        if (value instanceof LocalDateTime t) {
            return DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
        }
        if (value instanceof Date d) {
            return DATE_TIME.format(d.toInstant().atOffset(ZoneOffset.UTC));
        }
        if (value instanceof byte[]) {
            throw new IllegalArgumentException("Bulk API 2.0 does not load binary fields");
        }
        return value.toString();
    }

    /** A cell as written: quoted (quotes doubled) when it holds a comma, quote, line break or edge whitespace. */
    static String escape(String cell) {
        boolean quote = false;
        for (int i = 0; i < cell.length() && !quote; i++) {
            char c = cell.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote && !cell.isEmpty()) {
            quote = Character.isWhitespace(cell.charAt(0)) || Character.isWhitespace(cell.charAt(cell.length() - 1));
        }
        return quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }

    /** The UTF-8 size of a text, counted without encoding it. */
    static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** A parser over a CSV answer; the first record is the header. */
    static CSVParser parser(Reader reader) {
        try {
            return CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String[] values(CSVRecord r) {
        return r.values();
    }

    /** The key a result row is matched by: its original cells, as uploaded. */
    static String rowKey(String[] cells, int from) {
        return String.join("\u0001", Arrays.asList(cells).subList(from, cells.length));
    }

    /**
     * Parses an {@code sf__Error} cell, {@code CODE:message:fields --}:
     * {@code REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --} gives code
     * {@code REQUIRED_FIELD_MISSING}, message {@code Required fields are missing: [Name]} and fields {@code [Name]};
     * {@code ENTITY_IS_DELETED:entity is deleted:--} names no field. A cell in another shape becomes the message
     * of an error without code.
     */
    static RecordError parseError(String text) {
        String s = text == null ? "" : text.trim();
        int colon = s.indexOf(':');
        if (colon <= 0 || !s.substring(0, colon).matches("[A-Z][A-Z0-9_]*")) {
            return new RecordError(null, s, List.of(), ErrorClassifier.classifyRecordError(null));
        }
        String code = s.substring(0, colon);
        String rest = s.substring(colon + 1);
        List<String> fields = new ArrayList<>();
        String message = rest;
        if (rest.endsWith("--")) {
            String body = rest.substring(0, rest.length() - 2).stripTrailing();
            int last = body.lastIndexOf(':');
            if (last >= 0) {
                message = body.substring(0, last);
                for (String f : body.substring(last + 1).split(",")) {
                    if (!f.isBlank()) {
                        fields.add(f.trim());
                    }
                }
            } else {
                message = body;
            }
        }
        return new RecordError(code, message, fields, ErrorClassifier.classifyRecordError(code));
    }
}
