package io.sfsync.emulator.data;

import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.SalesforceIds;
import io.sfsync.emulator.model.WireValues;

import java.math.BigDecimal;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an incoming value (from a JSON body or a Bulk CSV cell) into the in-memory value of a field, checking it
 * the way Salesforce does and failing with Salesforce's error code and message.
 *
 * <p>Incoming values are already plain Java: null, String, Boolean or a Number (JSON numbers arrive as
 * BigDecimal). Strings are accepted for every type, as Salesforce's deserializer accepts {@code "42"} for a number.
 */
public final class FieldValues {

    private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9._%+'&/=?^{}|~!#$*-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$");

    private FieldValues() {
    }

    /** A conversion failure carrying the Salesforce error. */
    public static final class InvalidValue extends Exception {
        private final ApiError error;

        InvalidValue(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public ApiError error() {
            return error;
        }
    }

    public static Object convert(FieldDef f, Object raw, String objectLabel) throws InvalidValue {
        if (raw == null || (raw instanceof String s && s.isEmpty() && !f.type().isText())) {
            return f.type() == FieldType.BOOLEAN ? Boolean.FALSE : null;
        }
        FieldType t = f.type();
        try {
            return switch (t) {
                case BOOLEAN -> toBoolean(f, raw);
                case INT, LONG, DOUBLE, CURRENCY, PERCENT -> toNumber(f, raw);
                // Salesforce accepts a datetime for a date field and keeps its date part.
                case DATE -> WireValues.parseDate(text(raw).length() > 10 ? text(raw).substring(0, 10) : text(raw));
                case DATETIME -> WireValues.parseDateTime(text(raw).trim()).truncatedTo(ChronoUnit.SECONDS);
                case TIME -> WireValues.parseTime(text(raw).trim());
                case ID, REFERENCE -> toId(f, raw, objectLabel);
                case PICKLIST -> toPicklist(f, text(raw));
                case MULTIPICKLIST -> toMultiPicklist(f, text(raw));
                case EMAIL -> toEmail(f, text(raw));
                case ADDRESS, LOCATION -> throw new InvalidValue(ApiError.of("INVALID_FIELD_FOR_INSERT_UPDATE",
                        unableToWrite(List.of(f.name())), f.name()));
                default -> checkLength(f, text(raw));
            };
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw notOfType(f, raw);
        }
    }

    /** Salesforce's message for fields that cannot be written by this user or at all. */
    public static String unableToWrite(List<String> fields) {
        return "Unable to create/update fields: " + String.join(", ", fields)
                + ". Please check the security settings of this field and verify that it is read/write for your "
                + "profile or permission set.";
    }

    private static String text(Object raw) {
        if (raw instanceof BigDecimal n) {
            return n.toPlainString();
        }
        return String.valueOf(raw);
    }

    private static InvalidValue notOfType(FieldDef f, Object raw) {
        return new InvalidValue(ApiError.of("INVALID_TYPE_ON_FIELD_IN_RECORD",
                f.label() + ": value not of required type: " + text(raw), f.name()));
    }

    private static Boolean toBoolean(FieldDef f, Object raw) throws InvalidValue {
        if (raw instanceof Boolean b) {
            return b;
        }
        String s = text(raw).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw notOfType(f, raw);
        };
    }

    private static BigDecimal toNumber(FieldDef f, Object raw) throws InvalidValue {
        BigDecimal n;
        if (raw instanceof BigDecimal b) {
            n = b;
        } else if (raw instanceof Number num) {
            n = new BigDecimal(num.toString());
        } else if (raw instanceof Boolean) {
            throw notOfType(f, raw);
        } else {
            n = new BigDecimal(text(raw).trim());
        }
        int integerDigits = f.type() == FieldType.INT || f.type() == FieldType.LONG
                ? f.digits() : f.precision() - f.scale();
        if (f.type() == FieldType.INT || f.type() == FieldType.LONG) {
            if (n.stripTrailingZeros().scale() > 0) {
                throw notOfType(f, raw);
            }
            n = n.setScale(0, java.math.RoundingMode.UNNECESSARY);
        } else {
            n = n.setScale(f.scale(), java.math.RoundingMode.HALF_UP);
        }
        int digitsBeforePoint = n.precision() - n.scale();
        if (integerDigits > 0 && digitsBeforePoint > integerDigits && n.signum() != 0) {
            throw new InvalidValue(ApiError.of("NUMBER_OUTSIDE_VALID_RANGE",
                    f.label() + ": value outside of valid range on numeric field: " + text(raw), f.name()));
        }
        return n;
    }

    private static String toId(FieldDef f, Object raw, String objectLabel) throws InvalidValue {
        String s = text(raw).trim();
        String id = SalesforceIds.normalize(s);
        if (id == null) {
            String label = f.type() == FieldType.ID ? objectLabel + " ID" : f.label();
            throw new InvalidValue(ApiError.of("MALFORMED_ID", label + ": id value of incorrect type: " + s, f.name()));
        }
        return id;
    }

    private static String toPicklist(FieldDef f, String value) throws InvalidValue {
        if (f.restrictedPicklist() && !f.isPicklistValue(value)) {
            throw new InvalidValue(ApiError.of("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    f.label() + ": bad value for restricted picklist field: " + value, f.name()));
        }
        return checkLength(f, value);
    }

    private static String toMultiPicklist(FieldDef f, String value) throws InvalidValue {
        Set<String> values = new LinkedHashSet<>();
        for (String v : value.split(";")) {
            String trimmed = v.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (f.restrictedPicklist() && !f.isPicklistValue(trimmed)) {
                throw new InvalidValue(ApiError.of("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                        f.label() + ": bad value for restricted picklist field: " + trimmed, f.name()));
            }
            values.add(trimmed);
        }
        // Salesforce stores the selected values in picklist order, without duplicates.
        List<String> order = f.picklistValues().stream().map(p -> p.value()).toList();
        String[] sorted = values.toArray(String[]::new);
        Arrays.sort(sorted, (a, b) -> Integer.compare(rank(order, a), rank(order, b)));
        return values.isEmpty() ? null : String.join(";", sorted);
    }

    private static int rank(List<String> order, String v) {
        int i = order.indexOf(v);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static String toEmail(FieldDef f, String value) throws InvalidValue {
        String v = value.trim();
        if (!EMAIL.matcher(v).matches()) {
            throw new InvalidValue(ApiError.of("INVALID_EMAIL_ADDRESS",
                    f.label() + ": invalid email address: " + value, f.name()));
        }
        return checkLength(f, v);
    }

    private static String checkLength(FieldDef f, String value) throws InvalidValue {
        if (f.length() > 0 && value.length() > f.length()) {
            throw new InvalidValue(ApiError.of("STRING_TOO_LONG", f.label() + ": data value too large: "
                    + abbreviate(value) + " (max length=" + f.length() + ")", f.name()));
        }
        return value;
    }

    private static String abbreviate(String v) {
        return v.length() > 100 ? v.substring(0, 100) + "..." : v;
    }
}
