package io.sfsync.emulator.soql;

import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.Schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Checks a parsed query against the schema, in the order Salesforce reports problems, and builds its plan. */
final class QueryPlanner {

    /** FIELDS(ALL) and FIELDS(CUSTOM) are "unbounded" and need a LIMIT of at most 200. */
    private static final int FIELDS_MAX_LIMIT = 200;
    private static final int MAX_OFFSET = 2000;

    private final Schema schema;

    QueryPlanner(Schema schema) {
        this.schema = schema;
    }

    QueryPlan plan(SoqlQuery query) {
        QuerySource source = query.source();
        SObjectType type = schema.find(query.object()).orElseThrow(() -> source.error(SoqlErrorCode.INVALID_TYPE,
                query.objectPosition(), SoqlErrors.unsupportedType(query.object())));
        FieldResolver fields = new FieldResolver(schema, type, source);

        List<ResolvedField> columns = columns(query, fields);
        RowPredicate filter = query.where().map(w -> new FilterCompiler(fields, source).compile(w)).orElse(null);
        Comparator<Row> order = new OrderCompiler(fields, source).compile(query.orderBy());

        boolean unbounded = query.select().stream().anyMatch(i -> i instanceof SelectItem.Fields f
                && f.group() != SelectItem.FieldsGroup.STANDARD);
        if (unbounded && (query.limit().isEmpty() || query.limit().getAsInt() > FIELDS_MAX_LIMIT)) {
            throw new SoqlException(SoqlErrorCode.MALFORMED_QUERY, SoqlErrors.FIELDS_NEEDS_LIMIT);
        }
        if (query.offset().isPresent() && query.offset().getAsInt() > MAX_OFFSET) {
            throw new SoqlException(SoqlErrorCode.NUMBER_OUTSIDE_VALID_RANGE, SoqlErrors.MAX_OFFSET);
        }
        return new QueryPlan(query, type, columns, filter, order);
    }

    private List<ResolvedField> columns(SoqlQuery query, FieldResolver fields) {
        List<ResolvedField> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SelectItem item : query.select()) {
            if (item instanceof SelectItem.Field f) {
                add(columns, seen, fields.resolve(f.path()));
            } else if (item instanceof SelectItem.Fields group) {
                for (FieldDef field : fields.root().fields()) {
                    if (group.group() == SelectItem.FieldsGroup.ALL
                            || (group.group() == SelectItem.FieldsGroup.CUSTOM) == field.custom()) {
                        add(columns, seen, new ResolvedField(field.name(), List.of(), field));
                    }
                }
            }
        }
        return columns;
    }

    private static void add(List<ResolvedField> columns, Set<String> seen, ResolvedField field) {
        if (!seen.add(field.path().toLowerCase(Locale.ROOT))) {
            throw new SoqlException(SoqlErrorCode.INVALID_FIELD, SoqlErrors.duplicateField(field.path()));
        }
        columns.add(field);
    }
}
