package io.sfsync.emulator.soql;

/** The {@code errorCode} values a failed SOQL query reports on the wire (REST error body, Bulk job errorMessage). */
public enum SoqlErrorCode {
    /** Syntax errors, unsupported constructs, bad literals, misuse of an operator. */
    MALFORMED_QUERY,
    /** Unknown field or relationship, a literal of the wrong type, a field that cannot be filtered or sorted. */
    INVALID_FIELD,
    /** Unknown sObject in FROM. */
    INVALID_TYPE,
    /** OFFSET above 2,000. */
    NUMBER_OUTSIDE_VALID_RANGE
}
