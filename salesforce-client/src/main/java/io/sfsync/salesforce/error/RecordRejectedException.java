package io.sfsync.salesforce.error;

import java.util.List;

/** Salesforce rejected the record (validation, duplicate, bad field or id); other records are unaffected. */
public final class RecordRejectedException extends SalesforceException {

    private static final long serialVersionUID = 1L;

    public RecordRejectedException(String message, int httpStatus, List<ApiError> errors, Throwable cause) {
        super(message, httpStatus, errors, cause);
    }

    @Override
    public ErrorCategory category() {
        return ErrorCategory.RECORD;
    }
}
