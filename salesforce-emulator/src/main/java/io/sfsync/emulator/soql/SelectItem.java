package io.sfsync.emulator.soql;

/** One item of the SELECT list. */
public sealed interface SelectItem {

    /** A field or a parent relationship path. */
    record Field(FieldPath path) implements SelectItem {
    }

    /** {@code COUNT()}: the query returns only totalSize. */
    record CountAll(int position) implements SelectItem {
    }

    /** {@code FIELDS(ALL)}, {@code FIELDS(STANDARD)} or {@code FIELDS(CUSTOM)}. */
    record Fields(FieldsGroup group, int position) implements SelectItem {
    }

    /** The argument of FIELDS(). */
    enum FieldsGroup {
        ALL,
        STANDARD,
        CUSTOM
    }
}
