package io.sfsync.emulator.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a token request: an HTTP status and the flat JSON object Salesforce sends, with its keys in
 * Salesforce's order. All values are strings, {@code issued_at} included.
 */
public final class TokenResponse {

    static final String ACCESS_TOKEN = "access_token";
    static final String REFRESH_TOKEN = "refresh_token";
    static final String SIGNATURE = "signature";
    static final String SCOPE = "scope";
    static final String INSTANCE_URL = "instance_url";
    static final String ID = "id";
    static final String TOKEN_TYPE = "token_type";
    static final String ISSUED_AT = "issued_at";
    static final String ERROR = "error";
    static final String ERROR_DESCRIPTION = "error_description";

    private static final int OK = 200;

    private final int httpStatus;
    private final Map<String, String> body;

    private TokenResponse(int httpStatus, Map<String, String> body) {
        this.httpStatus = httpStatus;
        this.body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
    }

    static TokenResponse success(Map<String, String> orderedFields) {
        return new TokenResponse(OK, orderedFields);
    }

    static TokenResponse failure(OAuthError error) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put(ERROR, error.code());
        body.put(ERROR_DESCRIPTION, error.description());
        return new TokenResponse(error.httpStatus(), body);
    }

    public boolean isSuccess() {
        return httpStatus == OK;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The JSON object to send, keys in Salesforce's order. */
    public Map<String, String> body() {
        return body;
    }

    public Optional<String> accessToken() {
        return Optional.ofNullable(body.get(ACCESS_TOKEN));
    }

    public Optional<String> refreshToken() {
        return Optional.ofNullable(body.get(REFRESH_TOKEN));
    }

    /** The {@code error} code, or empty on success. */
    public Optional<String> error() {
        return Optional.ofNullable(body.get(ERROR));
    }

    public Optional<String> errorDescription() {
        return Optional.ofNullable(body.get(ERROR_DESCRIPTION));
    }

    /** Whether this is exactly the given Salesforce error. */
    public boolean is(OAuthError expected) {
        Objects.requireNonNull(expected, "expected");
        return expected.code().equals(body.get(ERROR)) && expected.description().equals(body.get(ERROR_DESCRIPTION));
    }

    /** Shows the status and either the error or the key names; never a token. */
    @Override
    public String toString() {
        return isSuccess()
                ? "TokenResponse[200, keys=" + body.keySet() + "]"
                : "TokenResponse[" + httpStatus + ", " + body.get(ERROR) + ": " + body.get(ERROR_DESCRIPTION) + "]";
    }
}
