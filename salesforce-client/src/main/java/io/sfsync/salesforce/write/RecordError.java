package io.sfsync.salesforce.write;

import io.sfsync.salesforce.error.ErrorCategory;

import java.util.List;

/**
 * Why Salesforce rejected one record: its {@code statusCode} ({@code REQUIRED_FIELD_MISSING},
 * {@code UNABLE_TO_LOCK_ROW}...), message and fields, and what the caller should do about it.
 */
public record RecordError(String statusCode, String message, List<String> fields, ErrorCategory category) {

    public RecordError {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }
}
