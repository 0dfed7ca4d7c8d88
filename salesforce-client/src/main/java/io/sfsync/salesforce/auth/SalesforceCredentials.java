package io.sfsync.salesforce.auth;

import java.net.URI;
import java.util.Objects;

/**
 * How to log in to an org: one of the OAuth 2.0 flows a server-side integration can use. Every secret is a
 * {@link Secret}, so {@code toString()} of these records shows no secret.
 *
 * <ul>
 *   <li>{@link JwtBearer}: recommended. A connected app with a certificate; no secret travels, no user interaction.</li>
 *   <li>{@link ClientCredentials}: supported. Runs as the app's "Run As" user; needs the org's My Domain URL.</li>
 *   <li>{@link RefreshToken}: supported, with a refresh token obtained out of band (web-server flow).</li>
 *   <li>{@link Password}: supported but discouraged: deprecated by Salesforce and blocked by MFA.</li>
 * </ul>
 */
public sealed interface SalesforceCredentials {

    /** The host the token request goes to: {@code https://login.salesforce.com}, a sandbox or My Domain URL. */
    URI loginUrl();

    /** The connected app's consumer key. */
    String clientId();

    /** The OAuth {@code grant_type} name, for messages. */
    String flowName();

    /**
     * JWT bearer flow.
     *
     * @param privateKeyPem the PKCS#8 RSA private key in PEM ({@code -----BEGIN PRIVATE KEY-----})
     * @param audience      the JWT {@code aud}: {@code https://login.salesforce.com}, {@code https://test.salesforce.com}
     *                      or the community URL; null to use the login URL
     */
    record JwtBearer(URI loginUrl, String clientId, String username, Secret privateKeyPem, String audience)
            implements SalesforceCredentials {
        public JwtBearer {
            Objects.requireNonNull(loginUrl, "loginUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        }

        public String effectiveAudience() {
            return audience == null || audience.isBlank() ? stripSlash(loginUrl.toString()) : audience;
        }

        @Override
        public String flowName() {
            return "jwt-bearer";
        }
    }

    /** Client credentials flow; {@code loginUrl} must be the org's My Domain URL. */
    record ClientCredentials(URI loginUrl, String clientId, Secret clientSecret) implements SalesforceCredentials {
        public ClientCredentials {
            Objects.requireNonNull(loginUrl, "loginUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
        }

        @Override
        public String flowName() {
            return "client_credentials";
        }
    }

    /** Refresh token flow; {@code clientSecret} may be null. */
    record RefreshToken(URI loginUrl, String clientId, Secret clientSecret, Secret refreshToken)
            implements SalesforceCredentials {
        public RefreshToken {
            Objects.requireNonNull(loginUrl, "loginUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(refreshToken, "refreshToken");
        }

        @Override
        public String flowName() {
            return "refresh_token";
        }
    }

    /**
     * Username-password flow (discouraged). {@code securityToken} is appended to the password; null when the login
     * comes from a trusted IP range.
     */
    record Password(URI loginUrl, String clientId, Secret clientSecret, String username, Secret password,
                    Secret securityToken) implements SalesforceCredentials {
        public Password {
            Objects.requireNonNull(loginUrl, "loginUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String flowName() {
            return "password";
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
