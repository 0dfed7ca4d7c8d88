package io.sfsync.emulator.soql;

/** The operators of a WHERE field expression. */
public enum ComparisonOperator {
    EQUALS("="),
    NOT_EQUALS("!="),
    LESS_THAN("<"),
    LESS_OR_EQUAL("<="),
    GREATER_THAN(">"),
    GREATER_OR_EQUAL(">="),
    LIKE("LIKE"),
    IN("IN"),
    NOT_IN("NOT IN"),
    INCLUDES("INCLUDES"),
    EXCLUDES("EXCLUDES");

    private final String symbol;

    ComparisonOperator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** IN, NOT IN, INCLUDES and EXCLUDES take a parenthesized list of values; the others a single value. */
    public boolean takesList() {
        return this == IN || this == NOT_IN || this == INCLUDES || this == EXCLUDES;
    }

    public boolean isOrdering() {
        return this == LESS_THAN || this == LESS_OR_EQUAL || this == GREATER_THAN || this == GREATER_OR_EQUAL;
    }
}
