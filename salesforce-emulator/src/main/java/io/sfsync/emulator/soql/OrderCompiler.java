package io.sfsync.emulator.soql;

import io.sfsync.emulator.model.FieldType;

import java.util.Comparator;
import java.util.List;

/** Checks ORDER BY keys against the schema and builds the row comparator. */
final class OrderCompiler {

    private final FieldResolver fields;
    private final QuerySource source;

    OrderCompiler(FieldResolver fields, QuerySource source) {
        this.fields = fields;
        this.source = source;
    }

    /**
     * The comparator for the keys, or null for none. Sorting with it must be stable: rows that tie keep the
     * source's creation order, which is also the order of a query without ORDER BY.
     */
    Comparator<Row> compile(List<OrderItem> items) {
        Comparator<Row> result = null;
        for (OrderItem item : items) {
            ResolvedField field = fields.resolve(item.field());
            if (!FieldCapabilities.isSortable(field.field())) {
                throw source.error(SoqlErrorCode.INVALID_FIELD, item.field().position(),
                        SoqlErrors.cannotSort(field.field().name()));
            }
            FieldType type = field.field().type();
            Comparator<Object> values = (a, b) -> ValueComparison.compare(type, a, b);
            if (item.descending()) {
                values = values.reversed();
            }
            // Nulls go first unless NULLS LAST, whatever the direction (the SOQL reference's default).
            Comparator<Object> withNulls = item.nullsFirst() ? Comparator.nullsFirst(values)
                    : Comparator.nullsLast(values);
            Comparator<Row> key = Comparator.comparing(row -> sortValue(row, field), withNulls);
            result = result == null ? key : result.thenComparing(key);
        }
        return result;
    }

    private static Object sortValue(Row row, ResolvedField field) {
        Object value = row.value(field);
        return value == null && field.field().type() == FieldType.BOOLEAN ? Boolean.FALSE : value;
    }
}
