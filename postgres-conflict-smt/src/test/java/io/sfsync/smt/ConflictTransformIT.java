package io.sfsync.smt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.testkit.ConnectFixture;
import io.sfsync.testkit.PluginPath;
import io.sfsync.testkit.Polling;
import io.sfsync.testkit.PostgresFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end with real components: Postgres → Debezium's Postgres source with our transform loaded from its packaged
 * plugin zip on plugin.path → Kafka; conflicts → Debezium's JDBC sink → the {@code sfsync_conflicts} table. The
 * Salesforce-to-Postgres path is simulated by the SQL it would run: an UPDATE that changes the markers with the
 * columns. (Main classes are kept off this test's class path: only the plugin zip provides the transform.)
 */
class ConflictTransformIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final String TOPIC = "pg.public.account";

    private static PostgresFixture postgres;
    private static ConnectFixture connect;

    @BeforeAll
    static void startPipeline() {
        PluginPath plugins = PluginPath.builder().withDebeziumPostgres().withDebeziumJdbc().addArchive(pluginZip())
                .build();
        postgres = PostgresFixture.start();
        postgres.executeScript("""
                CREATE TABLE account (id text PRIMARY KEY, name text, rating text, sfid text,
                                      _sync_version text, _sync_modified_at timestamp, _sync_fields text,
                                      _sync_deleted boolean);
                ALTER TABLE account REPLICA IDENTITY FULL
                """);
        connect = ConnectFixture.builder().pluginPath(plugins).start();
        connect.createTopic("sfsync_conflicts", 1);
        Map<String, String> source = new HashMap<>(postgres.debeziumSourceConnection());
        source.put("transforms.conflicts.conflicts.bootstrap.servers", connect.bootstrapServers());
        connect.createConnector(config("pg-source.json"), source);
        connect.createConnector(config("conflicts-jdbc-sink.json"), postgres.jdbcSinkConnection());
        connect.awaitRunning("pg-source", 1, ARRIVAL);
        connect.awaitRunning("sfsync-conflicts-jdbc-sink", 1, ARRIVAL);
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
    void pluginIsLoadedFromItsArchive() {
        assertThat(connect.pluginClasses()).contains("io.sfsync.smt.PostgresConflictTransform");
    }

    @Test
    void connectValidationReportsABadPolicyOnItsKey() {
        Map<String, String> config = new HashMap<>(postgres.debeziumSourceConnection());
        config.put("topic.prefix", "pg");
        config.put("transforms", "conflicts");
        config.put("transforms.conflicts.type", "io.sfsync.smt.PostgresConflictTransform");
        config.put("transforms.conflicts.conflict.policy", "last-writer-wins");

        JsonNode reply = connect.validate("io.debezium.connector.postgresql.PostgresConnector", config);

        List<String> errors = new ArrayList<>();
        reply.path("configs").forEach(entry -> {
            if ("transforms.conflicts.conflict.policy".equals(entry.path("value").path("name").asText())) {
                entry.path("value").path("errors").forEach(error -> errors.add(error.asText()));
            }
        });
        assertThat(errors).singleElement().asString().contains("salesforce-wins");
    }

    @Test
    void postgresUpdatesReachTheTopicWithHeadersAndSalesforceWritesDoNot() {
        // the sync creates the row from Salesforce (dropped), a user changes the rating (forwarded), the sync
        // writes a Salesforce change of the name (dropped), the user changes the rating again (forwarded)
        postgres.execute("INSERT INTO account (id, name, rating, sfid, _sync_version, _sync_modified_at, "
                + "_sync_fields, _sync_deleted) VALUES ('loop-1', 'Acme', 'Hot', '001A', 'cdc:1', "
                + "now() - interval '1 hour', '*', false)");
        postgres.execute("UPDATE account SET rating = 'Warm' WHERE id = 'loop-1'");
        postgres.execute("UPDATE account SET name = 'Acme Corp', _sync_version = 'cdc:2', _sync_fields = 'name', "
                + "_sync_modified_at = now() - interval '30 minutes' WHERE id = 'loop-1'");
        postgres.execute("UPDATE account SET rating = 'Cold' WHERE id = 'loop-1'");

        List<ConsumerRecord<byte[], byte[]>> records = awaitRecordsOf("loop-1", 2);

        assertThat(records).hasSize(2);
        assertThat(records).allSatisfy(record -> {
            assertThat(ConnectFixture.headerAsString(record, "sync.origin")).isEqualTo("postgres");
            assertThat(ConnectFixture.headerAsString(record, "sync.changed.columns")).isEqualTo("rating");
            assertThat(ConnectFixture.headerAsString(record, "sync.change.ts")).matches("\\d{13}");
            assertThat(ConnectFixture.headerAsString(record, "sync.conflict.resolution")).isNull();
        });
        assertThat(ConnectFixture.valueAsString(records.get(0))).contains("\"rating\":\"Warm\"");
        assertThat(ConnectFixture.valueAsString(records.get(1))).contains("\"rating\":\"Cold\"")
                .contains("\"name\":\"Acme Corp\"");
    }

    @Test
    void concurrentSameColumnEditIsAConflictLandedInTheConflictsTable() {
        postgres.execute("INSERT INTO account (id, name, rating, sfid, _sync_version, _sync_modified_at, "
                + "_sync_fields, _sync_deleted) VALUES ('conflict-1', 'Globex', 'Hot', '001B', 'cdc:10', "
                + "now() - interval '1 hour', '*', false)");
        postgres.execute("UPDATE account SET rating = 'Warm' WHERE id = 'conflict-1'");
        // Salesforce changed the rating too, after the row the user edited (not a stale read)
        postgres.execute("UPDATE account SET rating = 'Cold', _sync_version = 'cdc:11', _sync_fields = 'rating', "
                + "_sync_modified_at = now() WHERE id = 'conflict-1'");

        List<ConsumerRecord<byte[], byte[]>> records = awaitRecordsOf("conflict-1", 2);
        assertThat(records).hasSize(2);
        ConsumerRecord<byte[], byte[]> writeBack = records.get(1);
        assertThat(ConnectFixture.headerAsString(writeBack, "sync.conflict.resolution")).isEqualTo("salesforce-wins");
        assertThat(ConnectFixture.headerAsString(writeBack, "sync.changed.columns")).isEqualTo("rating");
        assertThat(ConnectFixture.valueAsString(writeBack)).contains("\"rating\":\"Cold\"");

        Map<String, Object> conflict = Polling.awaitValue("conflict row in sfsync_conflicts", ARRIVAL,
                () -> postgres.tableExists("sfsync_conflicts")
                        ? postgres.queryOne("SELECT * FROM sfsync_conflicts WHERE record_key = 'conflict-1'")
                        : Optional.empty());
        assertThat(conflict).containsEntry("source_topic", TOPIC).containsEntry("sfid", "001B")
                .containsEntry("column_name", "rating").containsEntry("postgres_value", "Warm")
                .containsEntry("salesforce_value", "Cold").containsEntry("policy", "salesforce-wins")
                .containsEntry("winner", "salesforce");
        assertThat(conflict.get("conflict_id")).asString().hasSize(32);
        assertThat(conflict.get("postgres_changed_at")).isNotNull();
        assertThat(conflict.get("salesforce_changed_at")).isNotNull();
        assertThat(conflict.get("detected_at")).isNotNull();
    }

    /** The records of one row on the table's topic, waiting (bounded) until at least {@code count} arrived. */
    private static List<ConsumerRecord<byte[], byte[]>> awaitRecordsOf(String id, int count) {
        String keyFragment = "\"id\":\"" + id + "\"";
        AtomicReference<List<ConsumerRecord<byte[], byte[]>>> seen = new AtomicReference<>(List.of());
        Polling.await(count + " records of " + id + " on " + TOPIC, ARRIVAL, Duration.ofMillis(200), () -> {
            seen.set(connect.consume(Integer.MAX_VALUE, Duration.ofSeconds(2), TOPIC).stream()
                    .filter(record -> record.key() != null
                            && new String(record.key(), StandardCharsets.UTF_8).contains(keyFragment))
                    .toList());
            return seen.get().size() >= count;
        }, () -> "seen " + seen.get().size());
        return seen.get();
    }

    private static Path config(String name) {
        return Path.of("src/test/resources/connectors", name);
    }

    private static Path pluginZip() {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("postgres-conflict-smt-.*-plugin\\.zip"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("run mvn package first: no plugin zip"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
