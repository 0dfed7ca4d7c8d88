package io.sfsync.emulator.soql;

import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.SalesforceIds;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** How SOQL compares two non-null values of a field: equality for filters, order for filters and ORDER BY. */
final class ValueComparison {

    private ValueComparison() {
    }

    /**
     * Equality as Salesforce filters: text is case-insensitive unless the field is case-sensitive (unique
     * case-sensitive fields); ids compare in their 18-character form, so 15-character literals match; a
     * multi-select picklist equals a literal naming the same values in any order.
     */
    static boolean equal(FieldDef field, Object actual, Object expected) {
        FieldType type = field.type();
        if (type == FieldType.MULTIPICKLIST) {
            return picklistValues(actual.toString()).equals(picklistValues(expected.toString()));
        }
        if (type == FieldType.ID || type == FieldType.REFERENCE) {
            return expected.equals(normalizedId(actual));
        }
        if (type.isText()) {
            return field.caseSensitive() ? actual.toString().equals(expected.toString())
                    : actual.toString().equalsIgnoreCase(expected.toString());
        }
        if (actual instanceof BigDecimal a && expected instanceof BigDecimal e) {
            return a.compareTo(e) == 0;
        }
        return actual.equals(expected);
    }

    /**
     * Order of two non-null values: text case-insensitively (Salesforce sorts English text by its upper-case
     * form), ids as plain strings (base-62 in ASCII order, so creation order for ids of one object), the rest
     * naturally (false before true).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(FieldType type, Object a, Object b) {
        if (type == FieldType.ID || type == FieldType.REFERENCE) {
            return normalizedId(a).compareTo(normalizedId(b));
        }
        if (type.isText()) {
            return a.toString().toUpperCase(Locale.ROOT).compareTo(b.toString().toUpperCase(Locale.ROOT));
        }
        return ((Comparable) a).compareTo(b);
    }

    /** The distinct values of a {@code ;}-joined multi-select picklist value, lower-cased for comparison. */
    static Set<String> picklistValues(String joined) {
        return Arrays.stream(joined.split(";"))
                .map(v -> v.trim().toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty())
                .collect(Collectors.toSet());
    }

    private static String normalizedId(Object id) {
        String s = id.toString();
        // Stored ids are already in their 18-character form: confirm that by the suffix alone, without the shape
        // regex and the case restoration (a query with ORDER BY Id compares ids n log n times).
        if (s.length() == 18 && s.regionMatches(15, SalesforceIds.toCaseSafe(s.substring(0, 15)), 15, 3)) {
            return s;
        }
        String id18 = SalesforceIds.normalize(s);
        return id18 == null ? s : id18;
    }
}
