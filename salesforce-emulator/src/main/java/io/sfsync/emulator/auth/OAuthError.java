package io.sfsync.emulator.auth;

/**
 * The token endpoint errors Salesforce sends, code and description verbatim. Salesforce answers every one of them
 * with HTTP 400 and {@code {"error":..,"error_description":..}}, including {@code invalid_client}, for which RFC 6749
 * would allow 401.
 *
 * <p>Sources: Salesforce Help "OAuth 2.0 Authorization Errors", and raw responses captured from real orgs in public
 * issue trackers (e.g. simple-salesforce#371/#491 for "expired authorization code", forrest#302 and the Confluent
 * Salesforce connector for "audience is invalid", restforce#303 for "inactive user", sf CLI tests for "grant type not
 * supported", salesforce.stackexchange 207685 for "user hasn't approved this consumer").
 */
public enum OAuthError {

    /** Wrong username or password (password + security token), or neither given. */
    AUTHENTICATION_FAILURE("invalid_grant", "authentication failure"),
    /** Unknown, revoked or foreign refresh token. */
    EXPIRED_ACCESS_OR_REFRESH_TOKEN("invalid_grant", "expired access/refresh token"),
    /** JWT bearer flow: unknown {@code sub}, or a user the app is not approved or pre-authorized for. */
    USER_NOT_APPROVED("invalid_grant", "user hasn't approved this consumer"),
    /**
     * JWT {@code aud} is not an accepted login URL. Salesforce Help's example shows "Audience validation failed", but
     * real orgs answer "audience is invalid" (several captured 400 responses), so that is what we send.
     */
    AUDIENCE_INVALID("invalid_grant", "audience is invalid"),
    /** JWT that is malformed, not RS256, or whose signature does not verify. */
    INVALID_ASSERTION("invalid_grant", "invalid assertion"),
    /** JWT whose {@code exp} has passed: Salesforce reuses the authorization-code wording here. */
    EXPIRED_ASSERTION("invalid_grant", "expired authorization code"),
    /** Client credentials flow on an app without a "Run As" user. */
    NO_CLIENT_CREDENTIALS_USER("invalid_grant", "no client credentials user enabled"),
    /** The user exists and authenticated, but is deactivated. */
    INACTIVE_USER("invalid_grant", "inactive user"),
    /** Username-password flow for a user outside the app's "Admin approved users are pre-authorized" list. */
    USER_NOT_ADMIN_APPROVED("invalid_app_access", "user is not admin approved to access this app"),
    /** Missing or unknown {@code client_id} / {@code iss}. */
    CLIENT_IDENTIFIER_INVALID("invalid_client_id", "client identifier invalid"),
    /** Missing or wrong client secret (client credentials also: missing client id). */
    INVALID_CLIENT_CREDENTIALS("invalid_client", "invalid client credentials"),
    /** Missing or unknown {@code grant_type}; also what a JSON (not form-encoded) request body gets. */
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", "grant type not supported");

    private static final int BAD_REQUEST = 400;

    private final String code;
    private final String description;

    OAuthError(String code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The {@code error} value. */
    public String code() {
        return code;
    }

    /** The {@code error_description} value. */
    public String description() {
        return description;
    }

    public int httpStatus() {
        return BAD_REQUEST;
    }
}
