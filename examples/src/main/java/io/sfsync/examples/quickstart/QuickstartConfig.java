package io.sfsync.examples.quickstart;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The quickstart's settings. Every key has a default that runs the whole loop on this machine with nothing
 * installed; configure only what should differ (another Postgres, a real Salesforce org, other ports).
 *
 * <p>Values come from, highest precedence first: environment variables ({@code SFSYNC_} followed by the key in upper
 * case with dots as underscores, e.g. {@code SFSYNC_SALESFORCE_CLIENT_ID}), then a properties file (the file named by
 * {@code SFSYNC_QUICKSTART_CONFIG}, or given to {@code quickstart.sh --config}), then the defaults. Never the command
 * line: secrets on a command line are visible to every user of the machine ({@code ps}).
 */
final class QuickstartConfig extends AbstractConfig {

    static final String ENV_PREFIX = "SFSYNC_";
    /** Environment variable naming the properties file. */
    static final String CONFIG_FILE_ENV = "SFSYNC_QUICKSTART_CONFIG";

    static final String DATA_DIR = "quickstart.data.dir";
    static final String STATUS_INTERVAL_MS = "quickstart.status.interval.ms";
    static final String START_TIMEOUT_MS = "quickstart.start.timeout.ms";
    static final String SEED_ENABLED = "quickstart.seed.enabled";

    static final String KAFKA_PORT = "kafka.port";
    static final String CONNECT_REST_PORT = "connect.rest.port";

    static final String POSTGRES_EMBEDDED = "postgres.embedded";
    static final String POSTGRES_HOST = "postgres.host";
    static final String POSTGRES_PORT = "postgres.port";
    static final String POSTGRES_DATABASE = "postgres.database";
    static final String POSTGRES_USER = "postgres.user";
    static final String POSTGRES_PASSWORD = "postgres.password";
    static final String POSTGRES_WRITER_PASSWORD = "postgres.writer.password";
    static final String POSTGRES_REPLICATION_PASSWORD = "postgres.replication.password";

    static final String EMULATOR_PORT = "salesforce.emulator.port";
    static final String LOGIN_URL = "salesforce.login.url";
    static final String AUTH_TYPE = "salesforce.auth.type";
    static final String CLIENT_ID = "salesforce.client.id";
    static final String CLIENT_SECRET = "salesforce.client.secret";
    static final String USERNAME = "salesforce.username";
    static final String JWT_PRIVATE_KEY = "salesforce.jwt.private.key";
    static final String REFRESH_TOKEN = "salesforce.refresh.token";
    static final String PASSWORD = "salesforce.password";
    static final String SECURITY_TOKEN = "salesforce.security.token";

    /** The connectors' own Salesforce connection keys, passed to both Salesforce connectors as they are. */
    static final java.util.List<String> SALESFORCE_CONNECTION_KEYS = java.util.List.of(LOGIN_URL, AUTH_TYPE,
            CLIENT_ID, CLIENT_SECRET, USERNAME, JWT_PRIVATE_KEY, REFRESH_TOKEN, PASSWORD, SECURITY_TOKEN);

    private static final String GROUP_QUICKSTART = "Quickstart";
    private static final String GROUP_KAFKA = "Kafka and Connect";
    private static final String GROUP_POSTGRES = "Postgres";
    private static final String GROUP_SALESFORCE = "Salesforce";

    static final ConfigDef CONFIG_DEF = configDef();

    /** Where each value came from, for secrets: the key's environment variable, or the properties file. */
    private final Map<String, Origin> origins;
    private final Path propertiesFile;

    QuickstartConfig(Map<String, String> values, Map<String, Origin> origins, Path propertiesFile) {
        super(CONFIG_DEF, values, false);
        this.origins = Map.copyOf(origins);
        this.propertiesFile = propertiesFile;
        if (!embeddedPostgres() && getString(POSTGRES_HOST).isBlank()) {
            throw new ConfigException(POSTGRES_HOST, getString(POSTGRES_HOST),
                    "is required when " + POSTGRES_EMBEDDED + "=false");
        }
        if (realOrg() && getString(LOGIN_URL).isBlank()) {
            throw new ConfigException(LOGIN_URL, "", "is required with " + CLIENT_ID + " (a real org)");
        }
    }

