package io.sfsync.emulator.data;

import java.util.List;

/**
 * One Salesforce error: the code ({@code errorCode} in top-level REST bodies, {@code statusCode} inside
 * sObject Collections results and Bulk results), its message, and the fields it concerns.
 */
public record ApiError(String code, String message, List<String> fields) {

    public ApiError {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public static ApiError of(String code, String message, String... fields) {
        return new ApiError(code, message, List.of(fields));
    }

    public static final String ALL_OR_NONE_MESSAGE =
            "Record rolled back because not all records were valid and the request was using AllOrNone header";

    public static ApiError rolledBack() {
        return of("ALL_OR_NONE_OPERATION_ROLLED_BACK", ALL_OR_NONE_MESSAGE);
    }
}
