package io.sfsync.emulator.soql;

import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.SalesforceIds;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a WHERE condition against the schema and compiles it into a {@link RowPredicate}.
 *
 * <p>Null semantics, as SOQL (two-valued, unlike SQL): a null field equals only {@code null}; {@code !=} and
 * {@code NOT IN} are true for it; ordering comparisons, LIKE and INCLUDES are false for it, and so is any
 * ordering comparison with a {@code null} literal. Boolean fields are never null: a null checkbox reads as false,
 * and {@code = null} matches false (documented Salesforce behaviour). A path through an empty lookup yields null.
 * An empty string literal means null for text and id fields, as Salesforce stores no empty strings.
 */
final class FilterCompiler {

    /** The compiled right-hand side of a comparison. */
    private sealed interface Term {
    }

    /** One value in the field's in-memory type, or null. */
    private record Exact(Object value) implements Term {
    }

    /** A relative date literal, resolved against "today" when the query runs. */
    private record Days(RelativeDate date, int n) implements Term {
    }

    private final FieldResolver fields;
    private final QuerySource source;

    FilterCompiler(FieldResolver fields, QuerySource source) {
        this.fields = fields;
        this.source = source;
    }

    RowPredicate compile(Condition condition) {
        if (condition instanceof Condition.And and) {
            List<RowPredicate> parts = compileAll(and.operands());
            return row -> parts.stream().allMatch(p -> p.test(row));
        }
        if (condition instanceof Condition.Or or) {
            List<RowPredicate> parts = compileAll(or.operands());
            return row -> parts.stream().anyMatch(p -> p.test(row));
        }
        if (condition instanceof Condition.Not not) {
            RowPredicate inner = compile(not.operand());
            return row -> !inner.test(row);
        }
        return comparison((Condition.Comparison) condition);
    }

    private List<RowPredicate> compileAll(List<Condition> conditions) {
        List<RowPredicate> compiled = new ArrayList<>();
        for (Condition c : conditions) {
            compiled.add(compile(c));
        }
        return compiled;
    }

    private RowPredicate comparison(Condition.Comparison c) {
        ResolvedField field = fields.resolve(c.field());
        if (!FieldCapabilities.isFilterable(field.field())) {
            throw source.error(SoqlErrorCode.INVALID_FIELD, c.field().position(),
                    SoqlErrors.cannotFilter(field.field().name()));
        }
        return switch (c.operator()) {
            case LIKE -> like(c, field);
            case INCLUDES, EXCLUDES -> includes(c, field);
            case IN, NOT_IN -> membership(c, field);
            default -> single(c, field);
        };
    }

    private RowPredicate single(Condition.Comparison c, ResolvedField field) {
        Term term = term(c, field, (Literal) c.value());
        ComparisonOperator operator = c.operator();
        FieldDef def = field.field();
        return row -> matches(def, operator, row.value(field), term, row.execution().today());
    }

    private RowPredicate membership(Condition.Comparison c, ResolvedField field) {
        List<Term> terms = new ArrayList<>();
        for (Literal literal : ((Operand.LiteralList) c.value()).values()) {
            terms.add(term(c, field, literal));
        }
        boolean negated = c.operator() == ComparisonOperator.NOT_IN;
        FieldDef def = field.field();
        return row -> {
            Object actual = row.value(field);
            LocalDate today = row.execution().today();
            boolean any = terms.stream().anyMatch(t -> matches(def, ComparisonOperator.EQUALS, actual, t, today));
            return negated != any;
        };
    }

    private RowPredicate like(Condition.Comparison c, ResolvedField field) {
        FieldType type = field.field().type();
        if (type == FieldType.ID || type == FieldType.REFERENCE) {
            throw source.error(SoqlErrorCode.MALFORMED_QUERY, c.field().position(),
                    SoqlErrors.invalidOperatorOnIdField());
        }
        if (!type.isText() || type == FieldType.MULTIPICKLIST) {
            throw source.error(SoqlErrorCode.MALFORMED_QUERY, c.field().position(),
                    SoqlErrors.invalidOperatorOnField(type.apiName()));
        }
        Literal literal = (Literal) c.value();
        if (literal instanceof Literal.NullValue) {
            return row -> false;
        }
        if (!(literal instanceof Literal.StringValue text)) {
            throw wrongType(c, field);
        }
        LikePattern pattern = LikePattern.of(text.body());
        return row -> {
            Object actual = row.value(field);
            return actual != null && pattern.matches(actual.toString());
        };
    }

    /** INCLUDES ('a;b', 'c') is true when the field holds both a and b, or holds c. EXCLUDES is its negation. */
    private RowPredicate includes(Condition.Comparison c, ResolvedField field) {
        if (field.field().type() != FieldType.MULTIPICKLIST) {
            throw source.error(SoqlErrorCode.MALFORMED_QUERY, c.field().position(),
                    SoqlErrors.INCLUDES_NEEDS_MULTIPICKLIST);
        }
        List<Set<String>> alternatives = new ArrayList<>();
        for (Literal literal : ((Operand.LiteralList) c.value()).values()) {
            if (!(literal instanceof Literal.StringValue text)) {
                throw wrongType(c, field);
            }
            alternatives.add(ValueComparison.picklistValues(text.value()));
        }
        boolean excludes = c.operator() == ComparisonOperator.EXCLUDES;
        return row -> {
            Object actual = row.value(field);
            if (actual == null) {
                return excludes;
            }
            Set<String> held = ValueComparison.picklistValues(actual.toString());
            boolean included = alternatives.stream().anyMatch(held::containsAll);
            return excludes != included;
        };
    }

