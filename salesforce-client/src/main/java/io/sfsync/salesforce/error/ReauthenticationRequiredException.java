package io.sfsync.salesforce.error;

import java.util.List;

/** The session expired or was revoked even after one fresh login. */
public final class ReauthenticationRequiredException extends SalesforceException {

    private static final long serialVersionUID = 1L;

    public ReauthenticationRequiredException(String message, int httpStatus, List<ApiError> errors, Throwable cause) {
        super(message, httpStatus, errors, cause);
    }

    @Override
    public ErrorCategory category() {
        return ErrorCategory.REAUTHENTICATE;
    }
}
