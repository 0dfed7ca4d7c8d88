package io.sfsync.emulator.soql;

import io.sfsync.emulator.model.WireValues;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A hand-written recursive-descent parser for the SOQL subset the connectors use:
 *
 * <pre>
 * query      := SELECT item (',' item)* FROM object [WHERE logical] [ORDER BY order (',' order)*]
 *               [LIMIT integer] [OFFSET integer]
 * item       := path | COUNT '(' ')' | FIELDS '(' (ALL | STANDARD | CUSTOM) ')'
 * logical    := NOT condition | condition (AND condition)* | condition (OR condition)*
 * condition  := '(' logical ')' | path operator value
 * operator   := = | != | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;= | LIKE | IN | NOT IN | INCLUDES | EXCLUDES
 * value      := literal | '(' literal (',' literal)* ')'
 * order      := path [ASC | DESC] [NULLS (FIRST | LAST)]
 * </pre>
 *
 * The {@code logical} rule is Salesforce's: AND and OR cannot be mixed without parentheses, and NOT negates a
 * single condition, so {@code a AND b OR c} fails with {@code unexpected token: 'OR'} as on a real org. Keywords
 * are case-insensitive. Errors are {@link SoqlException}s with Salesforce's messages; valid SOQL outside the
 * subset fails the same way, flagged {@link SoqlException#unsupportedByEmulator()}.
 */
public final class SoqlParser {

    /** Words that cannot be a field or object name. */
    private static final Set<String> RESERVED = Set.of("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE",
            "INCLUDES", "EXCLUDES", "ORDER", "BY", "ASC", "DESC", "NULLS", "LIMIT", "OFFSET", "NULL", "TRUE", "FALSE",
            "GROUP", "HAVING", "WITH", "USING", "FOR", "TYPEOF");

    /** Clauses a real org accepts that the emulator does not implement. */
    private static final Set<String> UNSUPPORTED_CLAUSES = Set.of("WITH", "GROUP", "HAVING", "USING", "FOR", "UPDATE");

    private final QuerySource source;
    private final SoqlLexer.Result lexed;
    private final List<Token> tokens;
    private int next;
    /**
     * Where the first bind variable ({@code :name}) or bare word in a value position is. Salesforce's grammar
     * parses these as Apex bind expressions and rejects them only once the whole statement has parsed, so a later
     * syntax error wins: {@code Email = liam.carter@example.com} fails on the {@code @}.
     */
    private int bindVariableAt = -1;

    private SoqlParser(QuerySource source, SoqlLexer.Result lexed) {
        this.source = source;
        this.lexed = lexed;
        this.tokens = lexed.tokens();
    }

    /**
     * Parses a SOQL statement.
     *
     * @throws SoqlException MALFORMED_QUERY for empty or malformed statements and unsupported constructs
     */
    public static SoqlQuery parse(String soql) {
        if (soql == null || soql.isBlank()) {
            throw new SoqlException(SoqlErrorCode.MALFORMED_QUERY, SoqlErrors.EMPTY_QUERY);
        }
        SoqlLexer.Result lexed = SoqlLexer.tokenize(soql);
        return new SoqlParser(new QuerySource(soql, lexed.tokens()), lexed).query();
    }

    // ---------------------------------------------------------------- clauses

    private SoqlQuery query() {
        expectKeyword("SELECT");
        List<SelectItem> select = selectList();
        expectKeyword("FROM");
        Token object = peek();
        if (!isName(object)) {
            throw unexpected(object);
        }
        advance();
        if (object.text().contains(".")) {
            throw source.unsupported(object.start(), "A relationship in FROM");
        }
        if (isName(peek())) {
            throw source.unsupported(peek().start(), "An object alias");
        }

        Optional<Condition> where = Optional.empty();
        if (acceptKeyword("WHERE")) {
            where = Optional.of(logical());
        }
        List<OrderItem> orderBy = List.of();
        if (peek().isKeyword("ORDER")) {
            advance();
            expectKeyword("BY");
            orderBy = orderList();
        }
        OptionalInt limit = OptionalInt.empty();
        if (acceptKeyword("LIMIT")) {
            limit = OptionalInt.of(nonNegativeInteger());
        }
        OptionalInt offset = OptionalInt.empty();
        if (acceptKeyword("OFFSET")) {
            offset = OptionalInt.of(nonNegativeInteger());
        }
        Token end = peek();
        if (!end.is(TokenKind.EOF)) {
            throw unexpected(end);
        }
        if (bindVariableAt >= 0) {
            throw source.error(SoqlErrorCode.MALFORMED_QUERY, bindVariableAt, SoqlErrors.BIND_VARIABLES);
        }
        return new SoqlQuery(select, object.text(), object.start(), where, orderBy, limit, offset, source);
    }

    private List<SelectItem> selectList() {
        List<SelectItem> items = new ArrayList<>();
        items.add(selectItem());
        while (peek().is(TokenKind.COMMA)) {
            advance();
            items.add(selectItem());
        }
        if (items.size() > 1) {
            for (SelectItem item : items) {
                if (item instanceof SelectItem.CountAll count) {
                    // COUNT() stands alone: Salesforce rejects it next to fields.
                    throw source.error(SoqlErrorCode.MALFORMED_QUERY, count.position(),
                            SoqlErrors.COUNT_WITH_FIELDS);
                }
            }
        }
        return items;
    }

    private SelectItem selectItem() {
        Token token = peek();
        if (token.is(TokenKind.LPAREN)) {
            throw source.unsupported(token.start(), "A parent-to-child subquery");
        }
        if (!isName(token)) {
            if (token.isKeyword("TYPEOF")) {
                throw source.unsupported(token.start(), "TYPEOF");
            }
            throw unexpected(token);
        }
        advance();
        if (!peek().is(TokenKind.LPAREN)) {
            return new SelectItem.Field(path(token));
        }
        // A function call.
        advance();
        if (token.isKeyword("COUNT") && peek().is(TokenKind.RPAREN)) {
            advance();
            return new SelectItem.CountAll(token.start());
        }
        if (token.isKeyword("FIELDS")) {
            Token group = peek();
            SelectItem.FieldsGroup kind = Arrays.stream(SelectItem.FieldsGroup.values())
                    .filter(g -> group.isKeyword(g.name())).findFirst().orElseThrow(() -> unexpected(group));
            advance();
            expect(TokenKind.RPAREN);
            return new SelectItem.Fields(kind, token.start());
        }
        throw source.unsupported(token.start(), "The function " + token.text() + "()");
    }

    private List<OrderItem> orderList() {
        List<OrderItem> items = new ArrayList<>();
        do {
            Token field = peek();
            if (!isName(field)) {
                throw unexpected(field);
            }
            advance();
            boolean descending = false;
            if (acceptKeyword("DESC")) {
                descending = true;
            } else {
                acceptKeyword("ASC");
            }
            boolean nullsFirst = true;
            if (acceptKeyword("NULLS")) {
                if (acceptKeyword("LAST")) {
                    nullsFirst = false;
                } else if (!acceptKeyword("FIRST")) {
                    throw unexpected(peek());
                }
            }
            items.add(new OrderItem(path(field), descending, nullsFirst));
        } while (accept(TokenKind.COMMA));
        return items;
    }

    private int nonNegativeInteger() {
        Token token = peek();
        if (!token.is(TokenKind.NUMBER) || !token.text().chars().allMatch(Character::isDigit)) {
            throw unexpected(token);
        }
        advance();
        try {
            return Integer.parseInt(token.text());
        } catch (NumberFormatException e) {
            throw source.error(SoqlErrorCode.MALFORMED_QUERY, token.start(),
                    "numeric value out of range: " + token.text());
        }
    }

    // ---------------------------------------------------------------- WHERE

    private Condition logical() {
        if (acceptKeyword("NOT")) {
            return new Condition.Not(condition());
        }
        Condition first = condition();
        if (peek().isKeyword("AND") || peek().isKeyword("OR")) {
            String operator = peek().upper();
            List<Condition> operands = new ArrayList<>();
            operands.add(first);
            while (acceptKeyword(operator)) {
                operands.add(condition());
            }
            // A different operator now (a AND b OR c) is left for the caller, which reports it as unexpected.
            return operator.equals("AND") ? new Condition.And(operands) : new Condition.Or(operands);
        }
        return first;
    }

    private Condition condition() {
        if (accept(TokenKind.LPAREN)) {
            Condition inner = logical();
            expect(TokenKind.RPAREN);
            return inner;
        }
        Token field = peek();
        if (!isName(field)) {
            throw unexpected(field);
        }
        advance();
        if (peek().is(TokenKind.LPAREN)) {
            throw source.unsupported(field.start(), "The function " + field.text() + "()");
        }
        ComparisonOperator operator = operator();
        Operand value = operator.takesList() ? valueList() : literal();
        return new Condition.Comparison(path(field), operator, value);
    }

    private ComparisonOperator operator() {
        Token token = peek();
        if (token.is(TokenKind.OPERATOR)) {
            advance();
            String symbol = token.text();
            // Salesforce's grammar also reads "< =" and "> =" written apart.
            if ((symbol.equals("<") || symbol.equals(">")) && peek().is(TokenKind.OPERATOR)
                    && peek().text().equals("=")) {
                advance();
                symbol = symbol + "=";
            }
            return switch (symbol) {
                case "=" -> ComparisonOperator.EQUALS;
                case "!=", "<>" -> ComparisonOperator.NOT_EQUALS;
                case "<" -> ComparisonOperator.LESS_THAN;
                case "<=" -> ComparisonOperator.LESS_OR_EQUAL;
                case ">" -> ComparisonOperator.GREATER_THAN;
                case ">=" -> ComparisonOperator.GREATER_OR_EQUAL;
                default -> throw unexpected(token);
            };
        }
        if (acceptKeyword("LIKE")) {
            return ComparisonOperator.LIKE;
        }
        if (acceptKeyword("IN")) {
            return ComparisonOperator.IN;
        }
        if (acceptKeyword("INCLUDES")) {
            return ComparisonOperator.INCLUDES;
        }
        if (acceptKeyword("EXCLUDES")) {
            return ComparisonOperator.EXCLUDES;
        }
        if (token.isKeyword("NOT") && peekAt(1).isKeyword("IN")) {
            advance();
            advance();
            return ComparisonOperator.NOT_IN;
        }
        throw unexpected(token);
    }

    private Operand.LiteralList valueList() {
        Token open = peek();
        expect(TokenKind.LPAREN);
        if (peek().isKeyword("SELECT")) {
            throw source.unsupported(peek().start(), "A semi-join or anti-join subquery");
        }
        List<Literal> values = new ArrayList<>();
        values.add(literal());
        while (accept(TokenKind.COMMA)) {
            values.add(literal());
        }
        expect(TokenKind.RPAREN);
        return new Operand.LiteralList(values, open.start());
    }

    private Literal literal() {
        Token token = peek();
        switch (token.kind()) {
            case STRING -> {
                advance();
                String body = token.text().substring(1, token.text().length() - 1);
                return new Literal.StringValue(SoqlLexer.unescape(body), token.text(), token.start());
            }
            case NUMBER -> {
                advance();
                return new Literal.NumberValue(new BigDecimal(token.text()), token.text(), token.start());
            }
            case DATE -> {
                advance();
                return new Literal.DateValue(WireValues.parseDate(token.text()), token.text(), token.start());
            }
            case DATETIME -> {
                advance();
                return new Literal.DateTimeValue(WireValues.parseDateTime(token.text()), token.text(), token.start());
            }
            case COLON -> {
                advance();
                if (!peek().is(TokenKind.IDENTIFIER)) {
                    throw unexpected(peek());
                }
                advance();
                return bindVariable(token);
            }
            case IDENTIFIER -> {
                return wordLiteral(token);
            }
            default -> throw unexpected(token);
        }
    }

    /** {@code null}, {@code true}, {@code false} and date literals such as {@code TODAY} or {@code LAST_N_DAYS:7}. */
    private Literal wordLiteral(Token token) {
        if (token.isKeyword("NULL")) {
            advance();
            return new Literal.NullValue(token.text(), token.start());
        }
        if (token.isKeyword("TRUE") || token.isKeyword("FALSE")) {
            advance();
            return new Literal.BooleanValue(token.isKeyword("TRUE"), token.text(), token.start());
        }
        RelativeDate date = token.text().contains(".") ? null : RelativeDate.named(token.text()).orElse(null);
        if (date == null) {
            advance();
            return bindVariable(token);
        }
        advance();
        if (!date.takesN()) {
            return new Literal.RelativeDateValue(date, 0, token.text(), token.start());
        }
        expect(TokenKind.COLON);
        Token count = peek();
        int n = nonNegativeInteger();
        return new Literal.RelativeDateValue(date, n, source.text().substring(token.start(), count.end()),
                token.start());
    }

    /** Notes a bind expression, rejected once the statement has parsed; stands in for it meanwhile. */
    private Literal bindVariable(Token token) {
        if (bindVariableAt < 0) {
            bindVariableAt = token.start();
        }
        return new Literal.NullValue(token.text(), token.start());
    }

    // ---------------------------------------------------------------- helpers

    private FieldPath path(Token token) {
        return new FieldPath(List.of(token.text().split("\\.")), token.start());
    }

    /** An identifier usable as a field or object name: not a reserved word. */
    private static boolean isName(Token token) {
        return token.is(TokenKind.IDENTIFIER) && (token.text().contains(".") || !RESERVED.contains(token.upper()));
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private void advance() {
        if (next < tokens.size() - 1) {
            next++;
        }
    }

    private boolean accept(TokenKind kind) {
        if (peek().is(kind)) {
            advance();
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            advance();
            return true;
        }
        return false;
    }

    private void expect(TokenKind kind) {
        if (!accept(kind)) {
            throw unexpected(peek());
        }
    }

    private void expectKeyword(String keyword) {
        if (!acceptKeyword(keyword)) {
            throw unexpected(peek());
        }
    }

    /** Salesforce's "unexpected token" error, or the unsupported-construct error for clauses we do not implement. */
    private SoqlException unexpected(Token token) {
        if (token.is(TokenKind.EOF)) {
            return source.error(SoqlErrorCode.MALFORMED_QUERY, source.text().length(), "unexpected token: '<EOF>'");
        }
        if (token.is(TokenKind.ERROR)) {
            SoqlLexer.Problem problem = lexed.problemAt(token);
            return source.error(SoqlErrorCode.MALFORMED_QUERY, problem.position(), problem.detail(), problem.style());
        }
        if (token.is(TokenKind.IDENTIFIER) && UNSUPPORTED_CLAUSES.contains(token.upper())) {
            return source.unsupported(token.start(), "The " + token.upper() + " clause");
        }
        return source.error(SoqlErrorCode.MALFORMED_QUERY, token.start(), SoqlErrors.unexpectedToken(token));
    }
}
