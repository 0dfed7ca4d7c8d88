package io.sfsync.examples.quickstart;

import io.sfsync.examples.ExampleConnectors;
import io.sfsync.examples.ExampleConnectors.ConnectorDefinition;
import io.sfsync.examples.ExamplePostgres;
import io.sfsync.testkit.PluginPath;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.LoggerFactory;

/**
 * The one-command quickstart: the whole two-way loop on one machine with nothing installed and no Salesforce
 * account. In this JVM: the Salesforce emulator (or a real org), an embedded PostgreSQL (or the user's), a real KRaft
 * broker and a real distributed Connect worker with our plugins and Debezium's on its {@code plugin.path}; then the
 * example connectors are created through the Connect REST API, sample records are created in the emulated org, and a
 * status line is printed every 10 seconds until Ctrl-C, which stops everything in reverse order.
 *
 * <p>Run it with {@code ./quickstart.sh} from the repository root; settings in {@link QuickstartConfig}.
 */
public final class Quickstart implements AutoCloseable {

    /** Relative to the examples module, where quickstart.sh starts the JVM. */
    static final String DEFAULT_DATA_DIR = "target/quickstart";
    /** The repository checkout, seen from the examples module (the quickstart's working directory). */
    static final Path REPOSITORY_ROOT = Path.of("..");
    /** Our plugin modules; Debezium's two connectors come from the local Maven repository. */
    static final List<String> PLUGIN_MODULES = List.of("salesforce-source", "salesforce-sink",
            "postgres-conflict-smt");

    /** How long a stop during start-up (Ctrl-C) waits for the step under way to end and register what it started. */
    private static final Duration STARTUP_STEP_GRACE = Duration.ofSeconds(30);
    /** How long start-up waits for the sample records to arrive in Postgres before printing the banner anyway. */
    private static final Duration SAMPLE_ARRIVAL = Duration.ofSeconds(60);

    private final QuickstartConfig config;
    private final PrintStream out;
    private final Object lock = new Object();
    /** What has started, most recent first: closed in that order. Guarded by {@link #lock}. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    /** Guarded by {@link #lock}. */
    private boolean closing;
    private final CountDownLatch startupEnded = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    /** The tables the conflicts and errors sinks write (created by the sinks on their first record). */
    static final String CONFLICTS_TABLE = ExamplePostgres.SCHEMA + ".sfsync_conflicts";
    static final String ERRORS_TABLE = ExamplePostgres.SCHEMA + ".sfsync_errors";

    private SalesforceSide salesforce;
    private List<ConnectorDefinition> connectors = List.of();
    private Map<String, String> seededAccounts = Map.of();
    private QuickstartPostgres postgres;
    private KafkaBroker broker;
    private ConnectWorker worker;
    private StatusReporter status;
    private long startupMillis;

