package io.sfsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kit end to end with real components only: a Postgres table, captured by Debezium's Postgres source (pgoutput),
 * through Kafka, written by Debezium's JDBC sink into a copy table of the same Postgres. The connector JSON files are
 * submitted through the REST API as a user would; only the addresses known at test time are overridden.
 */
class DebeziumRoundTripIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    private static PostgresFixture postgres;
    private static ConnectFixture connect;

    @BeforeAll
    static void startPipeline() {
        long started = System.nanoTime();
        PluginPath plugins = PluginPath.debezium();
        long pluginMillis = (System.nanoTime() - started) / 1_000_000;
        postgres = PostgresFixture.start();
        postgres.executeScript("""
                CREATE TABLE smoke_customers (id int PRIMARY KEY, name text NOT NULL, city text);
                ALTER TABLE smoke_customers REPLICA IDENTITY FULL;
                CREATE TABLE smoke_evolving (id int PRIMARY KEY, name text);
                ALTER TABLE smoke_evolving REPLICA IDENTITY FULL;
                CREATE TABLE smoke_latency (id int PRIMARY KEY, note text);
                ALTER TABLE smoke_latency REPLICA IDENTITY FULL
                """);
        connect = ConnectFixture.builder().pluginPath(plugins).start();

        connect.createConnector(config("pg-source.json"), postgres.debeziumSourceConnection());
        connect.createConnector(config("jdbc-sink.json"), postgres.jdbcSinkConnection());
        connect.awaitRunning("smoke-pg-source", 1, Duration.ofSeconds(60));
        connect.awaitRunning("smoke-jdbc-sink", 1, Duration.ofSeconds(60));
        long pipelineMillis = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("[testkit] plugin.path ready: %d ms; PostgreSQL start: %d ms; Connect cluster start: %d ms;"
                        + " whole pipeline running: %d ms%n",
                pluginMillis, postgres.startupMillis(), connect.startupMillis(), pipelineMillis);
    }

    @AfterAll
    static void stopPipeline() {
        if (connect != null) {
            connect.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void insertUpdateAndDeleteArriveInTheCopyTable() {
        postgres.execute("INSERT INTO smoke_customers VALUES (1, 'Acme', 'Berlin'), (2, 'Globex', 'Oslo')");
        awaitRow("smoke_customers_copy", 1, row -> "Acme".equals(row.get("name")));
        awaitRow("smoke_customers_copy", 2, row -> "Oslo".equals(row.get("city")));

        postgres.execute("UPDATE smoke_customers SET city = NULL, name = 'Acme Corp' WHERE id = 1");
        Map<String, Object> updated = awaitRow("smoke_customers_copy", 1, row -> "Acme Corp".equals(row.get("name")));
        assertThat(updated).containsEntry("city", null);

        postgres.execute("DELETE FROM smoke_customers WHERE id = 2");
        Polling.await("row 2 deleted from smoke_customers_copy", ARRIVAL,
                () -> postgres.queryOne("SELECT id FROM smoke_customers_copy WHERE id = 2").isEmpty());
        assertThat(postgres.query("SELECT id, name, city FROM smoke_customers_copy ORDER BY id"))
                .containsExactly(row(1, "Acme Corp", null));
    }

    @Test
    void columnAddedAtTheSourceAppearsAtTheTarget() {
        postgres.execute("INSERT INTO smoke_evolving VALUES (1, 'before')");
        awaitRow("smoke_evolving_copy", 1, row -> "before".equals(row.get("name")));

        postgres.execute("ALTER TABLE smoke_evolving ADD COLUMN phone text");
        postgres.execute("INSERT INTO smoke_evolving VALUES (2, 'after', '+49 30 1234')");

        Map<String, Object> row = awaitRow("smoke_evolving_copy", 2, r -> "after".equals(r.get("name")));
        assertThat(row).containsEntry("phone", "+49 30 1234");
        assertThat(postgres.columns("smoke_evolving_copy")).contains("phone");
    }

    @Test
    void changeToRowLatencyIsPrinted() {
        postgres.execute("INSERT INTO smoke_latency VALUES (0, 'warm-up')");
        awaitRow("smoke_latency_copy", 0, row -> true);

        List<Long> millis = new ArrayList<>();
        for (int id = 1; id <= 20; id++) {
            long committed = System.nanoTime();
            postgres.execute("INSERT INTO smoke_latency VALUES (?, 'measured')", id);
            awaitRow("smoke_latency_copy", id, row -> true, Duration.ofMillis(2));
            millis.add((System.nanoTime() - committed) / 1_000_000);
        }

        Collections.sort(millis);
        System.out.printf("[testkit] Debezium change -> copy row latency over %d single-row commits:"
                        + " min %d ms, median %d ms, p90 %d ms, max %d ms%n", millis.size(), millis.get(0),
                millis.get(millis.size() / 2), millis.get(millis.size() * 9 / 10 - 1), millis.get(millis.size() - 1));
        assertThat(postgres.query("SELECT count(*) AS n FROM smoke_latency_copy")).containsExactly(Map.of("n", 21L));
    }

    @Test
    void workerWithoutExactlyOnceSupportRejectsAConnectorThatRequiresIt() {
        assertThat(ExactlyOnceProbe.errorsWhenRequired(connect)).isNotEmpty();
    }

    private static Map<String, Object> awaitRow(String table, int id, Predicate<Map<String, Object>> condition) {
        return awaitRow(table, id, condition, Polling.DEFAULT_INTERVAL);
    }

    private static Map<String, Object> awaitRow(String table, int id,
                                                Predicate<Map<String, Object>> condition,
                                                Duration interval) {
        return Polling.awaitValue("row " + id + " in " + table, ARRIVAL, interval,
                () -> postgres.tableExists(table)
                        ? postgres.queryOne("SELECT * FROM " + table + " WHERE id = ?", id).filter(condition)
                        : Optional.empty(),
                () -> "connectors: " + connect.connectorStatus("smoke-pg-source") + "; "
                        + connect.connectorStatus("smoke-jdbc-sink"));
    }

    private static Map<String, Object> row(int id, String name, String city) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("city", city);
        return row;
    }

    private static Path config(String file) {
        try {
            return Path.of(DebeziumRoundTripIT.class.getResource("/connectors/" + file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot read connector file " + file, e);
        }
    }
}
