package io.sfsync.salesforce.error;

/**
 * What a caller should do about a failed Salesforce call or a rejected record. Every failure the client reports
 * carries exactly one category, decided by {@link ErrorClassifier}.
 */
public enum ErrorCategory {
    /** Transient: I/O, 5xx, {@code REQUEST_LIMIT_EXCEEDED}, {@code UNABLE_TO_LOCK_ROW}. Try again later. */
    RETRIABLE,
    /** The session expired or was revoked (401 {@code INVALID_SESSION_ID}): log in again, then retry once. */
    REAUTHENTICATE,
    /** This record was rejected (validation, duplicate, bad field or id): report it, keep the rest flowing. */
    RECORD,
    /** Nothing will fix it by retrying: bad credentials, missing permission, unknown object, malformed request. */
    FATAL
}
