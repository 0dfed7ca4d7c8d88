package io.sfsync.examples;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.cdc.ChangeEvent;
import io.sfsync.emulator.streaming.StreamingSettings;
import io.sfsync.examples.ExampleConnectors.ConnectorDefinition;
import io.sfsync.testkit.ConnectFixture;
import io.sfsync.testkit.PluginPath;
import io.sfsync.testkit.Polling;
import io.sfsync.testkit.PostgresFixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole loop, real and in-process, started once per test class: the emulator, PostgreSQL 18 prepared by
 * {@code sql/setup.sql}, a KRaft broker and a Connect worker whose plugin.path holds our packaged plugin archives
 * (from the other modules' {@code target/}, built by {@code -am package}) and Debezium's, and the six connectors of
 * {@code connectors/*.json} submitted through the REST API as a user would, with only the placeholders filled.
 *
 * <p>Test-only instrumentation: an AFTER trigger on each synced table records every row write with the role that
 * made it into {@code loop_test.writes} (not in the publication, so Debezium never sees it). That is how the tests
 * count Postgres writes exactly: the JDBC sink writes as {@code sfsync_writer}, the tests as {@code postgres}.
 */
final class LoopFixture implements AutoCloseable {

    static final Duration ARRIVAL = Duration.ofSeconds(60);
    /** How long nothing may change before the loop counts as settled; the loop's hops take ~0.1-0.5 s here. */
    static final Duration QUIET = Duration.ofSeconds(2);
    static final String WRITER = ExamplePostgres.WRITER_ROLE;

    final SalesforceEmulator emulator;
    final EmulatorControl salesforce;
    final PostgresFixture postgres;
    final ConnectFixture connect;
    private final Map<String, String> placeholderValues;
    private final Map<String, ConnectorDefinition> connectors = new LinkedHashMap<>();

    private LoopFixture(SalesforceEmulator emulator, PostgresFixture postgres, ConnectFixture connect) {
        this.emulator = emulator;
        this.salesforce = new EmulatorControl(emulator.baseUrl());
        this.postgres = postgres;
        this.connect = connect;
        placeholderValues = Map.of(
                ExampleConnectors.SALESFORCE_LOGIN_URL, emulator.baseUrl(),
                ExampleConnectors.SALESFORCE_CLIENT_ID, SalesforceEmulator.CLIENT_ID,
                ExampleConnectors.SALESFORCE_CLIENT_SECRET, SalesforceEmulator.CLIENT_SECRET,
                ExampleConnectors.KAFKA_BOOTSTRAP_SERVERS, connect.bootstrapServers(),
                ExampleConnectors.POSTGRES_HOST, postgres.host(),
                ExampleConnectors.POSTGRES_PORT, Integer.toString(postgres.port()),
                ExampleConnectors.POSTGRES_DATABASE, postgres.database(),
                // The embedded server trusts local connections; a real one checks these.
                ExampleConnectors.POSTGRES_REPLICATION_PASSWORD, "unused-with-trust-auth",
                ExampleConnectors.POSTGRES_WRITER_PASSWORD, "unused-with-trust-auth");
    }

    /** Starts everything and submits every connector of {@link ExampleConnectors#ALL}. */
    static LoopFixture start() {
        return start(ExampleConnectors.ALL);
    }

    /** Starts everything and submits the named connector files, in order. */
    static LoopFixture start(List<String> connectorFiles) {
        SalesforceEmulator emulator = null;
        PostgresFixture postgres = null;
        ConnectFixture connect = null;
        try {
            emulator = SalesforceEmulator.builder().dailyApiRequests(10_000_000)
                    .streaming(StreamingSettings.defaults().longPollTimeout(Duration.ofSeconds(2))
                            .reconnectWindow(Duration.ofSeconds(4))).start();
            postgres = PostgresFixture.start();
            try (Connection admin = postgres.connect()) {
                ExamplePostgres.applySetup(admin);
                // Twice: setup.sql must be re-runnable.
                ExamplePostgres.applySetup(admin);
                execute(admin, AUDIT_SQL);
            }
            PluginPath.Builder plugins = PluginPath.builder().withDebeziumPostgres().withDebeziumJdbc()
                    .addArchive(pluginArchive("salesforce-source"))
                    .addArchive(pluginArchive("salesforce-sink"));
            if (connectorFiles.contains(ExampleConnectors.POSTGRES_SOURCE)) {
                plugins.addArchive(pluginArchive("postgres-conflict-smt"));
            }
            connect = ConnectFixture.builder().name("loop").pluginPath(plugins.build()).start();
            connect.createTopic("sfsync_errors", 1);
            connect.createTopic("sfsync_conflicts", 1);
            LoopFixture loop = new LoopFixture(emulator, postgres, connect);
            for (String file : connectorFiles) {
                loop.submit(file);
            }
            loop.awaitAllRunning();
            return loop;
        } catch (RuntimeException | Error e) {
            closeQuietly(connect, postgres, emulator);
            throw e;
        } catch (SQLException e) {
            closeQuietly(connect, postgres, emulator);
            throw new IllegalStateException("Postgres setup failed", e);
        }
    }

    /** Submits {@code connectors/<file>} with POST /connectors, the file's JSON with the placeholders filled. */
    ConnectorDefinition submit(String file) {
        ConnectorDefinition connector = ExampleConnectors.load(Path.of("connectors", file), placeholderValues);
        connect.createConnectorFromJson(connector.toJson());
        connectors.put(file, connector);
        return connector;
    }

    /** Waits until every submitted connector and all its tasks run. */
    void awaitAllRunning() {
        for (ConnectorDefinition connector : connectors.values()) {
            connect.awaitRunning(connector.name(), tasks(connector), ARRIVAL);
        }
    }

    ConnectorDefinition connector(String file) {
        return Objects.requireNonNull(connectors.get(file), file + " was not submitted");
    }

    /** Changes keys of a running connector (PUT /connectors/<name>/config), as an operator would. */
    void reconfigure(String file, Map<String, String> overrides) {
        ConnectorDefinition changed = connector(file).with(overrides);
        var response = connect.rest("PUT", "connectors/" + changed.name() + "/config", changed.configJson());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError("reconfigure " + changed.name() + ": " + response.body());
        }
        connectors.put(file, changed);
        connect.awaitRunning(changed.name(), tasks(changed), ARRIVAL);
    }

    private static int tasks(ConnectorDefinition connector) {
        // The Salesforce source deals its objects over its tasks; every other connector runs one task here.
        return connector.config().get("connector.class").endsWith("SalesforceSourceConnector")
                ? Math.min(Integer.parseInt(connector.config().get("tasks.max")),
                connector.config().get("salesforce.objects").split(",").length)
                : 1;
    }

    static Path pluginArchive(String module) {
        Path target = Path.of("..", module, "target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().matches(module + "-.*-plugin\\.zip"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("No plugin archive in " + target
                            + ": build it first (mvn -pl examples -am package, then verify)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------ Postgres side

    /** The row of {@code salesforce.<table>} with that key. */
    Optional<Map<String, Object>> row(String table, String key) {
        return postgres.queryOne("SELECT * FROM salesforce." + table + " WHERE sync_key = ?", key);
    }

    Map<String, Object> awaitRow(String table, String key, Predicate<Map<String, Object>> condition) {
        return Polling.awaitValue("row " + key + " of " + table, ARRIVAL, Duration.ofMillis(25),
                () -> row(table, key).filter(condition), () -> "row: " + row(table, key) + "; " + status());
    }

    void awaitNoRow(String table, String key) {
        Polling.await("row " + key + " of " + table + " gone", ARRIVAL, Duration.ofMillis(25),
                () -> row(table, key).isEmpty(), () -> "row: " + row(table, key) + "; " + status());
    }

    /** INSERTs a row as an application would (the key from the column default); returns its sync_key. */
    String insert(String table, Map<String, ?> columns) {
        String names = String.join(", ", columns.keySet());
        String marks = columns.keySet().stream().map(c -> "?").collect(Collectors.joining(", "));
        return (String) postgres.query("INSERT INTO salesforce." + table + " (" + names + ") VALUES (" + marks
                + ") RETURNING sync_key", columns.values().toArray()).get(0).get("sync_key");
    }

    /** UPDATEs columns of one row as an application would. */
    void update(String table, String key, Map<String, ?> columns) {
        String sets = columns.keySet().stream().map(c -> c + " = ?").collect(Collectors.joining(", "));
        List<Object> parameters = new ArrayList<>(columns.values());
        parameters.add(key);
        int rows = postgres.execute("UPDATE salesforce." + table + " SET " + sets + " WHERE sync_key = ?",
                parameters.toArray());
        if (rows != 1) {
            throw new AssertionError("UPDATE of " + key + " in " + table + " touched " + rows + " rows");
        }
    }

    void delete(String table, String key) {
        postgres.execute("DELETE FROM salesforce." + table + " WHERE sync_key = ?", key);
    }

    /** Row writes recorded for that key since the start, by role ({@code sfsync_writer} = the sync). */
    long writes(String key, String role) {
        return ((Number) postgres.query("SELECT count(*) AS n FROM loop_test.writes WHERE sync_key = ? AND by_role = ?",
                key, role).get(0).get("n")).longValue();
    }

    /** Every row write the sync (the JDBC sink, as sfsync_writer) made on the synced tables since the start. */
    long syncWrites() {
        return ((Number) postgres.query("SELECT count(*) AS n FROM loop_test.writes WHERE by_role = ?", WRITER)
                .get(0).get("n")).longValue();
    }

    /** The sfsync_conflicts rows (empty while the conflicts sink has not created the table). */
    List<Map<String, Object>> conflicts() {
        return postgres.tableExists("salesforce.sfsync_conflicts")
                ? postgres.query("SELECT * FROM salesforce.sfsync_conflicts") : List.of();
    }

    // ------------------------------------------------------------------------------------------ the loop

    /**
     * What changes when the loop does anything: Salesforce API write calls (the Salesforce sink's), Postgres row
     * writes by the sync (the JDBC sink's), conflict rows. The tests' own edits are not counted.
     */
    record Activity(long salesforceWrites, long postgresWrites, long conflicts) {
    }

    Activity activity() {
        return new Activity(salesforce.apiWriteCalls(), syncWrites(), conflicts().size());
    }

    /**
     * Waits until nothing has changed for {@link #QUIET}: no Salesforce write, no Postgres row write, no conflict
     * row. A loop that echoes never gets there, so this fails (bounded) instead of hanging.
     */
    Activity awaitQuiet() {
        Activity[] last = {activity()};
        long[] since = {System.nanoTime()};
        Polling.await("the loop to go quiet for " + QUIET.toMillis() + " ms", ARRIVAL.multipliedBy(2),
                Duration.ofMillis(100), () -> {
                    Activity now = activity();
                    if (!now.equals(last[0])) {
                        last[0] = now;
                        since[0] = System.nanoTime();
                        return false;
                    }
                    return System.nanoTime() - since[0] >= QUIET.toNanos();
                }, () -> "last activity " + last[0] + "; " + status());
        return last[0];
    }

    /** Salesforce records of an object whose External_Id__c (the Postgres key of rows created in Postgres) is key. */
    List<Map<String, Object>> salesforceByKey(String object, String key) {
        return salesforce.recordsByExternalId(object, key);
    }

    /** Waits until the live Salesforce record with that Id satisfies the condition; returns it. */
    Map<String, Object> awaitRecord(String object, String id, Predicate<Map<String, Object>> condition) {
        return Polling.awaitValue(object + " " + id + " in Salesforce", ARRIVAL, Duration.ofMillis(25),
                () -> salesforce.record(object, id).filter(condition),
                () -> "record: " + salesforce.record(object, id) + "; " + status());
    }

    /** Waits until Salesforce has no live record with that Id (deleted: in the recycle bin). */
    void awaitNoRecord(String object, String id) {
        Polling.await(object + " " + id + " deleted in Salesforce", ARRIVAL, Duration.ofMillis(25),
                () -> salesforce.record(object, id).isEmpty(), this::status);
    }

    /**
     * Pauses both connectors that cross between the systems (the Salesforce source and the Salesforce sink), so
     * edits made now on both sides are concurrent: neither side sees the other's edit until {@link #resumeCrossing}.
     * Debezium's Postgres source keeps running, so the SMT sees the Postgres edits (and remembers them) first.
     */
    void pauseCrossing() {
        for (String file : List.of(ExampleConnectors.SALESFORCE_SOURCE, ExampleConnectors.SALESFORCE_SINK)) {
            String name = connector(file).name();
            connect.pauseConnector(name);
            Polling.await(name + " paused", ARRIVAL, Duration.ofMillis(50), () -> {
                ConnectFixture.ConnectorStatus status = connect.connectorStatus(name);
                return "PAUSED".equals(status.state()) && !status.tasks().isEmpty()
                        && status.tasks().stream().allMatch(t -> "PAUSED".equals(t.state()));
            }, this::status);
        }
    }

    void resumeCrossing() {
        for (String file : List.of(ExampleConnectors.SALESFORCE_SINK, ExampleConnectors.SALESFORCE_SOURCE)) {
            connect.resumeConnector(connector(file).name());
        }
        for (String file : List.of(ExampleConnectors.SALESFORCE_SINK, ExampleConnectors.SALESFORCE_SOURCE)) {
            connect.awaitRunning(connector(file).name(), tasks(connector(file)), ARRIVAL);
        }
    }

    /** The sfsync_conflicts rows of one row (by its key) and column. */
    List<Map<String, Object>> conflicts(String key, String column) {
        return conflicts().stream().filter(c -> String.valueOf(c.get("record_key")).contains(key)
                && column.equals(c.get("column_name"))).toList();
    }

    /** The change event header of the latest change event of a record (the org's own view of the last write). */
    Map<?, ?> lastChangeHeader(String object, String id) {
        ChangeEvent event = emulator.events().after(0, Set.of(object), 1_000_000)
                .stream().filter(e -> e.recordIds().contains(id)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no change event for " + id));
        return (Map<?, ?>) ((Map<?, ?>) event.data().get("payload")).get("ChangeEventHeader");
    }

    /** Every connector's status, for failure messages. */
    String status() {
        return connectors.values().stream().map(c -> String.valueOf(connect.connectorStatus(c.name())))
                .collect(Collectors.joining("; "));
    }

    @Override
    public void close() {
        closeQuietly(connect, postgres, emulator);
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("closing " + resource + ": " + e);
                }
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static final String AUDIT_SQL = """
            CREATE SCHEMA loop_test;
            CREATE TABLE loop_test.writes (
                n bigserial PRIMARY KEY, tbl text, sync_key text, op text, by_role text, sync_version text,
                row_data jsonb, at timestamptz DEFAULT clock_timestamp());
            CREATE FUNCTION loop_test.record_write() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    INSERT INTO loop_test.writes (tbl, sync_key, op, by_role)
                    VALUES (TG_TABLE_NAME, OLD.sync_key, TG_OP, session_user);
                ELSE
                    INSERT INTO loop_test.writes (tbl, sync_key, op, by_role, sync_version, row_data)
                    VALUES (TG_TABLE_NAME, NEW.sync_key, TG_OP, session_user, NEW._sync_version, to_jsonb(NEW));
                END IF;
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER loop_test_writes AFTER INSERT OR UPDATE OR DELETE ON salesforce.account
                FOR EACH ROW EXECUTE FUNCTION loop_test.record_write();
            CREATE TRIGGER loop_test_writes AFTER INSERT OR UPDATE OR DELETE ON salesforce.contact
                FOR EACH ROW EXECUTE FUNCTION loop_test.record_write();
            """;
}
