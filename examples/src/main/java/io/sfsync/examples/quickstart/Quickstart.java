package io.sfsync.examples.quickstart;

import io.sfsync.testkit.PluginPath;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
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

    /** Written by the examples module's build: the plugin archives of this reactor, class-path style. */
    static final Path PLUGIN_LIST = Path.of("target", "quickstart.plugins");

    private final QuickstartConfig config;
    private final PrintStream out;
    /** What has started, most recent first: closed in that order. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean closing;

    private SalesforceSide salesforce;
    private QuickstartPostgres postgres;
    private KafkaBroker broker;
    private ConnectWorker worker;
    private StatusReporter status;
    private long startupMillis;

    private Quickstart(QuickstartConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /**
     * Starts everything; on any failure stops what had started and rethrows. The caller closes the result (the
     * command line does it from a shutdown hook, on Ctrl-C or SIGTERM).
     */
    public static Quickstart start(QuickstartConfig config, PrintStream out) {
        Quickstart quickstart = new Quickstart(config, out);
        try {
            quickstart.startAll();
            return quickstart;
        } catch (RuntimeException | Error e) {
            quickstart.close();
            throw e;
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
            salesforce = SalesforceSide.realOrg(config.salesforceConnection());
        } else {
            step("Starting the Salesforce emulator");
            salesforce = SalesforceSide.emulator(config.emulatorPort());
        }
        started.push(salesforce);

        if (config.embeddedPostgres()) {
            step("Starting PostgreSQL (embedded)");
            postgres = QuickstartPostgres.startEmbedded(data.resolve("postgres"), config.postgresPort());
        } else {
            step("Using PostgreSQL at " + config.postgresHost() + ":" + config.postgresPort());
            postgres = QuickstartPostgres.external(config.postgresHost(), config.postgresPort(),
                    config.postgresDatabase(), config.postgresUser(), config.postgresPassword().value());
        }
        started.push(postgres);

        step("Starting the Kafka broker (KRaft)");
        broker = KafkaBroker.start(data.resolve("kafka"), config.kafkaPort());
        started.push(broker);

        step("Starting the Connect worker");
        worker = ConnectWorker.start(broker.bootstrapServers(), pluginPath.directory(), config.connectRestPort(),
                config.startTimeout());
        started.push(worker);

        status = new StatusReporter(worker.restUrl(), broker.bootstrapServers(), postgres, List.of(), List.of());
        started.push(status);
        startupMillis = (System.nanoTime() - begin) / 1_000_000;
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
            for (Path each : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
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

    static List<Path> pluginArchives() {
        if (!Files.isRegularFile(PLUGIN_LIST)) {
            throw new IllegalStateException(PLUGIN_LIST.toAbsolutePath() + " is missing: build first with"
                    + " `mvn -q -B -DskipTests package` (quickstart.sh does)");
        }
        try {
            String list = Files.readString(PLUGIN_LIST, StandardCharsets.UTF_8).trim();
            List<Path> archives = new ArrayList<>();
            for (String entry : list.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    archives.add(Path.of(entry.trim()));
                }
            }
            return archives;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + PLUGIN_LIST, e);
        }
    }

    private void step(String what) {
        out.println("==> " + what);
        out.flush();
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
            synchronized (this) {
                if (closing) {
                    return;
                }
                out.println(status.line());
                out.flush();
            }
        }
    }

    /** Stops everything that started, most recent first; safe to call twice and from a shutdown hook. */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            while (!started.isEmpty()) {
                AutoCloseable next = started.pop();
                try {
                    next.close();
                } catch (Exception e) {
                    LoggerFactory.getLogger(Quickstart.class).warn("Stopping {} failed", next, e);
                    out.println("  (stopping " + next.getClass().getSimpleName() + " failed: " + e + ")");
                }
            }
        } finally {
            closed.countDown();
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
        QuickstartConfig config = QuickstartConfig.load(System.getenv(), configFile);
        configureLogging(config.dataDir());
        PrintStream out = System.out;
        Quickstart quickstart;
        try {
            quickstart = start(config, out);
        } catch (RuntimeException e) {
            System.err.println("The quickstart could not start: " + e.getMessage());
            System.err.println("Details in " + config.dataDir().resolve("quickstart.log"));
            LoggerFactory.getLogger(Quickstart.class).error("Start failed", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println();
            out.println("==> Stopping: connectors and worker, broker, PostgreSQL, emulator");
            long begin = System.nanoTime();
            quickstart.close();
            out.println("==> Stopped in " + (System.nanoTime() - begin) / 1_000_000 + " ms");
            out.flush();
        }, "quickstart-shutdown"));
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

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static Logger log() {
        return LoggerFactory.getLogger(Quickstart.class);
    }

    Map<String, String> summary() {
        return Map.of();
    }
}
