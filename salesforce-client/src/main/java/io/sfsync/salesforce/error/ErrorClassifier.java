package io.sfsync.salesforce.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one place that decides what a Salesforce failure means. It maps an HTTP response (status plus error body), an
 * OAuth error, a per-record error code or an exception to an {@link ErrorCategory}, and builds the matching
 * {@link SalesforceException} with the cause attached.
 *
 * <ul>
 *   <li>RETRIABLE: I/O errors and timeouts, every 5xx (also when the body is an HTML page from the edge), 408/429,
 *   {@code REQUEST_LIMIT_EXCEEDED}, {@code UNABLE_TO_LOCK_ROW}, {@code SERVER_UNAVAILABLE}.</li>
 *   <li>REAUTHENTICATE: 401 {@code INVALID_SESSION_ID}.</li>
 *   <li>RECORD: a 400 about the data (validation, required field, too long, duplicate, bad picklist value, bad id or
 *   field), 404 {@code ENTITY_IS_DELETED}, 300 (an External ID matched several records).</li>
 *   <li>FATAL: OAuth errors (bad credentials, unapproved user...), 401 other than an expired session, 403 other than
 *   the request limit (missing permission, API disabled), 404 {@code NOT_FOUND}, 405/406/409/410/412/414/415, and
 *   400s about the request itself ({@code MALFORMED_QUERY}, {@code JSON_PARSER_ERROR}, {@code INVALID_TYPE}...).</li>
 * </ul>
 * A plain 400 is never retriable.
 */
