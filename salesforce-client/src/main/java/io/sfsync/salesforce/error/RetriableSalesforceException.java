package io.sfsync.salesforce.error;

import java.util.List;

/** Transient failure: retrying later may succeed (I/O, 5xx, REQUEST_LIMIT_EXCEEDED, UNABLE_TO_LOCK_ROW). */
public final class RetriableSalesforceException extends SalesforceException {

    private static final long serialVersionUID = 1L;

    public RetriableSalesforceException(String message, int httpStatus, List<ApiError> errors, Throwable cause) {
        super(message, httpStatus, errors, cause);
    }

    @Override
    public ErrorCategory category() {
        return ErrorCategory.RETRIABLE;
    }
}
