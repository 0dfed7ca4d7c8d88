package io.sfsync.salesforce.error;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The classifier on Salesforce's documented error bodies (shared/samples/rest-error-bodies.json and friends). */
class ErrorClassifierTest {

    private static ErrorCategory of(int status, String body) {
        return ErrorClassifier.fromResponse("GET /x", status, body).category();
    }

    @Test
    void expiredSessionMeansReauthenticate() {
        assertThat(of(401, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]"))
                .isEqualTo(ErrorCategory.REAUTHENTICATE);
        assertThat(of(401, "[{\"message\":\"INVALID_HEADER_TYPE\",\"errorCode\":\"INVALID_AUTH_HEADER\"}]"))
                .isEqualTo(ErrorCategory.FATAL);
    }

    @Test
    void limitsLocksAndServerErrorsAreRetriable() {
        assertThat(of(403, "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]"))
                .isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(of(400, "[{\"message\":\"unable to obtain exclusive access to this record\","
                + "\"errorCode\":\"UNABLE_TO_LOCK_ROW\"}]")).isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(of(503, "<html><body><h1>Service Unavailable</h1></body></html>")).isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(of(500, "[{\"message\":\"An unexpected error occurred.\",\"errorCode\":\"UNKNOWN_EXCEPTION\"}]"))
                .isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(of(502, "")).isEqualTo(ErrorCategory.RETRIABLE);
    }

    @Test
    void aPlain400IsNeverRetriable() {
        for (String code : List.of("MALFORMED_ID", "REQUIRED_FIELD_MISSING", "STRING_TOO_LONG", "DUPLICATE_VALUE",
                "FIELD_CUSTOM_VALIDATION_EXCEPTION", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "INVALID_FIELD",
                "SOMETHING_NEW")) {
            assertThat(of(400, "[{\"message\":\"m\",\"errorCode\":\"" + code + "\"}]")).as(code)
                    .isEqualTo(ErrorCategory.RECORD);
        }
        assertThat(of(400, "[{\"message\":\"SOQL statements cannot be empty or null\","
                + "\"errorCode\":\"MALFORMED_QUERY\"}]")).isEqualTo(ErrorCategory.FATAL);
        assertThat(of(400, "not json at all")).isEqualTo(ErrorCategory.RECORD);
    }

    @Test
    void missingPermissionAndUnknownResourcesAreFatal() {
        assertThat(of(403, "[{\"message\":\"no\",\"errorCode\":\"INSUFFICIENT_ACCESS_OR_READONLY\"}]"))
                .isEqualTo(ErrorCategory.FATAL);
        assertThat(of(403, "[{\"message\":\"API is not enabled\",\"errorCode\":\"API_DISABLED_FOR_ORG\"}]"))
                .isEqualTo(ErrorCategory.FATAL);
        assertThat(of(404, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]"))
                .isEqualTo(ErrorCategory.FATAL);
        assertThat(of(404, "[{\"message\":\"entity is deleted\",\"errorCode\":\"ENTITY_IS_DELETED\"}]"))
                .isEqualTo(ErrorCategory.RECORD);
        assertThat(of(405, "[{\"message\":\"no\",\"errorCode\":\"METHOD_NOT_ALLOWED\"}]")).isEqualTo(ErrorCategory.FATAL);
    }

    @Test
    void exceptionsCarryStatusCodeMessageFieldsAndCause() {
        SalesforceException e = ErrorClassifier.fromResponse("GET /sobjects/Account/001", 400,
                "[{\"fields\":[\"Id\"],\"message\":\"Account ID: id value of incorrect type: 001900K0001pPuOAAU\","
                        + "\"errorCode\":\"MALFORMED_ID\"}]");
        assertThat(e).isInstanceOf(RecordRejectedException.class);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.errorCode()).isEqualTo("MALFORMED_ID");
        assertThat(e.fields()).containsExactly("Id");
        assertThat(e.getMessage()).contains("GET /sobjects/Account/001", "MALFORMED_ID", "id value of incorrect type");
        assertThat(e.getCause()).isInstanceOf(ErrorClassifier.SalesforceResponseError.class);
    }

    @Test
    void ioFailuresAreRetriableWithTheCauseAttached() {
        IOException reset = new IOException("Connection reset");
        SalesforceException e = ErrorClassifier.fromIo("POST /composite/sobjects", reset);
        assertThat(e.category()).isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(e.httpStatus()).isZero();
        assertThat(e.getCause()).isSameAs(reset);
        assertThat(ErrorClassifier.classify(new HttpTimeoutException("timed out"))).isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(ErrorClassifier.classify(new ConnectException("refused"))).isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(ErrorClassifier.classify(new IllegalStateException())).isEqualTo(ErrorCategory.FATAL);
    }

    @Test
    void perRecordAndOAuthErrors() {
        assertThat(ErrorClassifier.classifyRecordError("UNABLE_TO_LOCK_ROW")).isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(ErrorClassifier.classifyRecordError("ALL_OR_NONE_OPERATION_ROLLED_BACK"))
                .isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(ErrorClassifier.classifyRecordError("DUPLICATES_DETECTED")).isEqualTo(ErrorCategory.RECORD);
        assertThat(ErrorClassifier.classifyRecordError("INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY"))
                .isEqualTo(ErrorCategory.FATAL);
        assertThat(ErrorClassifier.classifyOAuth(400, "invalid_grant")).isEqualTo(ErrorCategory.FATAL);
        assertThat(ErrorClassifier.classifyOAuth(400, "invalid_client")).isEqualTo(ErrorCategory.FATAL);
        assertThat(ErrorClassifier.classifyOAuth(400, "rate_limit_exceeded")).isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(ErrorClassifier.classifyOAuth(503, null)).isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(ErrorClassifier.parseErrors("{\"error\":\"invalid_grant\",\"error_description\":\"authentication "
                + "failure\"}")).containsExactly(io.sfsync.salesforce.error.ApiError.of("invalid_grant",
                "authentication failure"));
    }
}