    /** Checks a literal against the field's type and converts it to the field's in-memory type. */
    private Term term(Condition.Comparison c, ResolvedField field, Literal literal) {
        if (literal instanceof Literal.NullValue) {
            return new Exact(null);
        }
        FieldType type = field.field().type();
        switch (type) {
            case ID, REFERENCE -> {
                if (literal instanceof Literal.StringValue text) {
                    if (text.value().isEmpty()) {
                        return new Exact(null);
                    }
                    String id18 = SalesforceIds.normalize(text.value());
                    if (id18 == null) {
                        throw source.error(SoqlErrorCode.MALFORMED_QUERY, literal.position(),
                                SoqlErrors.invalidId(text.value()));
                    }
                    return new Exact(id18);
                }
            }
            case BOOLEAN -> {
                if (literal instanceof Literal.BooleanValue b) {
                    return new Exact(b.value());
                }
            }
            case INT, LONG, DOUBLE, CURRENCY, PERCENT -> {
                if (literal instanceof Literal.NumberValue n) {
                    return new Exact(n.value());
                }
            }
            case DATE -> {
                if (literal instanceof Literal.DateValue d) {
                    return new Exact(d.value());
                }
                if (literal instanceof Literal.RelativeDateValue r) {
                    return new Days(r.date(), r.n());
                }
            }
            case DATETIME -> {
                if (literal instanceof Literal.DateTimeValue d) {
                    return new Exact(d.value());
                }
                if (literal instanceof Literal.RelativeDateValue r) {
                    return new Days(r.date(), r.n());
                }
            }
            default -> {
                if (type.isText() && literal instanceof Literal.StringValue text) {
                    return new Exact(text.value().isEmpty() ? null : text.value());
                }
            }
        }
        throw wrongType(c, field);
    }

    /** Salesforce names the expected type by the field's SOAP type: string, double, date, dateTime, boolean... */
    private SoqlException wrongType(Condition.Comparison c, ResolvedField field) {
        FieldDef def = field.field();
        String soapType = def.type().soapType();
        return source.error(SoqlErrorCode.INVALID_FIELD, c.field().position(),
                SoqlErrors.wrongLiteralType(def.name(), soapType.substring(soapType.indexOf(':') + 1),
                        def.type().isText()));
    }

    private static boolean matches(FieldDef field, ComparisonOperator operator, Object actual, Term term,
                                   LocalDate today) {
        FieldType type = field.type();
        if (type == FieldType.BOOLEAN && actual == null) {
            actual = Boolean.FALSE;
        }
        if (term instanceof Days days) {
            return inDays(type, operator, actual, days.date().range(today, days.n()));
        }
        Object expected = ((Exact) term).value();
        if (expected == null && type == FieldType.BOOLEAN) {
            expected = Boolean.FALSE;
        }
        if (expected == null || actual == null) {
            return switch (operator) {
                case EQUALS -> expected == actual;
                case NOT_EQUALS -> expected != actual;
                default -> false;
            };
        }
        return switch (operator) {
            case EQUALS -> ValueComparison.equal(field, actual, expected);
            case NOT_EQUALS -> !ValueComparison.equal(field, actual, expected);
            case LESS_THAN -> ValueComparison.compare(type, actual, expected) < 0;
            case LESS_OR_EQUAL -> ValueComparison.compare(type, actual, expected) <= 0;
            case GREATER_THAN -> ValueComparison.compare(type, actual, expected) > 0;
            case GREATER_OR_EQUAL -> ValueComparison.compare(type, actual, expected) >= 0;
            default -> throw new IllegalStateException(operator.name());
        };
    }

    /** A date or datetime against a relative date's days: {@code =} inside, {@code <} before, {@code >} after. */
    private static boolean inDays(FieldType type, ComparisonOperator operator, Object actual,
                                  RelativeDate.Range range) {
        if (actual == null) {
            return operator == ComparisonOperator.NOT_EQUALS;
        }
        boolean afterStart = compareToDay(type, actual, range.start()) >= 0;
        boolean beforeEnd = compareToDay(type, actual, range.end()) < 0;
        return switch (operator) {
            case EQUALS -> afterStart && beforeEnd;
            case NOT_EQUALS -> !(afterStart && beforeEnd);
            case LESS_THAN -> !afterStart;
            case LESS_OR_EQUAL -> beforeEnd;
            case GREATER_THAN -> !beforeEnd;
            case GREATER_OR_EQUAL -> afterStart;
            default -> throw new IllegalStateException(operator.name());
        };
    }

    /** Compares a date or datetime value with the start (midnight UTC) of a day. */
    private static int compareToDay(FieldType type, Object value, LocalDate day) {
        if (type == FieldType.DATETIME) {
            Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            return ((Instant) value).compareTo(midnight);
        }
        return ((LocalDate) value).compareTo(day);
    }
}