public final class ErrorClassifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Codes that are transient wherever they appear (top-level or per record). */
    private static final Set<String> RETRIABLE_CODES = Set.of(
            "UNABLE_TO_LOCK_ROW", "REQUEST_LIMIT_EXCEEDED", "SERVER_UNAVAILABLE", "QUERY_TIMEOUT",
            "ALL_OR_NONE_OPERATION_ROLLED_BACK", "PROCESSING_HALTED", "TXN_SECURITY_METERING_ERROR");

    /** Codes that no retry or record fix can cure: permissions, org settings, malformed requests. */
    private static final Set<String> FATAL_CODES = Set.of(
            "INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS_OR_READONLY", "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
            "API_DISABLED_FOR_ORG", "API_CURRENTLY_DISABLED", "FUNCTIONALITY_NOT_ENABLED", "NOT_FOUND",
            "INVALID_TYPE", "MALFORMED_QUERY", "JSON_PARSER_ERROR", "EXCEEDED_ID_LIMIT", "LIMIT_EXCEEDED",
            "METHOD_NOT_ALLOWED", "INVALID_QUERY_FILTER_OPERATOR", "INVALID_SESSION_ID_FOR_REQUEST",
            "INVALID_AUTH_HEADER", "INVALID_OPERATION_WITH_EXPIRED_PASSWORD", "INVALID_QUERY_LOCATOR",
            "MISSING_ARGUMENT", "UNSUPPORTED_API_VERSION", "INVALID_LOGIN", "PASSWORD_LOCKOUT");

    /** OAuth {@code error} values that say the token endpoint is overloaded rather than that the login is wrong. */
    private static final Set<String> RETRIABLE_OAUTH_ERRORS = Set.of("rate_limit_exceeded", "server_error",
            "temporarily_unavailable");

    private ErrorClassifier() {
    }

    /** Category of a non-2xx REST response, given its status and parsed error body (possibly empty). */
    public static ErrorCategory classify(int status, List<ApiError> errors) {
        String code = errors.isEmpty() ? null : errors.get(0).errorCode();
        if (status >= 500 || status == 408 || status == 429) {
            return ErrorCategory.RETRIABLE;
        }
        if (code != null && RETRIABLE_CODES.contains(code)) {
            return ErrorCategory.RETRIABLE;
        }
        switch (status) {
            case 401:
                return "INVALID_SESSION_ID".equals(code) ? ErrorCategory.REAUTHENTICATE : ErrorCategory.FATAL;
            case 403:
                return ErrorCategory.FATAL;
            case 404:
                return "ENTITY_IS_DELETED".equals(code) ? ErrorCategory.RECORD : ErrorCategory.FATAL;
            case 300:
                return ErrorCategory.RECORD;
            case 400:
                return code != null && FATAL_CODES.contains(code) ? ErrorCategory.FATAL : ErrorCategory.RECORD;
            default:
                return ErrorCategory.FATAL;
        }
    }

    /** Category of a per-record error inside an sObject Collections or composite result. */
    public static ErrorCategory classifyRecordError(String statusCode) {
        if (statusCode != null && RETRIABLE_CODES.contains(statusCode)) {
            return ErrorCategory.RETRIABLE;
        }
        if (statusCode != null && statusCode.startsWith("INSUFFICIENT_ACCESS")) {
            return ErrorCategory.FATAL;
        }
        return ErrorCategory.RECORD;
    }

    /** Category of an OAuth token endpoint failure: bad credentials are fatal, an overloaded endpoint is not. */
    public static ErrorCategory classifyOAuth(int status, String error) {
        if (status >= 500 || status == 429 || (error != null && RETRIABLE_OAUTH_ERRORS.contains(error))) {
            return ErrorCategory.RETRIABLE;
        }
        return ErrorCategory.FATAL;
    }

    /** Category of any throwable seen while calling Salesforce. */
    public static ErrorCategory classify(Throwable t) {
        if (t instanceof SalesforceException e) {
            return e.category();
        }
        if (t instanceof HttpTimeoutException || (t instanceof IOException && !(t instanceof InterruptedIOException))) {
            return ErrorCategory.RETRIABLE;
        }
        return ErrorCategory.FATAL;
    }

    /**
     * The exception for a non-2xx REST response.
     *
     * @param what a short description of the call, e.g. {@code GET /sobjects/Account/describe} (no query string)
     */
    public static SalesforceException fromResponse(String what, int status, String body) {
        List<ApiError> errors = parseErrors(body);
        ErrorCategory category = classify(status, errors);
        StringBuilder message = new StringBuilder(what).append(": HTTP ").append(status);
        if (errors.isEmpty()) {
            message.append(body == null || body.isBlank() ? " (no body)" : " (no Salesforce error body)");
        } else {
            ApiError first = errors.get(0);
            message.append(' ').append(first.errorCode()).append(": ").append(first.message());
            if (!first.fields().isEmpty()) {
                message.append(" ").append(first.fields());
            }
        }
        return SalesforceException.of(category, message.toString(), status, errors,
                new SalesforceResponseError(status, body == null ? "" : abbreviate(body)));
    }

    /** The exception for a call that got no response: I/O error or timeout. */
    public static SalesforceException fromIo(String what, IOException e) {
        ErrorCategory category = classify(e);
        return SalesforceException.of(category, what + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), 0, List.of(), e);
    }

    /**
     * Salesforce error bodies: a JSON array of {@code {errorCode|statusCode, message, fields}}, a single such object,
     * or an OAuth {@code {error, error_description}}. Anything else (an HTML 503 page) yields an empty list.
     */
    public static List<ApiError> parseErrors(String body) {
        List<ApiError> out = new ArrayList<>();
        if (body == null || body.isBlank()) {
            return out;
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException | RuntimeException notJson) {
            return out;
        }
        if (node == null) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(e -> addError(out, e));
        } else if (node.isObject()) {
            addError(out, node);
        }
        return out;
    }

    /** Parses one error object; public for the per-record errors of collections and composite results. */
    public static ApiError parseError(JsonNode e) {
        String code = text(e, "errorCode");
        if (code == null) {
            code = text(e, "statusCode");
        }
        String message = text(e, "message");
        if (code == null && e.has("error")) {
            code = text(e, "error");
            message = text(e, "error_description");
        }
        List<String> fields = new ArrayList<>();
        e.path("fields").forEach(f -> fields.add(f.asText()));
        return new ApiError(code, message, fields);
    }

    private static void addError(List<ApiError> out, JsonNode e) {
        if (e.isObject() && (e.has("errorCode") || e.has("statusCode") || e.has("error"))) {
            out.add(parseError(e));
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }

    /** The raw response behind a {@link SalesforceException}, attached as its cause. */
    public static final class SalesforceResponseError extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        SalesforceResponseError(int status, String body) {
            super("HTTP " + status + (body.isEmpty() ? "" : ": " + body), null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
