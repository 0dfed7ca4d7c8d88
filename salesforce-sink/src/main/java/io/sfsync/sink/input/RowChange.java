package io.sfsync.sink.input;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One Postgres row change, independent of how Debezium shaped it.
 *
 * @param op             what happened to the row
 * @param columns        the row's columns by lower-case name (the after image; for a delete the before image, or
 *                       only the key columns for a tombstone); values already converted from Debezium's logical
 *                       types to {@code LocalDate}, {@code LocalTime}, {@code Instant}, {@code BigDecimal}...
 * @param changedColumns the lower-case names of the columns that changed, or null when unknown (all are written)
 */
public record RowChange(Op op, Map<String, Object> columns, Set<String> changedColumns) {

    public enum Op {
        /** A new row (or a snapshot read, or a flattened event without its operation): upsert. */
        INSERT,
        UPDATE,
        DELETE
    }

    public RowChange {
        Objects.requireNonNull(op, "op");
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        changedColumns = changedColumns == null ? null : Set.copyOf(changedColumns);
    }

    public Object column(String lowerCaseName) {
        return columns.get(lowerCaseName);
    }

    @Override
    public String toString() {
        return "RowChange[" + op + " " + columns.keySet() + (changedColumns == null ? "" : " changed=" + changedColumns)
                + "]"; // column names only: values are customer data
    }
}
