package io.sfsync.emulator.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated org's OAuth 2.0 authorization server: issues access tokens for the username-password, client
 * credentials, JWT bearer and refresh token grants, validates them for the rest of the emulator, and revokes or
 * expires them. Thread-safe.
 *
 * <h2>Success bodies, per grant (keys in Salesforce's order)</h2>
 * <ul>
 *   <li>{@code password}: {@code access_token, instance_url, id, token_type, issued_at, signature}. No
 *       {@code scope} and no {@code refresh_token}: Salesforce documents "No refresh token is issued" for this flow,
 *       and real responses have exactly these keys.</li>
 *   <li>{@code client_credentials}: {@code access_token, signature, scope, instance_url, id, token_type, issued_at}
 *       (Salesforce Help sample); never a refresh token.</li>
 *   <li>{@code urn:ietf:params:oauth:grant-type:jwt-bearer}: {@code access_token, scope, instance_url, id,
 *       token_type}: the JWT flow sends neither {@code signature} nor {@code issued_at}, nor a refresh token.</li>
 *   <li>{@code refresh_token}: {@code access_token, signature, scope, instance_url, id, token_type, issued_at}; the
 *       refresh token is not rotated, so none comes back.</li>
 * </ul>
 * {@code issued_at} is epoch milliseconds as a string; {@code id} is
 * {@code https://login.salesforce.com/id/<orgId>/<userId>}; {@code signature} is described in {@link TokenMinter}.
 *
 * <h2>Refresh tokens</h2>
 * Salesforce issues refresh tokens only from the interactive web-server and user-agent flows, which this emulator
 * does not serve. {@link #grantRefreshToken} stands for that out-of-band approval: it hands out a refresh token a
 * client can then use with the {@code refresh_token} grant.
 *
 * <h2>JWT {@code exp} rule</h2>
 * Salesforce asks for an {@code exp} "within 3 minutes" but is lenient in practice (clients whose {@code exp} is
 * hours off because of a time-zone bug work). We accept an assertion while {@code now < exp + 3 min} (three minutes
 * of clock skew) and {@code exp <= now + 24 h}. A past {@code exp} gets Salesforce's "expired authorization code";
 * one more than a day ahead (typically milliseconds sent instead of seconds) gets "invalid assertion".
 *
 * <h2>Sessions</h2>
 * Idle-based like Salesforce's: a session ends once the session timeout (default 2 h, Salesforce's default) has
 * passed since it was issued or last validated. Token requests do not count against the org's API request limit.
 */
public final class TokenService {

    /** The JWT bearer grant type. */
    public static final String JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** Salesforce's production login host, also the host of identity URLs. */
    public static final String PRODUCTION_LOGIN_URL = "https://login.salesforce.com";
    /** Salesforce's sandbox login host. */
    public static final String SANDBOX_LOGIN_URL = "https://test.salesforce.com";
    /** Salesforce's default session timeout. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofHours(2);

    static final Duration JWT_CLOCK_SKEW = Duration.ofMinutes(3);
    static final Duration JWT_MAX_EXP_AHEAD = Duration.ofHours(24);

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    private static final String ORG_KEY_PREFIX = "00D";
    private static final String REFRESH_TOKEN_SCOPE = "refresh_token";
    private static final String BEARER = "Bearer";

    private final String orgId;
    private final Supplier<String> instanceUrl;
    private final List<String> loginAudiences;
    private final Clock clock;
    private final Object userIndexLock = new Object();
    private final Map<String, EmulatorUser> usersById = new ConcurrentHashMap<>();
    private final Map<String, String> userIdsByLowerCaseUsername = new ConcurrentHashMap<>();
    private final Map<String, ConnectedApp> appsByClientId = new ConcurrentHashMap<>();
    private final SessionStore sessions = new SessionStore();
    private final TokenMinter minter = new TokenMinter();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();
    private volatile Duration sessionTimeout;

    private TokenService(Builder builder) {
        this.orgId = builder.orgId;
        this.instanceUrl = builder.instanceUrl;
        this.loginAudiences = List.copyOf(builder.loginAudiences);
        this.clock = builder.clock;
        this.sessionTimeout = builder.sessionTimeout;
        builder.users.forEach(this::putUser);
        builder.apps.forEach(this::putConnectedApp);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Configuration

    public String orgId() {
        return orgId;
    }

    /**
     * Adds a user, or replaces the one with the same id (e.g. to deactivate it).
     *
     * @throws IllegalArgumentException if another user already has the username (usernames are unique across
     *     Salesforce, case-insensitively)
     */
    public void putUser(EmulatorUser user) {
        Objects.requireNonNull(user, "user");
        synchronized (userIndexLock) {
            String holder = userIdsByLowerCaseUsername.get(lowerCase(user.username()));
            if (holder != null && !holder.equals(user.id())) {
                throw new IllegalArgumentException("username " + user.username() + " belongs to user " + holder);
            }
            EmulatorUser previous = usersById.put(user.id(), user);
            if (previous != null) {
                userIdsByLowerCaseUsername.remove(lowerCase(previous.username()));
            }
            userIdsByLowerCaseUsername.put(lowerCase(user.username()), user.id());
        }
    }

    /** Adds a connected app, or replaces the one with the same client id. */
    public void putConnectedApp(ConnectedApp app) {
        Objects.requireNonNull(app, "app");
        appsByClientId.put(app.clientId(), app);
    }

    /** Changes the org's session timeout; it applies to existing sessions at once. */
    public void setSessionTimeout(Duration timeout) {
        this.sessionTimeout = requirePositive(timeout);
    }

    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /**
     * Registers a callback that receives the access token of each session as it ends: by {@link #revoke},
     * {@link #revokeAll()} or {@link #expireAll()}, or on idling out, which is noticed by {@link #validate} or
     * {@link #expireIdleSessions()}. It runs on the thread that ended the session, after the change, and must not
     * block.
     */
    public void addRevocationListener(Consumer<String> listener) {
        revocationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Token endpoint

    /**
     * Handles a {@code POST /services/oauth2/token}.
     *
     * @param form                the request's parameters (form body and query string)
     * @param authorizationHeader the {@code Authorization} header, for HTTP Basic client authentication; may be null
     */
    public TokenResponse token(Map<String, String> form, String authorizationHeader) {
        Objects.requireNonNull(form, "form");
        String grantType = form.get("grant_type");
        TokenResponse response;
        if ("password".equals(grantType)) {
            response = passwordGrant(form, authorizationHeader);
        } else if ("client_credentials".equals(grantType)) {
            response = clientCredentialsGrant(form, authorizationHeader);
        } else if (JWT_BEARER_GRANT.equals(grantType)) {
            response = jwtBearerGrant(form);
        } else if ("refresh_token".equals(grantType)) {
            response = refreshTokenGrant(form, authorizationHeader);
        } else {
            response = TokenResponse.failure(OAuthError.UNSUPPORTED_GRANT_TYPE);
        }
        LOG.debug("token request grant_type={} -> {}", grantType, response);
        return response;
    }

    /**
     * Username-password flow. Checks, in order: the client id, the client secret, the username and password (password
     * plus security token), that the user is active, and that the app admits the user.
     */
    private TokenResponse passwordGrant(Map<String, String> form, String authorizationHeader) {
        ClientCredentials client = ClientCredentials.from(form, authorizationHeader);
        Optional<ConnectedApp> app = knownApp(client);
        if (app.isEmpty()) {
            return TokenResponse.failure(OAuthError.CLIENT_IDENTIFIER_INVALID);
        }
        if (!secretMatches(app.get(), client)) {
            return TokenResponse.failure(OAuthError.INVALID_CLIENT_CREDENTIALS);
        }
        Optional<EmulatorUser> user = userByUsername(form.get("username"))
                .filter(candidate -> candidate.expectedPasswordParameter().equals(form.get("password")));
        if (user.isEmpty()) {
            return TokenResponse.failure(OAuthError.AUTHENTICATION_FAILURE);
        }
        if (!user.get().active()) {
            return TokenResponse.failure(OAuthError.INACTIVE_USER);
        }
        if (!app.get().isApprovedFor(user.get().id())) {
            return TokenResponse.failure(OAuthError.USER_NOT_ADMIN_APPROVED);
        }
        Session session = openSession(user.get().id(), app.get().clientId(), null);
        String identityUrl = identityUrl(session.userId());
        String issuedAt = epochMillis(session.issuedAt());
        Map<String, String> body = new LinkedHashMap<>();
        body.put(TokenResponse.ACCESS_TOKEN, session.accessToken());
        body.put(TokenResponse.INSTANCE_URL, instanceUrl.get());
        body.put(TokenResponse.ID, identityUrl);
        body.put(TokenResponse.TOKEN_TYPE, BEARER);
        body.put(TokenResponse.ISSUED_AT, issuedAt);
        body.put(TokenResponse.SIGNATURE, TokenMinter.signature(identityUrl, issuedAt, app.get().clientSecret()));
        return TokenResponse.success(body);
    }

    /**
     * Client credentials flow: the session runs as the app's "Run As" user. A request without a client id or
     * secret gets "invalid client credentials" (what Salesforce logs as "Missing Consumer Key Parameter").
     */
    private TokenResponse clientCredentialsGrant(Map<String, String> form, String authorizationHeader) {
        ClientCredentials client = ClientCredentials.from(form, authorizationHeader);
        if (!client.hasClientId() || !client.hasClientSecret()) {
            return TokenResponse.failure(OAuthError.INVALID_CLIENT_CREDENTIALS);
        }
        Optional<ConnectedApp> app = knownApp(client);
        if (app.isEmpty()) {
            return TokenResponse.failure(OAuthError.CLIENT_IDENTIFIER_INVALID);
        }
        if (!secretMatches(app.get(), client)) {
            return TokenResponse.failure(OAuthError.INVALID_CLIENT_CREDENTIALS);
        }
        Optional<EmulatorUser> runAs = app.get().clientCredentialsRunAsUserId().map(usersById::get);
        if (runAs.isEmpty()) {
            return TokenResponse.failure(OAuthError.NO_CLIENT_CREDENTIALS_USER);
        }
        if (!runAs.get().active()) {
            return TokenResponse.failure(OAuthError.INACTIVE_USER);
        }
        Session session = openSession(runAs.get().id(), app.get().clientId(), null);
        return TokenResponse.success(signedBody(session, app.get(), app.get().scope()));
    }

    /**
     * JWT bearer flow. Checks, in order: a well-formed RS256 JWT; {@code iss} names an app; the app has a
     * certificate and the signature verifies with it; {@code aud}; {@code exp} (see the class comment); {@code sub}
     * names a user the app is approved for; that user is active.
     */
    private TokenResponse jwtBearerGrant(Map<String, String> form) {
        Optional<JwtBearerAssertion> parsed = JwtBearerAssertion.parse(form.get("assertion"));
        if (parsed.isEmpty()) {
            return TokenResponse.failure(OAuthError.INVALID_ASSERTION);
        }
        JwtBearerAssertion assertion = parsed.get();
        Optional<ConnectedApp> app = assertion.issuer().map(appsByClientId::get);
        if (app.isEmpty()) {
            return TokenResponse.failure(OAuthError.CLIENT_IDENTIFIER_INVALID);
        }
        boolean signatureVerifies = app.get().jwtPublicKey().map(assertion::isSignedBy).orElse(false);
        if (!signatureVerifies) {
            return TokenResponse.failure(OAuthError.INVALID_ASSERTION);
        }
        if (assertion.audiences().stream().noneMatch(this::isAcceptedAudience)) {
            return TokenResponse.failure(OAuthError.AUDIENCE_INVALID);
        }
        Optional<OAuthError> expiryProblem = expiryProblem(assertion.expiresAtEpochSecond());
        if (expiryProblem.isPresent()) {
            return TokenResponse.failure(expiryProblem.get());
        }
        Optional<EmulatorUser> user = assertion.subject().flatMap(this::userByUsername)
                .filter(candidate -> app.get().isApprovedFor(candidate.id()));
        if (user.isEmpty()) {
            return TokenResponse.failure(OAuthError.USER_NOT_APPROVED);
        }
        if (!user.get().active()) {
            return TokenResponse.failure(OAuthError.INACTIVE_USER);
        }
        Session session = openSession(user.get().id(), app.get().clientId(), null);
        Map<String, String> body = new LinkedHashMap<>();
        body.put(TokenResponse.ACCESS_TOKEN, session.accessToken());
        body.put(TokenResponse.SCOPE, app.get().scope());
        body.put(TokenResponse.INSTANCE_URL, instanceUrl.get());
        body.put(TokenResponse.ID, identityUrl(session.userId()));
        body.put(TokenResponse.TOKEN_TYPE, BEARER);
        return TokenResponse.success(body);
    }

    /**
     * Refresh token flow. {@code client_id} is required; {@code client_secret} is optional, but checked when sent.
     * A refresh token that is unknown, revoked or issued to another app gets "expired access/refresh token".
     */
    private TokenResponse refreshTokenGrant(Map<String, String> form, String authorizationHeader) {
        ClientCredentials client = ClientCredentials.from(form, authorizationHeader);
        Optional<ConnectedApp> app = knownApp(client);
        if (app.isEmpty()) {
            return TokenResponse.failure(OAuthError.CLIENT_IDENTIFIER_INVALID);
        }
        if (client.hasClientSecret() && !secretMatches(app.get(), client)) {
            return TokenResponse.failure(OAuthError.INVALID_CLIENT_CREDENTIALS);
        }
        String refreshToken = form.get("refresh_token");
        Optional<SessionStore.RefreshGrant> grant = Optional.ofNullable(refreshToken)
                .flatMap(sessions::refreshGrant)
                .filter(candidate -> candidate.clientId().equals(app.get().clientId()));
        if (grant.isEmpty()) {
            return TokenResponse.failure(OAuthError.EXPIRED_ACCESS_OR_REFRESH_TOKEN);
        }
        EmulatorUser user = usersById.get(grant.get().userId());
        if (user == null || !user.active()) {
            return TokenResponse.failure(OAuthError.INACTIVE_USER);
        }
        Session session = openSession(user.id(), app.get().clientId(), refreshToken);
        return TokenResponse.success(signedBody(session, app.get(), grant.get().scope()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sessions

    /**
     * The session an access token stands for, if it is live; a successful call counts as activity and restarts the
     * session's idle period. Empty for an unknown, revoked, expired or idle token.
     */
    public Optional<Session> validate(String accessToken) {
        if (accessToken == null || accessToken.isEmpty()) {
            return Optional.empty();
        }
        SessionStore.Use use = sessions.use(accessToken, clock.instant(), sessionTimeout);
        if (use.expiredJustNow()) {
            notifyListeners(List.of(accessToken));
        }
        return use.session();
    }

    /**
     * Revokes an access token, or a refresh token and every access token issued from it, as
     * {@code /services/oauth2/revoke} does.
     *
     * @return false if the token is unknown (or already revoked)
     */
    public boolean revoke(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        SessionStore.Revocation revocation = sessions.revoke(token);
        notifyListeners(revocation.endedAccessTokens());
        return revocation.tokenWasKnown();
    }

    /** Revokes every access token and refresh token. */
    public void revokeAll() {
        notifyListeners(sessions.revokeAll());
    }

    /**
     * Ends every current session, as an admin removing all sessions in Setup would; refresh tokens stay valid, so
     * clients holding one can get a new session.
     */
    public void expireAll() {
        notifyListeners(sessions.endAllSessions());
    }

    /** Ends the sessions that have been idle for the session timeout or longer, and tells the listeners. */
    public void expireIdleSessions() {
        notifyListeners(sessions.endIdleSessions(clock.instant(), sessionTimeout));
    }

    /**
     * Opens a session directly, as if the user had logged in through the app; for seeding tests without an HTTP
     * round trip.
     *
     * @throws IllegalArgumentException if the user or app is unknown, or the user is inactive
     */
    public Session createSession(String userId, String clientId) {
        requireActiveUser(userId);
        requireApp(clientId);
        return openSession(userId, clientId, null);
    }

    /**
     * Issues a refresh token for the user and app, standing for an approval given through the interactive web-server
     * flow (which is how a real org hands out refresh tokens); the token's scope is the app's scope plus
     * {@code refresh_token}.
     *
     * @throws IllegalArgumentException if the user or app is unknown, or the user is inactive
     */
    public String grantRefreshToken(String userId, String clientId) {
        requireActiveUser(userId);
        ConnectedApp app = requireApp(clientId);
        String refreshToken = minter.newRefreshToken();
        sessions.addRefreshGrant(refreshToken,
                new SessionStore.RefreshGrant(userId, clientId, withRefreshTokenScope(app.scope())));
        return refreshToken;
    }

    /** The user with this id, if any. */
    public Optional<EmulatorUser> user(String userId) {
        return Optional.ofNullable(usersById.get(userId));
    }

    /** The identity URL Salesforce returns as {@code id}: {@code https://login.salesforce.com/id/<org>/<user>}. */
    public String identityUrl(String userId) {
        return PRODUCTION_LOGIN_URL + "/id/" + orgId + "/" + userId;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    private Session openSession(String userId, String clientId, String issuingRefreshToken) {
        Instant now = clock.instant();
        Session session;
        do {
            session = new Session(userId, orgId, clientId, minter.newAccessToken(orgId.substring(0, 15)), now);
        } while (!sessions.addIfAbsent(session, issuingRefreshToken));
        return session;
    }

    /** The body shared by the client credentials and refresh token grants. */
    private Map<String, String> signedBody(Session session, ConnectedApp app, String scope) {
        String identityUrl = identityUrl(session.userId());
        String issuedAt = epochMillis(session.issuedAt());
        Map<String, String> body = new LinkedHashMap<>();
        body.put(TokenResponse.ACCESS_TOKEN, session.accessToken());
        body.put(TokenResponse.SIGNATURE, TokenMinter.signature(identityUrl, issuedAt, app.clientSecret()));
        body.put(TokenResponse.SCOPE, scope);
        body.put(TokenResponse.INSTANCE_URL, instanceUrl.get());
        body.put(TokenResponse.ID, identityUrl);
        body.put(TokenResponse.TOKEN_TYPE, BEARER);
        body.put(TokenResponse.ISSUED_AT, issuedAt);
        return body;
    }

    private static String epochMillis(Instant instant) {
        return Long.toString(instant.toEpochMilli());
    }

    private Optional<OAuthError> expiryProblem(OptionalLong exp) {
        if (exp.isEmpty()) {
            return Optional.of(OAuthError.INVALID_ASSERTION);
        }
        Instant now = clock.instant();
        Instant expiresAt;
        try {
            expiresAt = Instant.ofEpochSecond(exp.getAsLong());
        } catch (DateTimeException outOfRange) {
            return Optional.of(OAuthError.INVALID_ASSERTION);
        }
        if (!now.isBefore(expiresAt.plus(JWT_CLOCK_SKEW))) {
            return Optional.of(OAuthError.EXPIRED_ASSERTION);
        }
        if (expiresAt.isAfter(now.plus(JWT_MAX_EXP_AHEAD))) {
            return Optional.of(OAuthError.INVALID_ASSERTION);
        }
        return Optional.empty();
    }

    private boolean isAcceptedAudience(String audience) {
        String candidate = withoutTrailingSlash(audience);
        if (candidate.equalsIgnoreCase(withoutTrailingSlash(instanceUrl.get()))) {
            return true;
        }
        return loginAudiences.stream().anyMatch(accepted -> candidate.equalsIgnoreCase(withoutTrailingSlash(accepted)));
    }

    private Optional<ConnectedApp> knownApp(ClientCredentials client) {
        return client.hasClientId() ? Optional.ofNullable(appsByClientId.get(client.clientId())) : Optional.empty();
    }

    private static boolean secretMatches(ConnectedApp app, ClientCredentials client) {
        return client.hasClientSecret() && MessageDigest.isEqual(
                app.clientSecret().getBytes(StandardCharsets.UTF_8),
                client.clientSecret().getBytes(StandardCharsets.UTF_8));
    }

    private Optional<EmulatorUser> userByUsername(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(userIdsByLowerCaseUsername.get(lowerCase(username))).map(usersById::get);
    }

    private EmulatorUser requireActiveUser(String userId) {
        EmulatorUser user = usersById.get(userId);
        if (user == null || !user.active()) {
            throw new IllegalArgumentException("no active user " + userId);
        }
        return user;
    }

    private ConnectedApp requireApp(String clientId) {
        ConnectedApp app = appsByClientId.get(clientId);
        if (app == null) {
            throw new IllegalArgumentException("no connected app " + clientId);
        }
        return app;
    }

    private void notifyListeners(List<String> endedAccessTokens) {
        for (String accessToken : endedAccessTokens) {
            for (Consumer<String> listener : revocationListeners) {
                try {
                    listener.accept(accessToken);
                } catch (RuntimeException e) {
                    LOG.warn("a revocation listener failed; the session ended anyway", e);
                }
            }
        }
    }

    private static String withRefreshTokenScope(String scope) {
        return List.of(scope.split(" ")).contains(REFRESH_TOKEN_SCOPE) ? scope : scope + " " + REFRESH_TOKEN_SCOPE;
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String lowerCase(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    private static Duration requirePositive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("session timeout must be positive: " + timeout);
        }
        return timeout;
    }

    /** Builds a {@link TokenService}; {@link #orgId} and {@link #instanceUrl} are required. */
    public static final class Builder {
        private String orgId;
        private Supplier<String> instanceUrl;
        private final List<String> loginAudiences = new ArrayList<>(List.of(PRODUCTION_LOGIN_URL, SANDBOX_LOGIN_URL));
        private final List<EmulatorUser> users = new ArrayList<>();
        private final List<ConnectedApp> apps = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;

        private Builder() {
        }

        /** The 18-character org id (key prefix {@code 00D}); its first 15 characters prefix every access token. */
        public Builder orgId(String orgId) {
            Objects.requireNonNull(orgId, "orgId");
            if (orgId.length() != 18 || !orgId.startsWith(ORG_KEY_PREFIX)) {
                throw new IllegalArgumentException("an org id has 18 characters and starts with 00D: " + orgId);
            }
            this.orgId = orgId;
            return this;
        }

        /**
         * The emulator's base URL, returned as {@code instance_url} and accepted as a JWT {@code aud}; a supplier
         * because it is known only once the server has bound its port.
         */
        public Builder instanceUrl(Supplier<String> instanceUrl) {
            this.instanceUrl = Objects.requireNonNull(instanceUrl, "instanceUrl");
            return this;
        }

        /**
         * Replaces the login URLs accepted as JWT {@code aud} (default: {@value TokenService#PRODUCTION_LOGIN_URL}
         * and {@value TokenService#SANDBOX_LOGIN_URL}); the instance URL is always accepted too, and a trailing
         * slash is ignored.
         */
        public Builder loginAudiences(Collection<String> audiences) {
            loginAudiences.clear();
            audiences.forEach(audience -> loginAudiences.add(Objects.requireNonNull(audience, "audience")));
            return this;
        }

        public Builder user(EmulatorUser user) {
            users.add(Objects.requireNonNull(user, "user"));
            return this;
        }

        public Builder users(Collection<EmulatorUser> newUsers) {
            newUsers.forEach(this::user);
            return this;
        }

        public Builder connectedApp(ConnectedApp app) {
            apps.add(Objects.requireNonNull(app, "app"));
            return this;
        }

        public Builder connectedApps(Collection<ConnectedApp> newApps) {
            newApps.forEach(this::connectedApp);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = requirePositive(timeout);
            return this;
        }

        public TokenService build() {
            Objects.requireNonNull(orgId, "orgId is required");
            Objects.requireNonNull(instanceUrl, "instanceUrl is required");
            return new TokenService(this);
        }
    }
}