    /** Settings from code (tests): no environment, no file. */
    static QuickstartConfig of(Map<String, String> values) {
        Map<String, Origin> origins = new LinkedHashMap<>();
        values.keySet().forEach(key -> origins.put(key, Origin.CODE));
        return new QuickstartConfig(values, origins, null);
    }

    /**
     * Settings from the environment and the properties file ({@code file} if given, else the file named by
     * {@value #CONFIG_FILE_ENV}, else none).
     */
    static QuickstartConfig load(Map<String, String> environment, Optional<Path> file) {
        Sources sources = Sources.read(environment, file);
        return new QuickstartConfig(sources.values(), sources.origins(), sources.file());
    }

    /**
     * The raw settings and where each came from, read without building the config (which logs): the command line
     * needs the data directory to point the logger at {@code quickstart.log} before anything logs.
     */
    record Sources(Map<String, String> values, Map<String, Origin> origins, Path file) {

        static Sources read(Map<String, String> environment, Optional<Path> file) {
            Optional<Path> path = file.or(() -> Optional.ofNullable(environment.get(CONFIG_FILE_ENV))
                    .filter(value -> !value.isBlank()).map(Path::of)).map(Path::toAbsolutePath);
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, Origin> origins = new LinkedHashMap<>();
            if (path.isPresent()) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(path.get(), StandardCharsets.UTF_8)) {
                    properties.load(reader);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read the quickstart configuration " + path.get(), e);
                }
                for (String key : properties.stringPropertyNames()) {
                    if (!CONFIG_DEF.names().contains(key)) {
                        throw new ConfigException(key, properties.getProperty(key), "is not a quickstart setting (in "
                                + path.get() + "); known keys: " + new java.util.TreeSet<>(CONFIG_DEF.names()));
                    }
                    values.put(key, properties.getProperty(key));
                    origins.put(key, Origin.FILE);
                }
            }
            for (String key : CONFIG_DEF.names()) {
                String value = environment.get(environmentVariable(key));
                if (value != null) {
                    values.put(key, value);
                    origins.put(key, Origin.ENVIRONMENT);
                }
            }
            return new Sources(values, origins, path.orElse(null));
        }

    }

    /** {@code salesforce.client.id} becomes {@code SFSYNC_SALESFORCE_CLIENT_ID}. */
    static String environmentVariable(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    Path dataDir() {
        return Path.of(getString(DATA_DIR)).toAbsolutePath();
    }

    Duration statusInterval() {
        return Duration.ofMillis(getLong(STATUS_INTERVAL_MS));
    }

    Duration startTimeout() {
        return Duration.ofMillis(getLong(START_TIMEOUT_MS));
    }

    boolean seedEnabled() {
        return getBoolean(SEED_ENABLED);
    }

    int kafkaPort() {
        return getInt(KAFKA_PORT);
    }

    int connectRestPort() {
        return getInt(CONNECT_REST_PORT);
    }

    boolean embeddedPostgres() {
        return getBoolean(POSTGRES_EMBEDDED);
    }

    String postgresHost() {
        return getString(POSTGRES_HOST);
    }

    int postgresPort() {
        return getInt(POSTGRES_PORT);
    }

    String postgresDatabase() {
        return getString(POSTGRES_DATABASE);
    }

    String postgresUser() {
        return getString(POSTGRES_USER);
    }

    Password postgresPassword() {
        return getPassword(POSTGRES_PASSWORD);
    }

    int emulatorPort() {
        return getInt(EMULATOR_PORT);
    }

    /** A real org is used when its connected app is configured; otherwise the emulator. */
    boolean realOrg() {
        String clientId = getString(CLIENT_ID);
        return clientId != null && !clientId.isBlank();
    }

    /**
     * The Salesforce connection keys to give both Salesforce connectors. Secrets are never copied into a connector
     * configuration (which Connect stores in a topic and shows on its REST API): they become references that the
     * worker's config providers resolve when the task starts, {@code ${env:SFSYNC_SALESFORCE_JWT_PRIVATE_KEY}} or
     * {@code ${file:/path/quickstart.properties:salesforce.jwt.private.key}}.
     */
    Map<String, String> salesforceConnection() {
        Map<String, String> connection = new LinkedHashMap<>();
        for (String key : SALESFORCE_CONNECTION_KEYS) {
            Origin origin = origins.get(key);
            if (origin == null) {
                if (key.equals(LOGIN_URL) || key.equals(AUTH_TYPE)) {
                    connection.put(key, getString(key));
                }
                continue;
            }
            if (CONFIG_DEF.configKeys().get(key).type == Type.PASSWORD) {
                connection.put(key, secretForConnector(key));
            } else {
                connection.put(key, getString(key));
            }
        }
        return connection;
    }

    /**
     * A secret as a connector configuration should carry it: a reference the worker resolves
     * ({@code ${env:SFSYNC_...}} or {@code ${file:<properties file>:<key>}}) when the value came from there, the value
     * itself only when it is a default or came from code (tests), where there is nothing to refer to.
     */
    String secretForConnector(String key) {
        Origin origin = origins.get(key);
        if (origin == Origin.ENVIRONMENT) {
            return "${env:" + environmentVariable(key) + "}";
        }
        if (origin == Origin.FILE) {
            return "${file:" + propertiesFile + ":" + key + "}";
        }
        Password value = getPassword(key);
        return value == null ? "" : value.value();
    }

    enum Origin { ENVIRONMENT, FILE, CODE }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int o = 0;
        def.define(DATA_DIR, Type.STRING, Quickstart.DEFAULT_DATA_DIR, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                "Directory for the broker's log, Postgres' data, the plugin.path and quickstart.log. Emptied at every"
                        + " start: each run begins with a fresh emulated org and a fresh database.",
                GROUP_QUICKSTART, ++o, Width.LONG, "Data directory");
        def.define(STATUS_INTERVAL_MS, Type.LONG, 10_000L, Range.between(1_000L, 3_600_000L), Importance.LOW,
                "How often the status line (connector states, lag, events, conflicts and errors rows) is printed.",
                GROUP_QUICKSTART, ++o, Width.SHORT, "Status interval (ms)");
        def.define(START_TIMEOUT_MS, Type.LONG, 300_000L, Range.between(10_000L, 3_600_000L), Importance.LOW,
                "How long each step of the start-up (worker ready, connectors running) may take before the"
                        + " quickstart gives up and stops what it started.",
                GROUP_QUICKSTART, ++o, Width.SHORT, "Start timeout (ms)");
        def.define(SEED_ENABLED, Type.BOOLEAN, true, Importance.LOW,
                "Create a few sample Accounts and Contacts in the emulated org at start. Never done in a real org.",
                GROUP_QUICKSTART, ++o, Width.SHORT, "Seed sample data");

        o = 0;
        def.define(KAFKA_PORT, Type.INT, 19092, Range.between(0, 65535), Importance.MEDIUM,
                "Port of the embedded Kafka broker on 127.0.0.1 (0: any free port).",
                GROUP_KAFKA, ++o, Width.SHORT, "Kafka port");
        def.define(CONNECT_REST_PORT, Type.INT, 18083, Range.between(0, 65535), Importance.MEDIUM,
                "Port of the Connect worker's REST API on 127.0.0.1 (0: any free port).",
                GROUP_KAFKA, ++o, Width.SHORT, "Connect REST port");

        o = 0;
        def.define(POSTGRES_EMBEDDED, Type.BOOLEAN, true, Importance.HIGH,
                "true: start an embedded PostgreSQL 18 (nothing to install). false: use the server at postgres.host,"
                        + " which must run with wal_level=logical and let postgres.user create replication slots.",
                GROUP_POSTGRES, ++o, Width.SHORT, "Embedded Postgres");
        def.define(POSTGRES_HOST, Type.STRING, "localhost", Importance.HIGH,
                "Host of the Postgres server (the embedded one listens on localhost).",
                GROUP_POSTGRES, ++o, Width.MEDIUM, "Postgres host");
        def.define(POSTGRES_PORT, Type.INT, 15432, Range.between(0, 65535), Importance.HIGH,
                "Port of the Postgres server; for the embedded server the port it listens on (0: any free port).",
                GROUP_POSTGRES, ++o, Width.SHORT, "Postgres port");
        def.define(POSTGRES_DATABASE, Type.STRING, "postgres", new ConfigDef.NonEmptyString(), Importance.HIGH,
                "Database that holds the synced tables.", GROUP_POSTGRES, ++o, Width.MEDIUM, "Postgres database");
        def.define(POSTGRES_USER, Type.STRING, "postgres", new ConfigDef.NonEmptyString(), Importance.HIGH,
                "User the connectors and the quickstart connect as.", GROUP_POSTGRES, ++o, Width.MEDIUM,
                "Postgres user");
        def.define(POSTGRES_PASSWORD, Type.PASSWORD, "postgres", Importance.HIGH,
                "Password of postgres.user (the embedded server trusts local connections and accepts any).",
                GROUP_POSTGRES, ++o, Width.MEDIUM, "Postgres password");
        def.define(POSTGRES_WRITER_PASSWORD, Type.PASSWORD, "sfsync-writer", Importance.MEDIUM,
                "Password the quickstart gives the role sfsync_writer (created by setup.sql), which the JDBC sinks"
                        + " connect as.", GROUP_POSTGRES, ++o, Width.MEDIUM, "Writer role password");
        def.define(POSTGRES_REPLICATION_PASSWORD, Type.PASSWORD, "sfsync-replication", Importance.MEDIUM,
                "Password the quickstart gives the role sfsync_replication (created by setup.sql), which"
                        + " Debezium's Postgres source connects as.", GROUP_POSTGRES, ++o, Width.MEDIUM,
                "Replication role password");

        o = 0;
        def.define(EMULATOR_PORT, Type.INT, 18080, Range.between(0, 65535), Importance.MEDIUM,
                "Port of the Salesforce emulator on 127.0.0.1 (0: any free port); unused with a real org.",
                GROUP_SALESFORCE, ++o, Width.SHORT, "Emulator port");
        def.define(LOGIN_URL, Type.STRING, "https://login.salesforce.com", Importance.HIGH,
                "Real org only: where to log in (https://test.salesforce.com for a sandbox).",
                GROUP_SALESFORCE, ++o, Width.LONG, "Login URL");
        def.define(AUTH_TYPE, Type.STRING, "JWT_BEARER",
                ValidString.in("JWT_BEARER", "CLIENT_CREDENTIALS", "REFRESH_TOKEN", "PASSWORD"), Importance.HIGH,
                "Real org only: OAuth 2.0 flow (JWT_BEARER recommended).", GROUP_SALESFORCE, ++o, Width.MEDIUM,
                "Authentication type");
        def.define(CLIENT_ID, Type.STRING, "", Importance.HIGH,
                "The connected app's consumer key. Setting it selects a real org instead of the emulator.",
                GROUP_SALESFORCE, ++o, Width.LONG, "Client id (consumer key)");
        def.define(CLIENT_SECRET, Type.PASSWORD, null, Importance.HIGH,
                "Real org only: the connected app's consumer secret (client credentials, password flow).",
                GROUP_SALESFORCE, ++o, Width.LONG, "Client secret");
        def.define(USERNAME, Type.STRING, null, Importance.HIGH,
                "Real org only: the integration user (JWT bearer, password flow).",
                GROUP_SALESFORCE, ++o, Width.LONG, "Username");
        def.define(JWT_PRIVATE_KEY, Type.PASSWORD, null, Importance.HIGH,
                "Real org only: PKCS#8 RSA private key in PEM that signs JWT bearer assertions (its certificate is"
                        + " uploaded to the connected app).",
                GROUP_SALESFORCE, ++o, Width.LONG, "JWT private key");
        def.define(REFRESH_TOKEN, Type.PASSWORD, null, Importance.HIGH,
                "Real org only: refresh token (REFRESH_TOKEN flow).", GROUP_SALESFORCE, ++o, Width.LONG,
                "Refresh token");
        def.define(PASSWORD, Type.PASSWORD, null, Importance.HIGH,
                "Real org only: the user's password (PASSWORD flow, discouraged).", GROUP_SALESFORCE, ++o,
                Width.LONG, "Password");
        def.define(SECURITY_TOKEN, Type.PASSWORD, null, Importance.LOW,
                "Real org only: security token appended to the password (PASSWORD flow).", GROUP_SALESFORCE, ++o,
                Width.LONG, "Security token");
        return def;
    }
}