    Quickstart(QuickstartConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /**
     * Starts everything; on any failure stops what had started and rethrows. The caller closes the result (the
     * command line does it from a shutdown hook, on Ctrl-C or SIGTERM).
     */
    public static Quickstart start(QuickstartConfig config, PrintStream out) {
        Quickstart quickstart = new Quickstart(config, out);
        quickstart.startOrStop();
        return quickstart;
    }

    /** Starts everything; on any failure (or a stop meanwhile) stops what had started and rethrows. */
    void startOrStop() {
        try {
            startAll();
        } catch (RuntimeException | Error e) {
            startupEnded.countDown();
            close();
            throw e;
        } finally {
            startupEnded.countDown();
        }
    }

    private void startAll() {
        long begin = System.nanoTime();
        Path data = config.dataDir();
        prepareDataDirectory(data);

        step("Laying out plugin.path");
        PluginPath pluginPath = pluginPath(data.resolve("plugins"));

        if (config.realOrg()) {
            step("Using the Salesforce org at " + config.getString(QuickstartConfig.LOGIN_URL));
            salesforce = started(SalesforceSide.realOrg(config.salesforceConnection()));
        } else {
            step("Starting the Salesforce emulator");
            salesforce = started(SalesforceSide.emulator(config.emulatorPort()));
        }

        if (config.embeddedPostgres()) {
            step("Starting PostgreSQL (embedded)");
            postgres = started(QuickstartPostgres.startEmbedded(data.resolve("postgres"), config.postgresPort()));
        } else {
            step("Using PostgreSQL at " + config.postgresHost() + ":" + config.postgresPort());
            postgres = started(QuickstartPostgres.external(config.postgresHost(), config.postgresPort(),
                    config.postgresDatabase(), config.postgresUser(), config.postgresPassword().value()));
        }
        setUpPostgres();

        step("Starting the Kafka broker (KRaft)");
        broker = started(KafkaBroker.start(data.resolve("kafka"), config.kafkaPort()));

        step("Starting the Connect worker");
        worker = started(ConnectWorker.start(broker.bootstrapServers(), pluginPath.directory(),
                config.connectRestPort(), config.startTimeout()));

        step("Creating the connectors through " + worker.restUrl() + "connectors");
        LoopConnectors.createSideTopics(broker.bootstrapServers());
        LoopConnectors rest = new LoopConnectors(worker.restUrl());
        connectors = LoopConnectors.definitions(placeholders(), config.realOrg()
                ? config.salesforceConnection() : Map.of());
        connectors.stream().map(connector -> connector.config().get("slot.name")).filter(slot -> slot != null)
                .forEach(postgres::dropSlotOnClose);
        for (ConnectorDefinition connector : connectors) {
            rest.create(connector);
        }
        for (ConnectorDefinition connector : connectors) {
            ensureNotClosing();
            rest.awaitRunning(connector, config.startTimeout());
        }

        if (salesforce.emulated() && config.seedEnabled()) {
            step("Creating sample Accounts and Contacts in the emulated org");
            seededAccounts = salesforce.seed();
            awaitSampleRowsInPostgres();
        }

        status = started(new StatusReporter(worker.restUrl(), broker.bootstrapServers(), postgres,
                List.of(CONFLICTS_TABLE), List.of(ERRORS_TABLE)));
        startupMillis = (System.nanoTime() - begin) / 1_000_000;
    }

    /**
     * Waits (bounded) until the sample Accounts are rows in Postgres, so that the banner's statements find them. A
     * slow arrival is reported, not fatal: the status line shows what the connectors do.
     */
    private void awaitSampleRowsInPostgres() {
        step("Waiting for the sample records to reach Postgres");
        long deadline = System.nanoTime() + SAMPLE_ARRIVAL.toNanos();
        while (System.nanoTime() < deadline) {
            ensureNotClosing();
            if (sampleRowsInPostgres() >= seededAccounts.size()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        out.println("  (the sample records are not in Postgres after " + SAMPLE_ARRIVAL.toSeconds()
                + " s; see the status line and " + logFile() + ")");
    }

    private long sampleRowsInPostgres() {
        try (Connection connection = postgres.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM "
                     + ExamplePostgres.SCHEMA + ".account WHERE sfid = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("text", seededAccounts.values().toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            return 0; // the table is there (setup.sql); a failing query is retried until the deadline
        }
    }

    /**
     * The broker's log and Postgres' data start empty every run, because the emulated org does too (ids would not
     * match otherwise). The unpacked plugin.path is kept: it is reused while the archives are unchanged.
     */
    private static void prepareDataDirectory(Path data) {
        QuickstartPostgres.stopStaleServer(data.resolve("postgres"));
        try {
            Files.createDirectories(data);
            for (String child : List.of("kafka", "postgres")) {
                deleteRecursively(data.resolve(child));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the data directory " + data, e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }

    /** Debezium's Postgres source and JDBC sink (from the local Maven repository) and this build's plugin zips. */
    private static PluginPath pluginPath(Path directory) {
        PluginPath.Builder builder = PluginPath.builder().directory(directory).withDebeziumPostgres()
                .withDebeziumJdbc();
        for (Path archive : pluginArchives()) {
            builder.addArchive(archive);
        }
        return builder.build();
    }

    /** Our plugins, as their modules' builds package them: {@code ../<module>/target/<module>-<version>-plugin.zip}. */
    static List<Path> pluginArchives() {
        List<Path> archives = new ArrayList<>();
        for (String module : PLUGIN_MODULES) {
            Path target = REPOSITORY_ROOT.resolve(module).resolve("target");
            try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
                archives.add(files.filter(file -> file.getFileName().toString().matches(
                                Pattern.quote(module) + "-.*-plugin\\.zip"))
                        .max(Comparator.comparing(Path::toString))
                        .orElseThrow(() -> new IllegalStateException("No plugin archive of " + module + " in "
                                + target.toAbsolutePath().normalize()
                                + ": build first with `mvn -q -B -DskipTests package` (quickstart.sh does)")));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + target, e);
            }
        }
        return archives;
    }

    /**
     * setup.sql (schema, tables, roles, publication) as the superuser, then the two roles' passwords: kept out of
     * setup.sql on purpose, so they are set here from the configuration.
     */
    private void setUpPostgres() {
        try (Connection admin = postgres.connect(); Statement statement = admin.createStatement()) {
            ExamplePostgres.applySetup(admin);
            statement.execute("ALTER ROLE " + ExamplePostgres.WRITER_ROLE + " PASSWORD "
                    + quote(config.getPassword(QuickstartConfig.POSTGRES_WRITER_PASSWORD).value()));
            statement.execute("ALTER ROLE " + ExamplePostgres.REPLICATION_ROLE + " PASSWORD "
                    + quote(config.getPassword(QuickstartConfig.POSTGRES_REPLICATION_PASSWORD).value()));
        } catch (SQLException e) {
            throw new IllegalStateException("Postgres setup (setup.sql) failed on " + postgres.jdbcUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String quote(String literal) {
        return "'" + literal.replace("'", "''") + "'";
    }

    /** The values of the connector files' {@code {{PLACEHOLDERS}}}. */
    private Map<String, String> placeholders() {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sf = salesforce.connectorConnection();
        values.put(ExampleConnectors.SALESFORCE_LOGIN_URL, sf.getOrDefault(QuickstartConfig.LOGIN_URL, ""));
        values.put(ExampleConnectors.SALESFORCE_CLIENT_ID, sf.getOrDefault(QuickstartConfig.CLIENT_ID, ""));
        values.put(ExampleConnectors.SALESFORCE_CLIENT_SECRET, sf.getOrDefault(QuickstartConfig.CLIENT_SECRET, ""));
        values.put(ExampleConnectors.KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers());
        values.put(ExampleConnectors.POSTGRES_HOST, postgres.host());
        values.put(ExampleConnectors.POSTGRES_PORT, Integer.toString(postgres.port()));
        values.put(ExampleConnectors.POSTGRES_DATABASE, postgres.database());
        values.put(ExampleConnectors.POSTGRES_WRITER_PASSWORD,
                config.secretForConnector(QuickstartConfig.POSTGRES_WRITER_PASSWORD));
        values.put(ExampleConnectors.POSTGRES_REPLICATION_PASSWORD,
                config.secretForConnector(QuickstartConfig.POSTGRES_REPLICATION_PASSWORD));
        return values;
    }

    private void step(String what) {
        ensureNotClosing();
        out.println("==> " + what);
        out.flush();
    }

    /**
     * Registers a piece that has just started, to be stopped with the rest. If a stop came meanwhile (Ctrl-C during
     * start-up), the piece is stopped at once and start-up ends here.
     */
    private <T extends AutoCloseable> T started(T piece) {
        synchronized (lock) {
            if (!closing) {
                started.push(piece);
                return piece;
            }
        }
        stopQuietly(piece);
        throw new StoppedDuringStartup();
    }

    private void ensureNotClosing() {
        if (isClosing()) {
            throw new StoppedDuringStartup();
        }
    }

    /** Start-up was cut short by a stop (Ctrl-C): not a failure. */
    static final class StoppedDuringStartup extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoppedDuringStartup() {
            super("Stopped during start-up");
        }
    }

    boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    public String connectRestUrl() {
        return worker.restUrl().toString();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    QuickstartPostgres postgres() {
        return postgres;
    }

    SalesforceSide salesforce() {
        return salesforce;
    }

    KafkaBroker broker() {
        return broker;
    }

    ConnectWorker worker() {
        return worker;
    }

    StatusReporter status() {
        return status;
    }

    long startupMillis() {
        return startupMillis;
    }

    /** Prints the status line every interval until {@link #close()}. */
    void printStatusUntilClosed(Duration interval) throws InterruptedException {
        while (!closed.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
            String line = status.line();
            if (isClosing()) {
                return;
            }
            out.println(line);
            out.flush();
        }
    }

    /**
     * Stops everything that started, most recent first; safe to call twice and from a shutdown hook. Called while
     * another thread is still starting things (Ctrl-C during start-up), it first lets that thread finish its step
     * (bounded), so that what the step started is stopped too.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            if (!startupEnded.await(STARTUP_STEP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                out.println("  (start-up did not end within " + STARTUP_STEP_GRACE.toSeconds()
                        + " s; stopping what has started)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            while (true) {
                AutoCloseable next;
                synchronized (lock) {
                    next = started.poll();
                }
                if (next == null) {
                    break;
                }
                stopQuietly(next);
            }
        } finally {
            closed.countDown();
        }
    }

    private void stopQuietly(AutoCloseable piece) {
        try {
            piece.close();
        } catch (Exception e) {
            LoggerFactory.getLogger(Quickstart.class).warn("Stopping {} failed", piece.getClass().getSimpleName(), e);
            out.println("  (stopping " + piece.getClass().getSimpleName() + " failed: " + e + ")");
        }
    }

    /** {@code quickstart.sh [--config file.properties]}. */
    public static void main(String[] args) {
        Optional<Path> configFile = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = Optional.of(Path.of(args[++i]));
            } else {
                System.err.println("usage: quickstart.sh [--config quickstart.properties]  (unknown: "
                        + Arrays.toString(args) + ")");
                System.exit(2);
            }
        }
        // Before anything touches a Kafka class: AbstractConfig's static logger would fix slf4j's settings.
        configureLogging(dataDirBeforeLogging(System.getenv(), configFile));
        QuickstartConfig.Sources sources = QuickstartConfig.Sources.read(System.getenv(), configFile);
        QuickstartConfig config;
        try {
            config = new QuickstartConfig(sources.values(), sources.origins(), sources.file());
        } catch (ConfigException e) {
            System.err.println("Invalid quickstart setting: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = System.out;
        Quickstart quickstart = new Quickstart(config, out);
        // Registered before anything starts, so that Ctrl-C during start-up stops what has started, too.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (quickstart.isClosing()) {
                return;
            }
            out.println();
            out.println("==> Stopping: connectors and worker, broker, PostgreSQL, emulator");
            long begin = System.nanoTime();
            quickstart.close();
            out.println("==> Stopped in " + (System.nanoTime() - begin) / 1_000_000 + " ms");
            out.flush();
        }, "quickstart-shutdown"));
        try {
            quickstart.startOrStop();
        } catch (RuntimeException | Error e) {
            // Stopped during start-up: whatever the step under way threw is a consequence of the stop.
            if (!(e instanceof StoppedDuringStartup) && !quickstart.isClosing()) {
                System.err.println("The quickstart could not start: " + e.getMessage());
                System.err.println("Details in " + config.dataDir().resolve("quickstart.log"));
                LoggerFactory.getLogger(Quickstart.class).error("Start failed", e);
                System.exit(1);
            }
            return;
        }
        out.println(Banner.render(quickstart));
        out.flush();
        try {
            quickstart.printStatusUntilClosed(config.statusInterval());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kafka, Connect, Debezium and Postgres log a lot: everything goes to {@code quickstart.log} in the data
     * directory and the console keeps the banner and the status line. Must run before the first logger exists.
     */
    private static void configureLogging(Path data) {
        try {
            Files.createDirectories(data);
            Files.deleteIfExists(data.resolve("quickstart.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + data, e);
        }
        setIfAbsent("org.slf4j.simpleLogger.logFile", data.resolve("quickstart.log").toString());
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        // Per-request and per-fetch chatter of the clients inside the worker.
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.clients", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.common", "warn");
    }

    /**
     * The data directory, read the way {@link QuickstartConfig} reads it (environment, then file, then default) but
     * without loading that class, whose superclass (Kafka's AbstractConfig) creates a logger when loaded.
     */
    static Path dataDirBeforeLogging(Map<String, String> environment, Optional<Path> configFile) {
        String fromEnvironment = environment.get("SFSYNC_QUICKSTART_DATA_DIR");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment).toAbsolutePath();
        }
        Optional<Path> file = configFile.or(() -> Optional.ofNullable(environment.get("SFSYNC_QUICKSTART_CONFIG"))
                .filter(value -> !value.isBlank()).map(Path::of));
        if (file.isPresent() && Files.isReadable(file.get())) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file.get())) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file.get(), e);
            }
            String value = properties.getProperty(QuickstartConfig.DATA_DIR);
            if (value != null && !value.isBlank()) {
                return Path.of(value).toAbsolutePath();
            }
        }
        return Path.of(DEFAULT_DATA_DIR).toAbsolutePath();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Where the logs go when started from the command line. */
    Path logFile() {
        return config.dataDir().resolve("quickstart.log");
    }

    List<ConnectorDefinition> connectors() {
        return connectors;
    }

    /** The sample Accounts' ids by name (empty with a real org or seeding off). */
    Map<String, String> seededAccounts() {
        return seededAccounts;
    }
}
