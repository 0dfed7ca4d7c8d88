package io.sfsync.source;

import io.sfsync.salesforce.auth.SalesforceCredentials;
import io.sfsync.salesforce.auth.Secret;
import io.sfsync.source.mapping.RecordMapper.DeleteMode;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Configuration of the Salesforce source connector: the only class that reads raw keys; everyone else uses the
 * typed accessors. Task configurations are the connector configuration plus {@link #TASK_OBJECTS}.
 */
public final class SalesforceSourceConfig extends AbstractConfig {

    /** How the connector logs in. JWT bearer is recommended. */
    public enum AuthType { JWT_BEARER, CLIENT_CREDENTIALS, REFRESH_TOKEN, PASSWORD }

    /** What happens before streaming: {@code INITIAL} snapshots each object first; {@code NEVER} streams from now. */
    public enum SnapshotMode { INITIAL, NEVER }

    /** What to do with an expired or invalid replay id, or a GAP_OVERFLOW event. */
    public enum InvalidReplayPolicy { RESYNC, FAIL, LATEST }

    public static final String GROUP_CONNECTION = "Salesforce connection";
    public static final String GROUP_OBJECTS = "Objects and topics";
    public static final String GROUP_SYNC = "Sync behaviour";
    public static final String GROUP_TUNING = "Performance";

    public static final String LOGIN_URL = "salesforce.login.url";
    public static final String AUTH_TYPE = "salesforce.auth.type";
    public static final String CLIENT_ID = "salesforce.client.id";
    public static final String CLIENT_SECRET = "salesforce.client.secret";
    public static final String USERNAME = "salesforce.username";
    public static final String PRIVATE_KEY = "salesforce.jwt.private.key";
    public static final String JWT_AUDIENCE = "salesforce.jwt.audience";
    public static final String REFRESH_TOKEN = "salesforce.refresh.token";
    public static final String PASSWORD = "salesforce.password";
    public static final String SECURITY_TOKEN = "salesforce.security.token";
    public static final String API_VERSION = "salesforce.api.version";
    public static final String LOGIN_PROBE_TIMEOUT_MS = "salesforce.login.probe.timeout.ms";

    public static final String OBJECTS = "salesforce.objects";
    public static final String FIELDS_INCLUDE = "salesforce.fields.include";
    public static final String FIELDS_EXCLUDE = "salesforce.fields.exclude";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String SYNC_KEY_EXTERNAL_ID_FIELD = "sync.key.external.id.field";
    public static final String SYNC_KEY_COLUMN = "sync.key.column";

    public static final String SYNC_CLIENT_ID = "sync.client.id";
    public static final String SNAPSHOT_MODE = "snapshot.mode";
    public static final String BULK_THRESHOLD = "snapshot.bulk.threshold";
    public static final String INVALID_REPLAY_POLICY = "invalid.replay.id.policy";
    public static final String DELETE_MODE = "delete.mode";

    public static final String SNAPSHOT_PAGE_SIZE = "snapshot.page.size";
    public static final String POLL_TIMEOUT_MS = "poll.timeout.ms";
    public static final String MAX_BATCH_SIZE = "max.batch.size";
    public static final String QUEUE_CAPACITY = "streaming.queue.capacity";
    public static final String SUBSCRIBE_TIMEOUT_MS = "streaming.subscribe.timeout.ms";

    /** Internal: the objects one task syncs (set by {@code taskConfigs}). */
    public static final String TASK_OBJECTS = "task.objects";

    private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern QUALIFIED_FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]*\\.[A-Za-z][A-Za-z0-9_]*");

    public static final ConfigDef CONFIG_DEF = configDef();

    public SalesforceSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int o = 0;
        def.define(LOGIN_URL, Type.STRING, "https://login.salesforce.com", new UriValidator(), Importance.HIGH,
                "Where to log in: https://login.salesforce.com, https://test.salesforce.com for sandboxes, or the"
                        + " org's My Domain URL (required for client credentials). The instance URL comes from the"
                        + " token response.", GROUP_CONNECTION, ++o, Width.LONG, "Login URL");
        def.define(AUTH_TYPE, Type.STRING, AuthType.JWT_BEARER.name(), enumValidator(AuthType.class), Importance.HIGH,
                "OAuth 2.0 flow: JWT_BEARER (recommended: a connected app with a certificate, no secret travels),"
                        + " CLIENT_CREDENTIALS, REFRESH_TOKEN, or PASSWORD (discouraged: deprecated by Salesforce"
                        + " and blocked by MFA).", GROUP_CONNECTION, ++o, Width.MEDIUM, "Authentication type",
                new EnumRecommender<>(AuthType.class));
        def.define(CLIENT_ID, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                Importance.HIGH, "The connected app's consumer key.", GROUP_CONNECTION, ++o, Width.LONG,
                "Client id (consumer key)");
        def.define(CLIENT_SECRET, Type.PASSWORD, null, Importance.HIGH,
                "The connected app's consumer secret (client credentials, password; optional for refresh token).",
                GROUP_CONNECTION, ++o, Width.LONG, "Client secret",
                new AuthRecommender(AuthType.CLIENT_CREDENTIALS, AuthType.REFRESH_TOKEN, AuthType.PASSWORD));
        def.define(USERNAME, Type.STRING, null, Importance.HIGH,
                "The Salesforce user the connector acts as (JWT bearer, password).", GROUP_CONNECTION, ++o,
                Width.LONG, "Username", new AuthRecommender(AuthType.JWT_BEARER, AuthType.PASSWORD));
        def.define(PRIVATE_KEY, Type.PASSWORD, null, Importance.HIGH,
                "PKCS#8 RSA private key in PEM (-----BEGIN PRIVATE KEY-----) that signs JWT bearer assertions."
                        + " Use a ConfigProvider to keep it out of the connector configuration.",
                GROUP_CONNECTION, ++o, Width.LONG, "JWT private key", new AuthRecommender(AuthType.JWT_BEARER));
        def.define(JWT_AUDIENCE, Type.STRING, null, Importance.LOW,
                "JWT 'aud' claim; empty to use the login URL (https://login.salesforce.com or"
                        + " https://test.salesforce.com).", GROUP_CONNECTION, ++o, Width.LONG, "JWT audience",
                new AuthRecommender(AuthType.JWT_BEARER));
        def.define(REFRESH_TOKEN, Type.PASSWORD, null, Importance.HIGH,
                "Refresh token obtained out of band (web-server flow).", GROUP_CONNECTION, ++o, Width.LONG,
                "Refresh token", new AuthRecommender(AuthType.REFRESH_TOKEN));
        def.define(PASSWORD, Type.PASSWORD, null, Importance.HIGH, "Password of the user (PASSWORD flow only).",
                GROUP_CONNECTION, ++o, Width.MEDIUM, "Password", new AuthRecommender(AuthType.PASSWORD));
        def.define(SECURITY_TOKEN, Type.PASSWORD, null, Importance.LOW,
                "Security token appended to the password (PASSWORD flow, outside trusted IP ranges).",
                GROUP_CONNECTION, ++o, Width.MEDIUM, "Security token", new AuthRecommender(AuthType.PASSWORD));
        def.define(API_VERSION, Type.STRING, "62.0", ConfigDef.CompositeValidator.of(new ConfigDef.NonEmptyString(),
                        patternValidator(Pattern.compile("\\d{2,3}\\.0"), "an API version such as 62.0")),
                Importance.LOW, "Salesforce REST and Streaming API version.", GROUP_CONNECTION, ++o, Width.SHORT,
                "API version");
        def.define(LOGIN_PROBE_TIMEOUT_MS, Type.LONG, 15_000L, ConfigDef.Range.between(1_000L, 120_000L),
                Importance.LOW, "How long validation waits for the login probe before reporting it as failed.",
                GROUP_CONNECTION, ++o, Width.SHORT, "Login probe timeout (ms)");

        o = 0;
        def.define(OBJECTS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new ObjectListValidator(), Importance.HIGH,
                "Salesforce objects to sync (API names, e.g. Account,Contact,Invoice__c). Change Data Capture must"
                        + " be enabled for each. Objects are spread over the tasks.", GROUP_OBJECTS, ++o,
                Width.LONG, "Objects");
        def.define(FIELDS_INCLUDE, Type.LIST, "", new QualifiedFieldListValidator(), Importance.MEDIUM,
                "Fields to sync, as Object.Field. An object with entries here syncs only those fields (plus Id,"
                        + " the sync key field and SystemModstamp); objects without entries sync every field.",
                GROUP_OBJECTS, ++o, Width.LONG, "Included fields");
        def.define(FIELDS_EXCLUDE, Type.LIST, "", new QualifiedFieldListValidator(), Importance.MEDIUM,
                "Fields never synced, as Object.Field (e.g. Account.Description).", GROUP_OBJECTS, ++o,
                Width.LONG, "Excluded fields");
        def.define(TOPIC_PREFIX, Type.STRING, "sf", patternValidator(Pattern.compile("[A-Za-z0-9._-]+"),
                        "a topic name prefix (letters, digits, '.', '_', '-')"), Importance.HIGH,
                "Records of object X go to topic <prefix>.X.", GROUP_OBJECTS, ++o, Width.SHORT, "Topic prefix");
        def.define(SYNC_KEY_EXTERNAL_ID_FIELD, Type.STRING, "External_Id__c",
                patternValidator(API_NAME, "a field API name"), Importance.MEDIUM,
                "External ID field that holds the Postgres key. The record key is this field's value when the"
                        + " object has the field and the record's value is set, otherwise the Salesforce Id.",
                GROUP_OBJECTS, ++o, Width.MEDIUM, "Sync key external ID field");
        def.define(SYNC_KEY_COLUMN, Type.STRING, "sync_key", patternValidator(Pattern.compile("[a-z_][a-z0-9_]*"),
                        "a lower-case column name"), Importance.MEDIUM,
                "Name of the single field of the record key, so the primary key column of the Postgres table.",
                GROUP_OBJECTS, ++o, Width.MEDIUM, "Sync key column");

        o = 0;
        def.define(SYNC_CLIENT_ID, Type.STRING, "sfsync", patternValidator(Pattern.compile("[A-Za-z0-9_.-]+"),
                        "a client id (letters, digits, '.', '_', '-')"), Importance.MEDIUM,
                "The client id the sync's own writes carry in Sforce-Call-Options. Change events whose"
                        + " changeOrigin names it get the header sync.echo=true (they are still emitted).",
                GROUP_SYNC, ++o, Width.MEDIUM, "Sync client id");
        def.define(SNAPSHOT_MODE, Type.STRING, SnapshotMode.INITIAL.name(), enumValidator(SnapshotMode.class),
                Importance.MEDIUM, "INITIAL: snapshot each object (resumable), then stream its changes."
                        + " NEVER: stream changes from now on.", GROUP_SYNC, ++o, Width.SHORT, "Snapshot mode",
                new EnumRecommender<>(SnapshotMode.class));
        def.define(BULK_THRESHOLD, Type.LONG, 50_000L, ConfigDef.Range.atLeast(0L), Importance.LOW,
                "Objects with more records than this are snapshotted with a Bulk API 2.0 query job instead of REST"
                        + " query paging.", GROUP_SYNC, ++o, Width.SHORT, "Bulk snapshot threshold");
        def.define(INVALID_REPLAY_POLICY, Type.STRING, InvalidReplayPolicy.RESYNC.name(),
                enumValidator(InvalidReplayPolicy.class), Importance.MEDIUM,
                "When the stored replay id has expired (older than the 72-hour retention) or a GAP_OVERFLOW event"
                        + " arrives: RESYNC re-reads the object (by SystemModstamp window when the last commit time"
                        + " is known), FAIL stops the task, LATEST goes on from now accepting the loss.",
                GROUP_SYNC, ++o, Width.SHORT, "Invalid replay id policy",
                new EnumRecommender<>(InvalidReplayPolicy.class));
        def.define(DELETE_MODE, Type.STRING, DeleteMode.DELETE.name(), enumValidator(DeleteMode.class),
                Importance.MEDIUM, "What a record deleted in Salesforce (not by the sync itself) becomes. DELETE: a"
                        + " delete marker (the row's _sync_deleted=true, so the Postgres-side conflict transform"
                        + " knows the delete came from Salesforce) then a tombstone, and the sink removes the row."
                        + " MARK: only the delete marker, so the row stays with _sync_deleted=true (a soft delete;"
                        + " an UNDELETE sets it back to false). Case-insensitive.", GROUP_SYNC, ++o, Width.SHORT,
                "Delete mode", new EnumRecommender<>(DeleteMode.class));

        o = 0;
        def.define(SNAPSHOT_PAGE_SIZE, Type.INT, 2000, ConfigDef.Range.between(200, 2000), Importance.LOW,
                "Rows per snapshot query page (one API call each).", GROUP_TUNING, ++o, Width.SHORT,
                "Snapshot page size");
        def.define(POLL_TIMEOUT_MS, Type.LONG, 200L, ConfigDef.Range.between(1L, 10_000L), Importance.LOW,
                "How long poll() waits for change events when there is nothing else to do.", GROUP_TUNING, ++o,
                Width.SHORT, "Poll timeout (ms)");
        def.define(MAX_BATCH_SIZE, Type.INT, 1000, ConfigDef.Range.between(1, 100_000), Importance.LOW,
                "Most change events taken per poll().", GROUP_TUNING, ++o, Width.SHORT, "Max batch size");
        def.define(QUEUE_CAPACITY, Type.INT, 1000, ConfigDef.Range.between(1, 1_000_000), Importance.LOW,
                "Capacity of the bounded queue between the CometD thread and poll(); when full, the CometD thread"
                        + " waits and Salesforce keeps the events.", GROUP_TUNING, ++o, Width.SHORT,
                "Streaming queue capacity");
        def.define(SUBSCRIBE_TIMEOUT_MS, Type.LONG, 60_000L, ConfigDef.Range.between(1_000L, 600_000L),
                Importance.LOW, "How long a task waits at start for its CDC subscriptions before it fails"
                        + " (the snapshot starts only once they are in place).", GROUP_TUNING, ++o, Width.SHORT,
                "Subscribe timeout (ms)");

        def.defineInternal(TASK_OBJECTS, Type.LIST, "", Importance.LOW);
        return def;
    }

    // -------------------------------------------------------------------------------------------- typed accessors

    public URI loginUrl() {
        return URI.create(getString(LOGIN_URL));
    }

    public AuthType authType() {
        return AuthType.valueOf(getString(AUTH_TYPE).toUpperCase(Locale.ROOT));
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

    public Password privateKey() {
        return getPassword(PRIVATE_KEY);
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

    public String apiVersion() {
        return getString(API_VERSION);
    }

    public Duration loginProbeTimeout() {
        return Duration.ofMillis(getLong(LOGIN_PROBE_TIMEOUT_MS));
    }

    public List<String> objects() {
        return distinct(getList(OBJECTS));
    }

    /** The objects of this task: {@link #TASK_OBJECTS} when set (task configs), else all objects. */
    public List<String> taskObjects() {
        List<String> t = distinct(getList(TASK_OBJECTS));
        return t.isEmpty() ? objects() : t;
    }

    /** Included fields of {@code object} (case as configured); empty means every field. */
    public Set<String> includedFields(String object) {
        return fieldsOf(getList(FIELDS_INCLUDE), object);
    }

    public Set<String> excludedFields(String object) {
        return fieldsOf(getList(FIELDS_EXCLUDE), object);
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    public String topicFor(String object) {
        return topicPrefix() + "." + object;
    }

    public String syncKeyExternalIdField() {
        return getString(SYNC_KEY_EXTERNAL_ID_FIELD);
    }

    public String syncKeyColumn() {
        return getString(SYNC_KEY_COLUMN);
    }

    public String syncClientId() {
        return getString(SYNC_CLIENT_ID);
    }

    public SnapshotMode snapshotMode() {
        return SnapshotMode.valueOf(getString(SNAPSHOT_MODE).toUpperCase(Locale.ROOT));
    }

    public long bulkThreshold() {
        return getLong(BULK_THRESHOLD);
    }

    public InvalidReplayPolicy invalidReplayPolicy() {
        return InvalidReplayPolicy.valueOf(getString(INVALID_REPLAY_POLICY).toUpperCase(Locale.ROOT));
    }

    public DeleteMode deleteMode() {
        return DeleteMode.valueOf(getString(DELETE_MODE).trim().toUpperCase(Locale.ROOT));
    }

    public int snapshotPageSize() {
        return getInt(SNAPSHOT_PAGE_SIZE);
    }

    public Duration pollTimeout() {
        return Duration.ofMillis(getLong(POLL_TIMEOUT_MS));
    }

    public int maxBatchSize() {
        return getInt(MAX_BATCH_SIZE);
    }

    public int queueCapacity() {
        return getInt(QUEUE_CAPACITY);
    }

    public Duration subscribeTimeout() {
        return Duration.ofMillis(getLong(SUBSCRIBE_TIMEOUT_MS));
    }

    /** The credentials for the configured flow; throws {@link ConfigException} naming a missing key. */
    public SalesforceCredentials credentials() {
        URI login = loginUrl();
        return switch (authType()) {
            case JWT_BEARER -> new SalesforceCredentials.JwtBearer(login, clientId(), required(USERNAME, username()),
                    secret(PRIVATE_KEY, privateKey(), true), blankToNull(jwtAudience()));
            case CLIENT_CREDENTIALS -> new SalesforceCredentials.ClientCredentials(login, clientId(),
                    secret(CLIENT_SECRET, clientSecret(), true));
            case REFRESH_TOKEN -> new SalesforceCredentials.RefreshToken(login, clientId(),
                    secret(CLIENT_SECRET, clientSecret(), false), secret(REFRESH_TOKEN, refreshToken(), true));
            case PASSWORD -> new SalesforceCredentials.Password(login, clientId(),
                    secret(CLIENT_SECRET, clientSecret(), true), required(USERNAME, username()),
                    secret(PASSWORD, password(), true), secret(SECURITY_TOKEN, securityToken(), false));
        };
    }

    /** The keys the given auth type requires (besides the client id), for cross-field validation. */
    public static List<String> requiredKeys(AuthType type) {
        return switch (type) {
            case JWT_BEARER -> List.of(USERNAME, PRIVATE_KEY);
            case CLIENT_CREDENTIALS -> List.of(CLIENT_SECRET);
            case REFRESH_TOKEN -> List.of(REFRESH_TOKEN);
            case PASSWORD -> List.of(CLIENT_SECRET, USERNAME, PASSWORD);
        };
    }

    private static String required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, null, "is required for " + AUTH_TYPE);
        }
        return value;
    }

    private static Secret secret(String key, Password value, boolean required) {
        if (value == null || value.value() == null || value.value().isEmpty()) {
            if (required) {
                throw new ConfigException(key, "[hidden]", "is required for " + AUTH_TYPE);
            }
            return null;
        }
        return Secret.of(value.value());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static List<String> distinct(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                out.add(v.trim());
            }
        }
        return List.copyOf(out);
    }

    private static Set<String> fieldsOf(List<String> qualified, String object) {
        Set<String> out = new LinkedHashSet<>();
        for (String q : qualified) {
            String t = q.trim();
            int dot = t.indexOf('.');
            if (dot > 0 && t.substring(0, dot).equalsIgnoreCase(object)) {
                out.add(t.substring(dot + 1));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------ validators, recommenders

    static <E extends Enum<E>> ConfigDef.Validator enumValidator(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null || !names.contains(value.toString().trim().toUpperCase(Locale.ROOT))) {
                    throw new ConfigException(name, value, "must be one of " + names);
                }
            }

            @Override
            public String toString() {
                return "one of " + names;
            }
        };
    }

    static ConfigDef.Validator patternValidator(Pattern pattern, String what) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value != null && !pattern.matcher(value.toString()).matches()) {
                    throw new ConfigException(name, value, "must be " + what);
                }
            }

            @Override
            public String toString() {
                return what;
            }
        };
    }

    static final class UriValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                URI u = URI.create(String.valueOf(value));
                if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
                    throw new ConfigException(name, value, "must be an absolute http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "must be an absolute http(s) URL");
            }
        }

        @Override
        public String toString() {
            return "an absolute https URL";
        }
    }

    static final class ObjectListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            List<?> list = value instanceof List<?> l ? l : List.of();
            List<String> bad = new ArrayList<>();
            int count = 0;
            for (Object o : list) {
                String s = String.valueOf(o).trim();
                if (s.isEmpty()) {
                    continue;
                }
                count++;
                if (!API_NAME.matcher(s).matches()) {
                    bad.add(s);
                }
            }
            if (count == 0) {
                throw new ConfigException(name, value, "must name at least one object");
            }
            if (!bad.isEmpty()) {
                throw new ConfigException(name, value, "are not object API names: " + bad);
            }
        }

        @Override
        public String toString() {
            return "a non-empty list of object API names";
        }
    }

    static final class QualifiedFieldListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            List<?> list = value instanceof List<?> l ? l : List.of();
            List<String> bad = list.stream().map(o -> String.valueOf(o).trim()).filter(s -> !s.isEmpty())
                    .filter(s -> !QUALIFIED_FIELD.matcher(s).matches()).toList();
            if (!bad.isEmpty()) {
                throw new ConfigException(name, value, "entries must be Object.Field: " + bad);
            }
        }

        @Override
        public String toString() {
            return "a list of Object.Field";
        }
    }

    static final class EnumRecommender<E extends Enum<E>> implements ConfigDef.Recommender {
        private final List<Object> values;

        EnumRecommender(Class<E> type) {
            this.values = Arrays.stream(type.getEnumConstants()).map(e -> (Object) e.name()).toList();
        }

        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return values;
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }

    /** Shows a key only for the auth types that use it. */
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
            Object v = parsedConfig.get(AUTH_TYPE);
            try {
                return v == null || types.contains(AuthType.valueOf(v.toString().trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return true;
            }
        }
    }

    /** Every key with its documentation, for the generated reference. */
    static Map<String, ConfigDef.ConfigKey> keys() {
        return new LinkedHashMap<>(CONFIG_DEF.configKeys());
    }
}
