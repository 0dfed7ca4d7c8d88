package io.sfsync.salesforce.error;

import java.util.List;
import java.util.Objects;

/**
 * One error as Salesforce reports it: {@code errorCode} in top-level REST error bodies, {@code statusCode} in
 * sObject Collections results, {@code error} in OAuth responses; the message is Salesforce's text and
 * {@code fields} the fields it names (possibly empty).
 */
public record ApiError(String errorCode, String message, List<String> fields) {

    public ApiError {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public static ApiError of(String errorCode, String message) {
        return new ApiError(errorCode, message, List.of());
    }

    public boolean hasCode(String code) {
        return Objects.equals(errorCode, code);
    }
}
