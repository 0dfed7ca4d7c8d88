package io.sfsync.emulator.soql;

import io.sfsync.emulator.model.SObjectType;

import java.util.Comparator;
import java.util.List;

/**
 * A query checked against the schema and ready to run, possibly many times (a Bulk query job prepares it when the
 * job is created and runs it later). Obtain one from {@link SoqlEngine#prepare(String)}.
 */
public final class QueryPlan {

    private final SoqlQuery query;
    private final SObjectType type;
    private final List<ResolvedField> columns;
    private final RowPredicate filter;
    private final Comparator<Row> order;

    QueryPlan(SoqlQuery query, SObjectType type, List<ResolvedField> columns, RowPredicate filter,
              Comparator<Row> order) {
        this.query = query;
        this.type = type;
        this.columns = List.copyOf(columns);
        this.filter = filter;
        this.order = order;
    }

    public SoqlQuery query() {
        return query;
    }

    /** The queried object. */
    public SObjectType type() {
        return type;
    }

    /** The selected fields in SELECT order, FIELDS() expanded; empty for COUNT(). */
    public List<ResolvedField> columns() {
        return columns;
    }

    public boolean isCount() {
        return query.isCount();
    }

    RowPredicate filter() {
        return filter;
    }

    Comparator<Row> order() {
        return order;
    }
}
