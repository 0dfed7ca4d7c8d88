package io.sfsync.salesforce.error;

import java.util.List;

/**
 * A failed Salesforce call. The subclass tells the {@link ErrorCategory}; the exception also carries the HTTP
 * status (0 when no response came), Salesforce's error code, message and fields, and the underlying cause. The
 * message never contains tokens, secrets or record field values sent by the caller.
 */
public abstract sealed class SalesforceException extends RuntimeException
        permits RetriableSalesforceException, ReauthenticationRequiredException, RecordRejectedException,
        FatalSalesforceException {

    private final int httpStatus;
    private final List<ApiError> errors;

    protected SalesforceException(String message, int httpStatus, List<ApiError> errors, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** Builds the subclass for the category. */
    public static SalesforceException of(ErrorCategory category, String message, int httpStatus,
                                         List<ApiError> errors, Throwable cause) {
        return switch (category) {
            case RETRIABLE -> new RetriableSalesforceException(message, httpStatus, errors, cause);
            case REAUTHENTICATE -> new ReauthenticationRequiredException(message, httpStatus, errors, cause);
            case RECORD -> new RecordRejectedException(message, httpStatus, errors, cause);
            case FATAL -> new FatalSalesforceException(message, httpStatus, errors, cause);
        };
    }

    public abstract ErrorCategory category();

    /** The HTTP status, or 0 when the call failed without a response (I/O error, timeout). */
    public int httpStatus() {
        return httpStatus;
    }

    /** Every error Salesforce returned, in order; empty when the failure had no Salesforce error body. */
    public List<ApiError> errors() {
        return errors;
    }

    /** The first error's code ({@code INVALID_SESSION_ID}, {@code invalid_grant}...), or null. */
    public String errorCode() {
        return errors.isEmpty() ? null : errors.get(0).errorCode();
    }

    /** The fields the first error names; empty if none. */
    public List<String> fields() {
        return errors.isEmpty() ? List.of() : errors.get(0).fields();
    }

    public boolean isRetriable() {
        return category() == ErrorCategory.RETRIABLE;
    }
}
