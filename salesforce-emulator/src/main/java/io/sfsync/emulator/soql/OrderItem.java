package io.sfsync.emulator.soql;

/** One ORDER BY key. Salesforce sorts nulls first unless told NULLS LAST, whatever the direction. */
public record OrderItem(FieldPath field, boolean descending, boolean nullsFirst) {
}
