package io.sfsync.emulator.soql;

import io.sfsync.emulator.model.WireValues;
import io.sfsync.emulator.model.SObjectType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The rows of a query, in result order, after OFFSET and LIMIT. Paging (REST's 2,000-row batches and
 * nextRecordsUrl, Bulk's locators) is the caller's business.
 */
public final class QueryResult {

    private final SObjectType type;
    private final boolean count;
    private final int totalSize;
    private final List<ResolvedField> columns;
    private final List<Row> rows;
    private final List<List<Object>> values;

    QueryResult(SObjectType type, boolean count, int totalSize, List<ResolvedField> columns, List<Row> rows) {
        this.type = type;
        this.count = count;
        this.totalSize = totalSize;
        this.columns = List.copyOf(columns);
        this.rows = List.copyOf(rows);
        // Read every selected value now, so parents are looked up while the query runs and every rendering of
        // this result shows the same data.
        List<List<Object>> flat = new ArrayList<>(rows.size());
        for (Row row : rows) {
            List<Object> line = new ArrayList<>(columns.size());
            for (ResolvedField column : columns) {
                line.add(row.value(column));
            }
            flat.add(Collections.unmodifiableList(line));
        }
        this.values = Collections.unmodifiableList(flat);
    }

    /** The queried object. */
    public SObjectType type() {
        return type;
    }

    /** The query was {@code SELECT COUNT() ...}: {@link #totalSize()} is the answer and there are no records. */
    public boolean isCount() {
        return count;
    }

    /** REST's {@code totalSize}: the number of rows, or the count for COUNT(). */
    public int totalSize() {
        return totalSize;
    }

    /** The selected fields, in SELECT order (FIELDS() expanded); their paths name Bulk CSV columns. */
    public List<ResolvedField> columns() {
        return columns;
    }

    /** Per row, the value of each column in {@link #columns()} order, in-memory types (Bulk CSV rows). */
    public List<List<Object>> values() {
        return values;
    }

    /** The rows in REST shape with in-memory values (BigDecimal, Instant, LocalDate...). */
    public List<Map<String, Object>> records(String apiVersion) {
        return render(new RecordRenderer(apiVersion, (field, value) -> value));
    }

    /** The rows in REST shape with values converted by {@link WireValues#toJson}, ready for any JSON writer. */
    public List<Map<String, Object>> jsonRecords(String apiVersion) {
        return render(new RecordRenderer(apiVersion, (field, value) -> WireValues.toJson(field.type(), value)));
    }

    private List<Map<String, Object>> render(RecordRenderer renderer) {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(renderer.render(row, columns));
        }
        return out;
    }
}
