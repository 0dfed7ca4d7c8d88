package io.sfsync.salesforce.bulk;

/** The operations of a Bulk API 2.0 ingest job, with their wire names. */
public enum BulkOperation {
    INSERT("insert"),
    UPDATE("update"),
    /** Upsert by an External ID field (or {@code Id}), named when the job is created. */
    UPSERT("upsert"),
    /** Moves the records to the recycle bin. */
    DELETE("delete"),
    /** Deletes the records for good (the user needs the "Bulk API Hard Delete" permission). */
    HARD_DELETE("hardDelete");

    private final String wireName;

    BulkOperation(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The column that identifies a row in the result files besides its position: Id, the External ID, or none. */
    String keyColumn(String externalIdField) {
        return switch (this) {
            case UPDATE, DELETE, HARD_DELETE -> "Id";
            case UPSERT -> externalIdField;
            case INSERT -> null;
        };
    }
}
