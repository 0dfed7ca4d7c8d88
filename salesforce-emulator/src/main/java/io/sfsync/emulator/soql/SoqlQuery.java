package io.sfsync.emulator.soql;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parsed SOQL statement, not yet checked against the schema (see {@link SoqlEngine#prepare}).
 *
 * @param select         the SELECT list in query order
 * @param object         the FROM object as written
 * @param objectPosition index of the FROM object in the query text
 * @param where          the WHERE condition, if any
 * @param orderBy        ORDER BY keys in order; empty for none
 * @param limit          LIMIT, if any
 * @param offset         OFFSET, if any
 * @param source         the query text and tokens, for error messages
 */
public record SoqlQuery(List<SelectItem> select, String object, int objectPosition, Optional<Condition> where,
                        List<OrderItem> orderBy, OptionalInt limit, OptionalInt offset, QuerySource source) {

    public SoqlQuery {
        select = List.copyOf(select);
        orderBy = List.copyOf(orderBy);
    }

    /** {@code SELECT COUNT() FROM ...}: only totalSize is returned. */
    public boolean isCount() {
        return select.stream().anyMatch(i -> i instanceof SelectItem.CountAll);
    }

    public boolean usesFieldsFunction() {
        return select.stream().anyMatch(i -> i instanceof SelectItem.Fields);
    }
}
