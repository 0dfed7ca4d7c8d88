package io.sfsync.salesforce.error;

import java.util.List;

/** Retrying cannot help: bad credentials, missing permission, unknown object or resource, malformed request. */
public final class FatalSalesforceException extends SalesforceException {

    private static final long serialVersionUID = 1L;

    public FatalSalesforceException(String message, int httpStatus, List<ApiError> errors, Throwable cause) {
        super(message, httpStatus, errors, cause);
    }

    @Override
    public ErrorCategory category() {
        return ErrorCategory.FATAL;
    }
}
