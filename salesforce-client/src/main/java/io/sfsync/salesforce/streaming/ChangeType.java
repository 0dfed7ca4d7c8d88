package io.sfsync.salesforce.streaming;

import java.util.Locale;

/**
 * {@code ChangeEventHeader.changeType}. The {@code GAP_*} types say a change happened but its field values are not
 * available (event over 1 MB, a database-level change, an internal error): re-read the records.
 * {@link #GAP_OVERFLOW} says one transaction changed more than 100,000 records of the entity: re-read the entity.
 * {@link #UNKNOWN} stands for a value this library does not know (the raw text stays in the header).
 */
public enum ChangeType {
    CREATE, UPDATE, DELETE, UNDELETE,
    GAP_CREATE, GAP_UPDATE, GAP_DELETE, GAP_UNDELETE,
    GAP_OVERFLOW,
    /** Reserved by Salesforce. */
    SNAPSHOT,
    UNKNOWN;

    /** The change type for a header value; {@link #UNKNOWN} for null or anything unrecognised. */
    public static ChangeType parse(String value) {
        if (value == null || value.isBlank()) {
            return UNKNOWN;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** A gap event of any kind, overflow included: the payload carries no field values. */
    public boolean isGap() {
        return name().startsWith("GAP_");
    }
}
