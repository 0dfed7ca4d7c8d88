package io.sfsync.emulator.soql;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** A literal value in a WHERE clause, with its source text and position for error messages. */
public sealed interface Literal extends Operand {

    /** The literal as written in the query. */
    String source();

    /** {@code 'text'}: {@code value} has the escapes decoded; {@code source} keeps them (LIKE needs {@code \%}). */
    record StringValue(String value, String source, int position) implements Literal {
        /** The text between the quotes, escapes not decoded. */
        public String body() {
            return source.substring(1, source.length() - 1);
        }
    }

    record NumberValue(BigDecimal value, String source, int position) implements Literal {
    }

    record BooleanValue(boolean value, String source, int position) implements Literal {
    }

    record NullValue(String source, int position) implements Literal {
    }

    /** {@code 2024-01-02}. */
    record DateValue(LocalDate value, String source, int position) implements Literal {
    }

    /** {@code 2024-01-02T03:04:05Z} and its offset forms, as an instant. */
    record DateTimeValue(Instant value, String source, int position) implements Literal {
    }

    /** A relative date such as {@code TODAY} or {@code LAST_N_DAYS:7}; {@code n} is 0 when the literal has none. */
    record RelativeDateValue(RelativeDate date, int n, String source, int position) implements Literal {
    }
}
