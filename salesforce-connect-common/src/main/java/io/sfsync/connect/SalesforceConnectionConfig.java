package io.sfsync.connect;

import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.budget.BudgetConfig;
import io.sfsync.salesforce.auth.SalesforceCredentials;
import io.sfsync.salesforce.auth.Secret;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Salesforce connection part of both connectors' configuration: login URL, API version, the OAuth flow and its
 * keys, and the sync client id. Each connector's config extends this class, adds its own keys to the
 * {@link ConfigDef} after {@link #defineConnection}, {@link #defineAuthentication} and {@link #defineSyncClientId},
 * and inherits the key names, the typed accessors and {@link #credentials()}, so both read the same keys the same
 * way (one connector's {@code sync.client.id} must match the other's for echo detection).
 */
public abstract class SalesforceConnectionConfig extends AbstractConfig {

    /** How the connector logs in. JWT bearer is recommended. Either spelling is accepted on input. */
    public enum AuthType {
        JWT_BEARER("jwt-bearer"),
        CLIENT_CREDENTIALS("client-credentials"),
        REFRESH_TOKEN("refresh-token"),
        PASSWORD("password");

        private final String value;

        AuthType(String value) {
            this.value = value;
        }

        /** The flow name as Salesforce documents it, e.g. {@code jwt-bearer}. */
        public String value() {
            return value;
        }

        /** {@code jwt-bearer}, {@code JWT_BEARER} and {@code jwt_bearer} are the same flow. */
        public static AuthType parse(String s) {
            String normalized = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (AuthType t : values()) {
                if (t.name().equals(normalized)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown auth type " + s);
        }

        /** The flow of a raw or parsed configuration value, or empty when it names none. */
        public static Optional<AuthType> of(Object raw) {
            try {
                return raw == null ? Optional.empty() : Optional.of(parse(raw.toString()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** The documented, default and recommended spelling of every flow: the enum names, in both connectors. */
    private static final List<String> AUTH_TYPE_NAMES = Arrays.stream(AuthType.values()).map(Enum::name).toList();

    public static final String DEFAULT_LOGIN_URL = "https://login.salesforce.com";

    public static final String LOGIN_URL = "salesforce.login.url";
    public static final String API_VERSION = "salesforce.api.version";
    public static final String AUTH_TYPE = "salesforce.auth.type";
    public static final String CLIENT_ID = "salesforce.client.id";
    public static final String CLIENT_SECRET = "salesforce.client.secret";
    public static final String USERNAME = "salesforce.username";
    public static final String JWT_PRIVATE_KEY = "salesforce.jwt.private.key";
    public static final String JWT_AUDIENCE = "salesforce.jwt.audience";
    public static final String REFRESH_TOKEN = "salesforce.refresh.token";
    public static final String PASSWORD = "salesforce.password";
    public static final String SECURITY_TOKEN = "salesforce.security.token";
    public static final String SYNC_CLIENT_ID = "sync.client.id";

    public static final String DAILY_SHARE = "salesforce.api.daily.share";
    public static final String MAX_RETRY_TIME_MS = "salesforce.max.retry.time.ms";
    public static final String LIMITS_POLL_MS = "salesforce.limits.poll.interval.ms";
    public static final String BUDGET_MAX_WAIT_MS = "salesforce.budget.max.wait.ms";
    public static final String REQUEST_TIMEOUT_MS = "salesforce.request.timeout.ms";

    /** How long the client waits to open a connection; not configurable (a slow connect is a network fault). */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The connector-specific wording of the API budget keys: both connectors share the keys and their meaning,
     * but what waits and what happens after a wait differ (the sink gives a batch back to the worker, the source
     * returns from poll() and resumes where it stopped).
     *
     * @param waitingCalls      what waits above the daily share, e.g. {@code writes}
     * @param afterRetries      what the task does once a call's retries are used up
     * @param maxWaitDoc        the documentation of {@link #BUDGET_MAX_WAIT_MS}, or null not to define the key
     *                          (calls then wait for budget as long as it takes)
     * @param maxWaitDefault    the default of {@link #BUDGET_MAX_WAIT_MS} (unused when the key is not defined)
     */
    public record BudgetKeyDocs(String waitingCalls, String afterRetries, String maxWaitDoc, Duration maxWaitDefault) {
    }

    protected SalesforceConnectionConfig(ConfigDef definition, Map<?, ?> originals) {
        super(definition, originals);
    }

    // ------------------------------------------------------------------------------------------ the ConfigDef part

    /**
     * Defines {@link #LOGIN_URL} and {@link #API_VERSION} in {@code group} after {@code order}; returns the last
     * order used. {@code loginUrlDefault} is {@link #DEFAULT_LOGIN_URL} or {@link ConfigDef#NO_DEFAULT_VALUE}.
     */
    public static int defineConnection(ConfigDef def, String group, int order, Object loginUrlDefault) {
        int o = order;
        def.define(LOGIN_URL, Type.STRING, loginUrlDefault, new ConfigValidators.HttpUrl(), Importance.HIGH,
                "Where the OAuth token request goes: https://login.salesforce.com, https://test.salesforce.com"
                        + " (sandboxes) or the org's My Domain URL (required for client credentials). The instance"
                        + " URL of the API calls comes from the token response.",
                group, ++o, Width.LONG, "Login URL");
        def.define(API_VERSION, Type.STRING, "62.0", ConfigDef.CompositeValidator.of(new ConfigDef.NonEmptyString(),
                        ConfigValidators.patternValidator(Pattern.compile("\\d{2,3}\\.0"), "an API version such as 62.0")),
                Importance.LOW, "Salesforce REST and Streaming API version used for every call.",
                group, ++o, Width.SHORT, "API version");
        return o;
    }

    /**
     * Defines {@link #AUTH_TYPE}, {@link #CLIENT_ID} and the flow-specific keys (shown only for the flows that use
     * them) in {@code group} after {@code order}; returns the last order used.
     */
    public static int defineAuthentication(ConfigDef def, String group, int order) {
        int o = order;
        def.define(AUTH_TYPE, Type.STRING, AuthType.JWT_BEARER.name(), new AuthTypeValidator(),
                Importance.HIGH,
                "The OAuth 2.0 flow: " + AuthType.JWT_BEARER.name() + " (recommended: a connected app with a"
                        + " certificate, no secret travels), " + AuthType.CLIENT_CREDENTIALS.name() + ", "
                        + AuthType.REFRESH_TOKEN.name() + ", or " + AuthType.PASSWORD.name()
                        + " (discouraged: deprecated by Salesforce and blocked by MFA). Case-insensitive.",
                group, ++o, Width.MEDIUM, "Authentication type",
                List.of(CLIENT_SECRET, USERNAME, JWT_PRIVATE_KEY, JWT_AUDIENCE, REFRESH_TOKEN, PASSWORD,
                        SECURITY_TOKEN),
                new ConfigValidators.ListRecommender(AUTH_TYPE_NAMES));
        def.define(CLIENT_ID, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                Importance.HIGH, "The connected app's consumer key.", group, ++o, Width.LONG,
                "Client id (consumer key)");
        def.define(CLIENT_SECRET, Type.PASSWORD, null, Importance.HIGH,
                "The connected app's consumer secret (" + flows(AuthType.CLIENT_CREDENTIALS,
                        AuthType.PASSWORD) + "; optional for " + AuthType.REFRESH_TOKEN.name() + ").",
                group, ++o, Width.LONG, "Client secret",
                new AuthRecommender(AuthType.CLIENT_CREDENTIALS, AuthType.REFRESH_TOKEN, AuthType.PASSWORD));
        def.define(USERNAME, Type.STRING, null, Importance.HIGH,
                "The Salesforce user the connector acts as (" + flows(AuthType.JWT_BEARER,
                        AuthType.PASSWORD) + ").",
                group, ++o, Width.LONG, "Username", new AuthRecommender(AuthType.JWT_BEARER, AuthType.PASSWORD));
        def.define(JWT_PRIVATE_KEY, Type.PASSWORD, null, Importance.HIGH,
                "The PKCS#8 RSA private key in PEM (-----BEGIN PRIVATE KEY-----) that signs JWT bearer assertions;"
                        + " its certificate is on the connected app (" + AuthType.JWT_BEARER.name() + ")."
                        + " Use a ConfigProvider to keep it out of the connector configuration.",
                group, ++o, Width.LONG, "JWT private key", new AuthRecommender(AuthType.JWT_BEARER));
        def.define(JWT_AUDIENCE, Type.STRING, null, Importance.LOW,
                "The JWT 'aud' claim; empty to use the login URL (" + AuthType.JWT_BEARER.name() + ").",
                group, ++o, Width.LONG, "JWT audience", new AuthRecommender(AuthType.JWT_BEARER));
        def.define(REFRESH_TOKEN, Type.PASSWORD, null, Importance.HIGH,
                "A refresh token obtained out of band, e.g. by the web-server flow ("
                        + AuthType.REFRESH_TOKEN.name() + ").",
                group, ++o, Width.LONG, "Refresh token", new AuthRecommender(AuthType.REFRESH_TOKEN));
        def.define(PASSWORD, Type.PASSWORD, null, Importance.HIGH,
                "The user's password (" + AuthType.PASSWORD.name() + " only).",
                group, ++o, Width.MEDIUM, "Password", new AuthRecommender(AuthType.PASSWORD));
        def.define(SECURITY_TOKEN, Type.PASSWORD, null, Importance.LOW,
                "The user's security token, appended to the password; empty from a trusted IP range ("
                        + AuthType.PASSWORD.name() + ").",
                group, ++o, Width.MEDIUM, "Security token", new AuthRecommender(AuthType.PASSWORD));
        return o;
    }

    /** Defines {@link #SYNC_CLIENT_ID} in {@code group} after {@code order}; returns the order used. */
    public static int defineSyncClientId(ConfigDef def, String group, int order) {
        def.define(SYNC_CLIENT_ID, Type.STRING, "sfsync", ConfigValidators.patternValidator(
                        Pattern.compile("[A-Za-z0-9_.-]{1,40}"), "1 to 40 letters, digits, '_', '.' or '-'"),
                Importance.MEDIUM,
                "The client id of the sync's own writes: the sink sends Sforce-Call-Options: client=<id> on every"
                        + " call, and the source gives the change events whose changeOrigin names it the header"
                        + " sync.echo=true (they are still emitted). Use the same value in both connectors.",
                group, order + 1, Width.MEDIUM, "Sync client id");
        return order + 1;
    }

    /**
     * Defines the API budget keys ({@link #DAILY_SHARE}, {@link #MAX_RETRY_TIME_MS}, {@link #LIMITS_POLL_MS},
     * {@link #BUDGET_MAX_WAIT_MS}, {@link #REQUEST_TIMEOUT_MS}) in {@code group} after {@code order}; returns the
     * last order used. The daily share is a ceiling on the org's whole reported usage, applied by one governor per
     * org and plugin class loader (each plugin holds its own {@code GovernorRegistry}), whose share is the one of
     * the first client created; shares of several governors therefore never add up.
     */
    public static int defineApiBudget(ConfigDef def, String group, int order, BudgetKeyDocs docs) {
        int o = order;
        def.define(DAILY_SHARE, Type.DOUBLE, 0.8, ConfigDef.Range.between(0.01, 1.0), Importance.MEDIUM,
                "The share of the org's daily API allocation this worker may use; above it, " + docs.waitingCalls()
                        + " wait (data is delayed, never lost).",
                group, ++o, Width.SHORT, "Daily API share");
        def.define(MAX_RETRY_TIME_MS, Type.LONG, Duration.ofMinutes(5).toMillis(), ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "How long one call is retried with back-off on 503, REQUEST_LIMIT_EXCEEDED or UNABLE_TO_LOCK_ROW "
                        + "before " + docs.afterRetries() + ".",
                group, ++o, Width.SHORT, "Max retry time (ms)");
        def.define(LIMITS_POLL_MS, Type.LONG, Duration.ofMinutes(5).toMillis(), ConfigDef.Range.atLeast(100),
                Importance.LOW,
                "While " + docs.waitingCalls() + " wait for API budget (the share of the daily allocation is used "
                        + "up), how often the org's /limits are read to see whether budget came back; each read is "
                        + "one API call.",
                group, ++o, Width.SHORT, "Limits poll interval (ms)");
        if (docs.maxWaitDoc() != null) {
            def.define(BUDGET_MAX_WAIT_MS, Type.LONG, docs.maxWaitDefault().toMillis(), ConfigDef.Range.atLeast(0),
                    Importance.LOW, docs.maxWaitDoc(),
                    group, ++o, Width.SHORT, "Max budget wait (ms)");
        }
        def.define(REQUEST_TIMEOUT_MS, Type.LONG, Duration.ofSeconds(120).toMillis(), ConfigDef.Range.atLeast(1000),
                Importance.LOW, "Timeout of one HTTP request.",
                group, ++o, Width.SHORT, "Request timeout (ms)");
        return o;
    }

    private static String flows(AuthType a, AuthType b) {
        return a.name() + ", " + b.name();
    }

    // ---------------------------------------------------------------------------------------------- accessors

    public URI loginUrl() {
        return URI.create(getString(LOGIN_URL).trim());
    }

    public String apiVersion() {
        return getString(API_VERSION);
    }

    public String syncClientId() {
        return getString(SYNC_CLIENT_ID);
    }

    public AuthType authType() {
        return AuthType.parse(getString(AUTH_TYPE));
    }

    public String clientId() {
        return getString(CLIENT_ID);
    }

    public Password clientSecret() {
        return getPassword(CLIENT_SECRET);
    }

    public String username() {
        return getString(USERNAME);
    }

    public Password jwtPrivateKey() {
        return getPassword(JWT_PRIVATE_KEY);
    }

    public String jwtAudience() {
        return getString(JWT_AUDIENCE);
    }

    public Password refreshToken() {
        return getPassword(REFRESH_TOKEN);
    }

    public Password password() {
        return getPassword(PASSWORD);
    }

    public Password securityToken() {
        return getPassword(SECURITY_TOKEN);
    }

    public Duration maxRetryTime() {
        return Duration.ofMillis(getLong(MAX_RETRY_TIME_MS));
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS));
    }

    /**
     * How long one Salesforce call of a task waits for API budget before it fails as retriable. Only for connectors
     * that define {@link #BUDGET_MAX_WAIT_MS} (see {@link #hasBudgetMaxWait()}).
     */
    public Duration budgetMaxWait() {
        return Duration.ofMillis(getLong(BUDGET_MAX_WAIT_MS));
    }

    /** Whether the connector bounds the wait for API budget; without the key calls wait as long as it takes. */
    public boolean hasBudgetMaxWait() {
        return values().containsKey(BUDGET_MAX_WAIT_MS);
    }

    /** The org governor's settings; they take effect if this connector's client is the org's first in the JVM. */
    public BudgetConfig budget() {
        BudgetConfig d = BudgetConfig.defaults();
        return d.withDailyShare(getDouble(DAILY_SHARE))
                .withBackoff(d.initialBackoff(), d.maxBackoff(), maxRetryTime(), d.maxAttempts())
                .withPolling(Duration.ofMillis(getLong(LIMITS_POLL_MS)), d.waitCheckInterval());
    }

    /** The credentials of the configured flow; a missing key of that flow is a {@link ConfigException} on it. */
    public SalesforceCredentials credentials() {
        URI login = loginUrl();
        String clientId = clientId();
        return switch (authType()) {
            case JWT_BEARER -> new SalesforceCredentials.JwtBearer(login, clientId, required(USERNAME),
                    secret(JWT_PRIVATE_KEY, true), blankToNull(jwtAudience()));
            case CLIENT_CREDENTIALS -> new SalesforceCredentials.ClientCredentials(login, clientId,
                    secret(CLIENT_SECRET, true));
            case REFRESH_TOKEN -> new SalesforceCredentials.RefreshToken(login, clientId,
                    secret(CLIENT_SECRET, false), secret(REFRESH_TOKEN, true));
            case PASSWORD -> new SalesforceCredentials.Password(login, clientId, secret(CLIENT_SECRET, true),
                    required(USERNAME), secret(PASSWORD, true), secret(SECURITY_TOKEN, false));
        };
    }

    /**
     * A client builder with the credentials, the sync client id (sent as Sforce-Call-Options), the API version, the
     * request timeout and the API budget settings (with the max budget wait only if the connector defines it); the
     * connector adds its own transport settings.
     */
    public SalesforceClient.Builder clientBuilder() {
        return SalesforceClient.builder(credentials(), syncClientId())
                .apiVersion(apiVersion())
                .timeouts(CONNECT_TIMEOUT, requestTimeout())
                .budget(budget())
                .maxBudgetWait(hasBudgetMaxWait() ? budgetMaxWait() : null);
    }

    /** The keys the given flow requires besides the client id, for cross-field validation. */
    public static List<String> requiredKeys(AuthType type) {
        return switch (type) {
            case JWT_BEARER -> List.of(USERNAME, JWT_PRIVATE_KEY);
            case CLIENT_CREDENTIALS -> List.of(CLIENT_SECRET);
            case REFRESH_TOKEN -> List.of(REFRESH_TOKEN);
            case PASSWORD -> List.of(CLIENT_SECRET, USERNAME, PASSWORD);
        };
    }

    /** The keys a failed login may be the fault of: where validate() reports it. */
    public static List<String> loginKeys(AuthType type) {
        List<String> keys = new ArrayList<>(List.of(LOGIN_URL, AUTH_TYPE, CLIENT_ID));
        keys.addAll(requiredKeys(type));
        return keys;
    }

    /**
     * validate()'s cross-field rule: every key the chosen flow requires is set. The error, naming the flow as it
     * was configured, goes on the missing key and on {@link #AUTH_TYPE}. Does nothing when the flow is invalid
     * (the per-key validator reported that).
     */
    public static void checkRequiredAuthenticationKeys(Map<String, ConfigValue> values) {
        ConfigValue authValue = values.get(AUTH_TYPE);
        Optional<AuthType> type = AuthType.of(authValue == null ? null : authValue.value());
        if (type.isEmpty()) {
            return;
        }
        String configured = authValue.value().toString().trim();
        for (String key : requiredKeys(type.get())) {
            ConfigValue v = values.get(key);
            Object value = v == null ? null : v.value();
            boolean missing = value == null || (value instanceof Password p ? p.value() == null || p.value().isEmpty()
                    : value.toString().isBlank());
            if (missing) {
                String msg = key + " is required when " + AUTH_TYPE + " is " + configured;
                ConfigValidators.addError(values, key, msg);
                ConfigValidators.addError(values, AUTH_TYPE, msg);
            }
        }
    }

    private String required(String key) {
        String v = getString(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException(key, null, missingFor());
        }
        return v;
    }

    private Secret secret(String key, boolean required) {
        Password p = getPassword(key);
        if (p == null || p.value() == null || p.value().isEmpty()) {
            if (required) {
                throw new ConfigException(key, "[hidden]", missingFor());
            }
            return null;
        }
        return Secret.of(p.value());
    }

    private String missingFor() {
        return "is required when " + AUTH_TYPE + " is " + getString(AUTH_TYPE).trim();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    // -------------------------------------------------------------------------------- validators, recommenders

    /**
     * Accepts any spelling of a flow ({@code JWT_BEARER}, {@code jwt-bearer}: earlier sink versions documented
     * Salesforce's flow names, and their configurations keep working); documents the enum names.
     */
    static final class AuthTypeValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (AuthType.of(value).isEmpty()) {
                throw new ConfigException(name, value, "must be one of " + AUTH_TYPE_NAMES);
            }
        }

        @Override
        public String toString() {
            return "one of " + AUTH_TYPE_NAMES;
        }
    }

    /** Shows a key only for the flows that use it (and always while the flow is unset or invalid). */
    static final class AuthRecommender implements ConfigDef.Recommender {
        private final Set<AuthType> types;

        AuthRecommender(AuthType... types) {
            this.types = Set.of(types);
        }

        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return List.of();
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return AuthType.of(parsedConfig.get(AUTH_TYPE)).map(types::contains).orElse(true);
        }
    }
}
