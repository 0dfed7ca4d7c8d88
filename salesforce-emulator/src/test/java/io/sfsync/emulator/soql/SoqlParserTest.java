package io.sfsync.emulator.soql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.sfsync.emulator.soql.Condition.And;
import io.sfsync.emulator.soql.Condition.Comparison;
import io.sfsync.emulator.soql.Condition.Not;
import io.sfsync.emulator.soql.Condition.Or;
import io.sfsync.emulator.soql.Literal.BooleanValue;
import io.sfsync.emulator.soql.Literal.DateTimeValue;
import io.sfsync.emulator.soql.Literal.DateValue;
import io.sfsync.emulator.soql.Literal.NullValue;
import io.sfsync.emulator.soql.Literal.NumberValue;
import io.sfsync.emulator.soql.Literal.RelativeDateValue;
import io.sfsync.emulator.soql.Literal.StringValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SoqlParserTest {

    private static SoqlQuery parse(String soql) {
        return SoqlParser.parse(soql);
    }

    private static Condition where(String condition) {
        return parse("SELECT Id FROM Account WHERE " + condition).where().orElseThrow();
    }

    private static Literal value(String literal) {
        return (Literal) ((Comparison) where("Name = " + literal)).value();
    }

    private static SoqlException failure(String soql) {
        return catchThrowableOfType(SoqlException.class, () -> SoqlParser.parse(soql));
    }

    @Nested
    class SelectList {

        @Test
        void plainFieldsAndRelationshipPathsInOrder() {
            SoqlQuery q = parse("SELECT Id, Name, Account.Name, Account.Owner.Name FROM Contact");

            assertThat(q.select()).extracting(i -> ((SelectItem.Field) i).path().segments()).containsExactly(
                    List.of("Id"), List.of("Name"), List.of("Account", "Name"), List.of("Account", "Owner", "Name"));
            assertThat(q.object()).isEqualTo("Contact");
            assertThat(q.objectPosition()).isEqualTo(55);
        }

        @Test
        void countAlone() {
            SoqlQuery q = parse("select count() from Account");

            assertThat(q.isCount()).isTrue();
            assertThat(q.select()).containsExactly(new SelectItem.CountAll(7));
        }

        @Test
        void countWithOtherFieldsIsRejected() {
            SoqlException e = failure("SELECT COUNT(), Name FROM Account");

            assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
            assertThat(e.getMessage()).endsWith("ERROR at Row:1:Column:8\nCOUNT() cannot be combined with other fields");
        }

        @ParameterizedTest
        @CsvSource({"ALL,ALL", "standard,STANDARD", "Custom,CUSTOM"})
        void fieldsFunction(String written, SelectItem.FieldsGroup group) {
            SoqlQuery q = parse("SELECT Id, FIELDS(" + written + ") FROM Account LIMIT 10");

            assertThat(q.select().get(1)).isEqualTo(new SelectItem.Fields(group, 11));
            assertThat(q.usesFieldsFunction()).isTrue();
        }

        @Test
        void keywordsAreCaseInsensitive() {
            SoqlQuery q = parse("sElEcT Name FrOm Account wHeRe Name lIkE 'a%' oRdEr bY Name dEsC nUlLs LaSt "
                    + "LiMiT 5 oFfSeT 1");

            assertThat(q.limit()).hasValue(5);
            assertThat(q.offset()).hasValue(1);
            assertThat(q.orderBy()).containsExactly(new OrderItem(new FieldPath(List.of("Name"), 55), true, false));
            assertThat(((Comparison) q.where().orElseThrow()).operator()).isEqualTo(ComparisonOperator.LIKE);
        }
    }

    @Nested
    class Where {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "=|EQUALS", "!=|NOT_EQUALS", "<>|NOT_EQUALS", "<|LESS_THAN", "<=|LESS_OR_EQUAL",
                ">|GREATER_THAN", ">=|GREATER_OR_EQUAL", "LIKE|LIKE"})
        void singleValueOperators(String symbol, ComparisonOperator operator) {
            Comparison c = (Comparison) where("Name " + symbol + " 'x'");

            assertThat(c.operator()).isEqualTo(operator);
            assertThat(c.field().text()).isEqualTo("Name");
            assertThat(c.value()).isEqualTo(new StringValue("x", "'x'", 29 + 5 + symbol.length() + 1));
        }

        @Test
        void lessOrEqualWrittenApart() {
            assertThat(((Comparison) where("NumberOfEmployees < = 5")).operator())
                    .isEqualTo(ComparisonOperator.LESS_OR_EQUAL);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "Industry IN ('Energy', 'Banking')|IN", "Industry NOT IN ('Energy', 'Banking')|NOT_IN",
                "Regions__c INCLUDES ('EMEA;APAC', 'AMER')|INCLUDES", "Regions__c excludes ('EMEA', 'AMER')|EXCLUDES"})
        void listOperators(String condition, ComparisonOperator operator) {
            Comparison c = (Comparison) where(condition);

            assertThat(c.operator()).isEqualTo(operator);
            assertThat(((Operand.LiteralList) c.value()).values()).hasSize(2)
                    .allSatisfy(v -> assertThat(v).isInstanceOf(StringValue.class));
        }

        @Test
        void andChainAndOrChain() {
            assertThat(where("Name = 'a' AND Site = 'b' AND Phone = 'c'")).isInstanceOfSatisfying(And.class,
                    and -> assertThat(and.operands()).hasSize(3));
            assertThat(where("Name = 'a' or Site = 'b'")).isInstanceOfSatisfying(Or.class,
                    or -> assertThat(or.operands()).hasSize(2));
        }

        @Test
        void parenthesesGroupConditions() {
            // Inside an AND/OR chain, NOT needs its own parentheses (Salesforce's grammar).
            Condition c = where("(Name = 'a' OR Name = 'b') AND (Site = 'c' OR (NOT Site = 'd'))");

            And and = (And) c;
            assertThat(and.operands().get(0)).isInstanceOf(Or.class);
            Or right = (Or) and.operands().get(1);
            assertThat(right.operands().get(1)).isInstanceOfSatisfying(Not.class,
                    not -> assertThat(((Comparison) not.operand()).field().text()).isEqualTo("Site"));
        }

        @Test
        void notNegatesOneCondition() {
            assertThat(where("NOT (Name = 'a' AND Site = 'b')")).isInstanceOfSatisfying(Not.class,
                    not -> assertThat(not.operand()).isInstanceOf(And.class));
            assertThat(where("NOT Name = 'a'")).isInstanceOf(Not.class);
        }

        /**
         * Salesforce does not give AND precedence over OR: it refuses to mix them without parentheses, reporting the
         * first operator of the other kind.
         */
        @Test
        void mixingAndWithOrWithoutParenthesesIsRejectedAsSalesforceDoes() {
            SoqlException e = failure("SELECT Id FROM Account WHERE Name = 'a' AND Site = 'b' OR Phone = 'c'");

            assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
            assertThat(e.getMessage()).endsWith("ERROR at Row:1:Column:56\nunexpected token: 'OR'");
            assertThat(failure("SELECT Id FROM Account WHERE Name = 'a' OR Site = 'b' AND Phone = 'c'").getMessage())
                    .endsWith("unexpected token: 'AND'");
        }

        @Test
        void notFollowedByAndIsRejected() {
            assertThat(failure("SELECT Id FROM Account WHERE NOT Name = 'a' AND Site = 'b'").getMessage())
                    .endsWith("ERROR at Row:1:Column:45\nunexpected token: 'AND'");
        }

        @Test
        void emptyInListIsRejected() {
            assertThat(failure("SELECT Id FROM Account WHERE Name IN ()").getMessage())
                    .endsWith("unexpected token: ')'");
        }
    }

    @Nested
    class Literals {

        static Stream<Arguments> escapedStrings() {
            return Stream.of(
                    Arguments.of("'plain'", "plain"),
                    Arguments.of("'it\\'s'", "it's"),
                    Arguments.of("'back\\\\slash'", "back\\slash"),
                    Arguments.of("'line\\nbreak'", "line\nbreak"),
                    Arguments.of("'tab\\Tbed'", "tab\tbed"),
                    Arguments.of("'quote\\\"d'", "quote\"d"),
                    Arguments.of("'50\\%'", "50%"),
                    Arguments.of("'a\\_b'", "a_b"),
                    Arguments.of("''", ""));
        }

        @ParameterizedTest
        @MethodSource("escapedStrings")
        void stringsDecodeEscapes(String literal, String decoded) {
            StringValue s = (StringValue) value(literal);

            assertThat(s.value()).isEqualTo(decoded);
            assertThat(s.source()).isEqualTo(literal);
        }

        @Test
        void unknownEscapeIsRejected() {
            SoqlException e = failure("SELECT Id FROM Account WHERE Name = 'a\\qb'");

            assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
            assertThat(e.getMessage()).endsWith("Illegal character sequence '\\q' in string literal.");
        }

        @ParameterizedTest
        @CsvSource({"42,42", "-7,-7", "+3,3", "1234.50,1234.50", "0.001,0.001"})
        void numbers(String literal, BigDecimal expected) {
            assertThat(((NumberValue) value(literal)).value()).isEqualByComparingTo(expected);
        }

        @Test
        void booleansAndNullInAnyCase() {
            assertThat(value("TRUE")).isEqualTo(new BooleanValue(true, "TRUE", 36));
            assertThat(value("false")).isEqualTo(new BooleanValue(false, "false", 36));
            assertThat(value("Null")).isEqualTo(new NullValue("Null", 36));
        }

        @Test
        void dateLiteral() {
            assertThat(((DateValue) value("2024-01-02")).value()).isEqualTo(LocalDate.of(2024, 1, 2));
        }

        @ParameterizedTest
        @CsvSource({
                "2024-01-02T03:04:05Z,2024-01-02T03:04:05Z",
                "2024-01-02T03:04:05.000+0000,2024-01-02T03:04:05Z",
                "2024-01-02T03:04:05.123Z,2024-01-02T03:04:05.123Z",
                "2024-01-02T08:34:05+05:30,2024-01-02T03:04:05Z",
                "2024-01-01T22:04:05-05:00,2024-01-02T03:04:05Z",
                "2024-01-02t03:04:05z,2024-01-02T03:04:05Z"})
        void dateTimeLiterals(String literal, Instant expected) {
            assertThat(((DateTimeValue) value(literal)).value()).isEqualTo(expected);
        }

        @Test
        void invalidDateTimeUsesSalesforceMessage() {
            SoqlException e = failure("SELECT Id FROM Account WHERE SystemModstamp > 2020-12-12t12:12:00-25:00");

            assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
            assertThat(e.getMessage()).endsWith("\nInvalid datetime: 2020-12-12t12:12:00-25:00");
            assertThat(failure("SELECT Id FROM Account WHERE SystemModstamp > 2020-52-12t12:12:00-05:00")
                    .getMessage()).endsWith("\nInvalid datetime: 2020-52-12t12:12:00-05:00");
        }

        @Test
        void impossibleDateIsRejected() {
            SoqlException e = failure("SELECT Id FROM Contact WHERE Birthdate = 2023-02-29");

            assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
            assertThat(e.getMessage()).endsWith("ERROR at Row:1:Column:42\nInvalid date: 2023-02-29");
        }

        @Test
        void relativeDates() {
            assertThat(value("TODAY")).isEqualTo(new RelativeDateValue(RelativeDate.TODAY, 0, "TODAY", 36));
            assertThat(value("yesterday")).isEqualTo(
                    new RelativeDateValue(RelativeDate.YESTERDAY, 0, "yesterday", 36));
            assertThat(value("LAST_N_DAYS:30")).isEqualTo(
                    new RelativeDateValue(RelativeDate.LAST_N_DAYS, 30, "LAST_N_DAYS:30", 36));
            assertThat(value("NEXT_N_MONTHS : 2")).isEqualTo(
                    new RelativeDateValue(RelativeDate.NEXT_N_MONTHS, 2, "NEXT_N_MONTHS : 2", 36));
        }

        @Test
        void relativeDateWithoutItsNumberIsRejected() {
            assertThat(failure("SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS").getMessage())
                    .endsWith("unexpected token: '<EOF>'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"SELECT Id FROM Account WHERE Name = :name",
                                "SELECT Id FROM Account WHERE CreatedDate > LastModifiedDate"})
        void bindVariablesAndBareWordsAreApexOnly(String soql) {
            SoqlException e = failure(soql);

            assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
            assertThat(e.getMessage()).endsWith("\nBind variables only allowed in Apex code");
        }
    }

    @Nested
    class OrderLimitOffset {

        @Test
        void orderByKeysWithDirectionsAndNulls() {
            SoqlQuery q = parse("SELECT Id FROM Account ORDER BY Name, Site DESC, Phone ASC NULLS LAST, "
                    + "Owner.Name NULLS FIRST");

            assertThat(q.orderBy()).extracting(o -> o.field().text(), OrderItem::descending, OrderItem::nullsFirst)
                    .containsExactly(
                            tuple("Name", false, true),
                            tuple("Site", true, true),
                            tuple("Phone", false, false),
                            tuple("Owner.Name", false, true));
        }

        @Test
        void limitAndOffsetAreOptional() {
            SoqlQuery q = parse("SELECT Id FROM Account");

            assertThat(q.limit()).isEmpty();
            assertThat(q.offset()).isEmpty();
            assertThat(q.where()).isEmpty();
            assertThat(q.orderBy()).isEmpty();
        }

        @Test
        void limitNeedsAWholeNumber() {
            assertThat(failure("SELECT Id FROM Account LIMIT 1.5").getMessage()).endsWith("unexpected token: '1.5'");
            assertThat(failure("SELECT Id FROM Account LIMIT -1").getMessage()).endsWith("unexpected token: '-1'");
        }

        @Test
        void clausesMustComeInOrder() {
            assertThat(failure("SELECT Id FROM Account LIMIT 5 WHERE Name = 'a'").getMessage())
                    .endsWith("ERROR at Row:1:Column:32\nunexpected token: 'WHERE'");
        }
    }

    @Nested
    class Errors {

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "\n\t"})
        void emptyStatement(String soql) {
            SoqlException e = failure(soql);

            assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
            assertThat(e.getMessage()).isEqualTo("SOQL statements cannot be empty or null");
        }

        @Test
        void nullStatement() {
            assertThat(failure(null).getMessage()).isEqualTo("SOQL statements cannot be empty or null");
        }

        /** Verbatim from a real org's response. */
        @Test
        void unexpectedEndOfInput() {
            assertThat(failure("SELECT Id FROM Account WHERE").getMessage()).isEqualTo(
                    "\nSELECT Id FROM Account WHERE\n                            ^\n"
                            + "ERROR at Row:1:Column:29\nunexpected token: '<EOF>'");
        }

        @Test
        void missingFieldList() {
            assertThat(failure("SELECT FROM Account").getMessage()).isEqualTo(
                    "\nSELECT FROM Account\n       ^\nERROR at Row:1:Column:8\nunexpected token: 'FROM'");
        }

        /** A real org's message for an unquoted e-mail address: the words parse, the {@code @} does not. */
        @Test
        void strayCharacterAfterAWord() {
            assertThat(failure("SELECT Id,Name FROM Contact WHERE Email = liam.carter@example.com ORDER BY "
                    + "CreatedDate").getMessage()).isEqualTo(
                    "\nContact WHERE Email = liam.carter@example.com ORDER BY CreatedDate\n"
                            + " ".repeat(33) + "^\nERROR at Row:1:Column:54\nunexpected token: '@'");
        }

        /** Lexer errors report the 0-based index of the character as Column, and the caret one to its left. */
        @Test
        void characterOutsideTheLanguage() {
            SoqlException e = failure("SELECT Id from $casecomment WHERE isdeleted = false");

            // The excerpt reaches 30 characters past the caret, widened to whole tokens: up to the "=".
            assertThat(e.getMessage()).isEqualTo("\nSELECT Id from $casecomment WHERE isdeleted =\n"
                    + " ".repeat(14) + "^\nERROR at Row:1:Column:15\nline 1:15 unexpected token: '$'");
        }

        @Test
        void unterminatedString() {
            SoqlException e = failure("SELECT Id FROM Account WHERE Name = 'abc");

            assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
            assertThat(e.getMessage()).isEqualTo("\nSELECT Id FROM Account WHERE Name = 'abc\n" + " ".repeat(35)
                    + "^\nERROR at Row:1:Column:36\nunexpected token: '''");
        }

        @Test
        void doubledQuoteIsNotAnEscapeInSoql() {
            assertThat(failure("SELECT Id FROM Account WHERE Name = 'O'Brien'").getMessage())
                    .contains("unexpected token: 'Brien'");
        }

        @Test
        void errorOnALaterLineReportsThatLineOnly() {
            SoqlException e = failure("SELECT Id\nFROM Account\nWHERE Name = 'a' ORDER Name");

            assertThat(e.getMessage()).isEqualTo(
                    "\nWHERE Name = 'a' ORDER Name\n" + " ".repeat(23) + "^\nERROR at Row:3:Column:24\n"
                            + "unexpected token: 'Name'");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "SELECT Name FROM Account GROUP BY Name|The GROUP clause",
                "SELECT Id, (SELECT Id FROM Contacts) FROM Account|A parent-to-child subquery",
                "SELECT COUNT(Id) FROM Account|The function COUNT()",
                "SELECT MAX(AnnualRevenue) FROM Account|The function MAX()",
                "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact)|A semi-join or anti-join subquery",
                "SELECT Id FROM Account a|An object alias",
                "SELECT Id FROM Account WITH SECURITY_ENFORCED|The WITH clause",
                "SELECT Id FROM Account FOR UPDATE|The FOR clause",
                "SELECT Id FROM Account WHERE CALENDAR_YEAR(CreatedDate) = 2024|The function CALENDAR_YEAR()"})
        void validSoqlOutsideTheSubsetIsRefusedClearly(String soql, String construct) {
            SoqlException e = failure(soql);

            assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
            assertThat(e.unsupportedByEmulator()).isTrue();
            assertThat(e.getMessage()).contains("ERROR at Row:1:Column:")
                    .endsWith(construct + " is not supported by the Salesforce emulator");
        }

        @Test
        void trailingTokensAreRejected() {
            assertThatThrownBy(() -> parse("SELECT Id FROM Account LIMIT 5 5"))
                    .isInstanceOf(SoqlException.class).hasMessageEndingWith("unexpected token: '5'");
        }
    }
}
