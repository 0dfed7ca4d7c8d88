package io.sfsync.emulator.auth;

import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A connected app (or external client app) of the emulated org: what a client names in {@code client_id} /
 * {@code iss}.
 *
 * <ul>
 *   <li>{@code jwtPublicKey}: the key of the certificate uploaded under "Use digital signatures"; {@code null} if
 *       the app cannot use the JWT bearer flow.</li>
 *   <li>{@code clientCredentialsRunAsUserId}: the "Run As" user of the client credentials flow; {@code null} if the
 *       flow is not enabled, which Salesforce answers with {@code invalid_grant} "no client credentials user
 *       enabled".</li>
 *   <li>{@code preAuthorizedUserIds}: with the "Admin approved users are pre-authorized" policy, the users whose
 *       profile or permission set grants the app; {@code null} means every user of the org may use it (as if all
 *       had approved it).</li>
 *   <li>{@code scope}: the OAuth scopes the app was granted, space-separated, as the token response's
 *       {@code scope} reports them (default {@code api}).</li>
 * </ul>
 */
public final class ConnectedApp {

    private static final String DEFAULT_SCOPE = "api";

    private final String clientId;
    private final String clientSecret;
    private final PublicKey jwtPublicKey;
    private final String clientCredentialsRunAsUserId;
    private final Set<String> preAuthorizedUserIds;
    private final String scope;

    /** An app every user may use, with scope {@code api}. */
    public ConnectedApp(String clientId, String clientSecret, PublicKey jwtPublicKey,
                        String clientCredentialsRunAsUserId) {
        this(builder(clientId, clientSecret)
                .jwtPublicKey(jwtPublicKey)
                .clientCredentialsRunAsUserId(clientCredentialsRunAsUserId));
    }

    private ConnectedApp(Builder builder) {
        this.clientId = builder.clientId;
        this.clientSecret = builder.clientSecret;
        this.jwtPublicKey = builder.jwtPublicKey;
        this.clientCredentialsRunAsUserId = builder.clientCredentialsRunAsUserId;
        this.preAuthorizedUserIds = builder.preAuthorizedUserIds;
        this.scope = builder.scope;
    }

    public static Builder builder(String clientId, String clientSecret) {
        return new Builder(clientId, clientSecret);
    }

    /**
     * Reads a PEM X.509 certificate ({@code -----BEGIN CERTIFICATE-----}) or RSA public key
     * ({@code -----BEGIN PUBLIC KEY-----}) into the key that verifies this app's JWT assertions.
     *
     * @throws IllegalArgumentException if the text holds neither
     */
    public static PublicKey publicKeyFromPem(String pem) {
        return PemPublicKeys.read(Objects.requireNonNull(pem, "pem"));
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public Optional<PublicKey> jwtPublicKey() {
        return Optional.ofNullable(jwtPublicKey);
    }

    public Optional<String> clientCredentialsRunAsUserId() {
        return Optional.ofNullable(clientCredentialsRunAsUserId);
    }

    public String scope() {
        return scope;
    }

    /** Whether the user may get tokens through this app (admin pre-authorization or prior approval). */
    public boolean isApprovedFor(String userId) {
        return preAuthorizedUserIds == null || preAuthorizedUserIds.contains(userId);
    }

    /** Leaves out the client secret. */
    @Override
    public String toString() {
        return "ConnectedApp[clientId=" + clientId
                + ", jwt=" + (jwtPublicKey != null)
                + ", clientCredentialsRunAsUserId=" + clientCredentialsRunAsUserId
                + ", scope=" + scope + "]";
    }

    public static final class Builder {
        private final String clientId;
        private final String clientSecret;
        private PublicKey jwtPublicKey;
        private String clientCredentialsRunAsUserId;
        private Set<String> preAuthorizedUserIds;
        private String scope = DEFAULT_SCOPE;

        private Builder(String clientId, String clientSecret) {
            this.clientId = requireText(clientId, "clientId");
            this.clientSecret = requireText(clientSecret, "clientSecret");
        }

        public Builder jwtPublicKey(PublicKey key) {
            this.jwtPublicKey = key;
            return this;
        }

        public Builder jwtCertificatePem(String pem) {
            return jwtPublicKey(publicKeyFromPem(pem));
        }

        public Builder clientCredentialsRunAsUserId(String userId) {
            this.clientCredentialsRunAsUserId = userId;
            return this;
        }

        /** Restricts the app to these users ("Admin approved users are pre-authorized"). */
        public Builder preAuthorizedUserIds(Set<String> userIds) {
            this.preAuthorizedUserIds = Set.copyOf(userIds);
            return this;
        }

        public Builder scope(String spaceSeparatedScopes) {
            this.scope = requireText(spaceSeparatedScopes, "scope");
            return this;
        }

        public ConnectedApp build() {
            return new ConnectedApp(this);
        }

        private static String requireText(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " is blank");
            }
            return value;
        }
    }
}
