package io.sfsync.emulator.data;

import java.util.List;

/**
 * A request-level failure: the whole call fails with this HTTP status and a JSON array of errors, as Salesforce
 * answers a malformed request, an unknown object or an exhausted limit.
 */
public class ApiException extends RuntimeException {

    private final int httpStatus;
    private final List<ApiError> errors;

    public ApiException(int httpStatus, ApiError... errors) {
        super(errors.length == 0 ? "HTTP " + httpStatus : errors[0].code() + ": " + errors[0].message(), null,
                false, false);
        this.httpStatus = httpStatus;
        this.errors = List.of(errors);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public List<ApiError> errors() {
        return errors;
    }

    public static ApiException notFound() {
        return new ApiException(404, ApiError.of("NOT_FOUND", "The requested resource does not exist"));
    }

    /** An sObject type named in a body or query that the org does not have. */
    public static ApiException invalidType(String typeName) {
        return new ApiException(400, ApiError.of("INVALID_TYPE", "sObject type '" + typeName + "' is not supported."));
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, ApiError.of(code, message));
    }
}
