package io.sfsync.emulator.soql;

/**
 * The texts of Salesforce's SOQL error messages (the part after the {@code ERROR at Row:..:Column:..} line), in
 * one place so they are easy to compare with real responses. Sources: messages quoted from real orgs in public
 * issue trackers and test fixtures, the SOQL reference, and the Summer '24 release notes on SOQL error messages.
 * Texts marked "unconfirmed" were not found in any real response; correct them when one turns up.
 */
final class SoqlErrors {

    static final String EMPTY_QUERY = "SOQL statements cannot be empty or null";
    static final String FIELDS_NEEDS_LIMIT = "The SOQL FIELDS function must have a LIMIT of at most 200";
    static final String MAX_OFFSET = "Maximum SOQL offset allowed is 2000";
    static final String BIND_VARIABLES = "Bind variables only allowed in Apex code";
    /** Unconfirmed (remembered wording). */
    static final String INCLUDES_NEEDS_MULTIPICKLIST = "includes or excludes operator only valid on multipicklist field";
    /** Unconfirmed: our wording. */
    static final String COUNT_WITH_FIELDS = "COUNT() cannot be combined with other fields";

    private SoqlErrors() {
    }

    static String unexpectedToken(Token token) {
        return "unexpected token: '" + token.text() + "'";
    }

    static String noSuchColumn(String field, String entity) {
        return "No such column '" + field + "' on entity '" + entity + "'. If you are attempting to use a custom "
                + "field, be sure to append the '__c' after the custom field name. Please reference your WSDL or "
                + "the describe call for the appropriate names.";
    }

    static String unknownRelationship(String relationship) {
        return "Didn't understand relationship '" + relationship + "' in field path. If you are attempting to use "
                + "a custom relationship, be sure to append the '__r' after the custom relationship name. Please "
                + "reference your WSDL or the describe call for the appropriate names.";
    }

    static String unsupportedType(String sObject) {
        return "sObject type '" + sObject + "' is not supported. If you are attempting to use a custom object, be "
                + "sure to append the '__c' after the entity name. Please reference your WSDL or the describe call "
                + "for the appropriate names.";
    }

    static String duplicateField(String field) {
        return "duplicate field selected: " + field;
    }

    /**
     * A literal of the wrong kind for the field, e.g. a quoted date, or a number for a text field. The type is the
     * local part of the field's SOAP type: string, double, date, dateTime are confirmed; boolean, int, ID follow.
     */
    static String wrongLiteralType(String field, String expectedType, boolean quoted) {
        return "value of filter criterion for field '" + field + "' must be of type " + expectedType + " and should "
                + (quoted ? "" : "not ") + "be enclosed in quotes";
    }

    static String invalidId(String value) {
        return "invalid ID field: " + value;
    }

    static String invalidOperatorOnIdField() {
        return "invalid operator on id field";
    }

    /** LIKE on a number, date, boolean or multi-select picklist field. Unconfirmed: modelled on the id message. */
    static String invalidOperatorOnField(String fieldType) {
        return "invalid operator on " + fieldType + " field";
    }

    /** Unconfirmed wording. */
    static String illegalEscape(String literal, String sequence) {
        return "Invalid string literal " + literal + ". Illegal character sequence '" + sequence
                + "' in string literal.";
    }

    /** "Invalid datetime" is confirmed (Summer '24 release notes); "Invalid date" follows it. */
    static String invalidDateOrDateTime(boolean dateTime, String literal) {
        return (dateTime ? "Invalid datetime: " : "Invalid date: ") + literal;
    }

    static String cannotFilter(String field) {
        return "field '" + field + "' can not be filtered in query call";
    }

    static String cannotSort(String field) {
        return "field '" + field + "' can not be sorted in a query call";
    }
}
