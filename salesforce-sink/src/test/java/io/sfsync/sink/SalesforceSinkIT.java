package io.sfsync.sink;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.auth.SalesforceCredentials;
import io.sfsync.salesforce.auth.Secret;
import io.sfsync.salesforce.budget.GovernorRegistry;
import io.sfsync.salesforce.write.SObjectRecord;
import io.sfsync.testkit.ConnectFixture;
import io.sfsync.testkit.PluginPath;
import io.sfsync.testkit.Polling;
import io.sfsync.testkit.PostgresFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end with real components: Postgres → Debezium Postgres source → Kafka → our packaged sink (from its plugin
 * zip on plugin.path) → the emulator. The connector JSON files are submitted as users would, with only the
 * addresses known at test time overridden.
 */
class SalesforceSinkIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final String SINK = "salesforce-sink";

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension(b -> b.dailyApiRequests(1_000_000));

    private static PostgresFixture postgres;
    private static ConnectFixture connect;

    @BeforeAll
    static void startPipeline() {
        PluginPath plugins = PluginPath.builder().withDebeziumPostgres().withDebeziumJdbc().addArchive(pluginZip())
                .build();
        postgres = PostgresFixture.start();
        postgres.executeScript("""
                CREATE TABLE account (id text PRIMARY KEY, name text, rating text, phone text, sfid text,
                                      _sync_origin text);
                ALTER TABLE account REPLICA IDENTITY FULL
                """);
        connect = ConnectFixture.builder().pluginPath(plugins).start();
        connect.createConnector(config("pg-source.json"), postgres.debeziumSourceConnection());
        connect.awaitRunning("pg-source", 1, ARRIVAL);
        // No errors topic yet: the sink's task creates it (with the JSON's sync.errors.topic.partitions). The JDBC
        // sink that reads it starts after that, or its consumer could auto-create the topic first.
        Map<String, String> sink = sinkOverrides(SF.emulator());
        sink.put("sync.errors.bootstrap.servers", connect.bootstrapServers());
        connect.createConnector(config("salesforce-sink.json"), sink);
        connect.awaitRunning(SINK, 1, ARRIVAL);
        Polling.await("the sink creating the errors topic", ARRIVAL, () -> {
            try (var admin = connect.admin()) {
                return admin.listTopics().names().get().contains("sfsync_errors");
            } catch (Exception e) {
                return false;
            }
        });
        connect.createConnector(config("errors-jdbc-sink.json"), postgres.jdbcSinkConnection());
        connect.awaitRunning("sfsync-errors-jdbc-sink", 1, ARRIVAL);
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

    @BeforeEach
    void healthyOrg() {
        SF.emulator().faults().reset();
    }

    static Map<String, String> sinkOverrides(SalesforceEmulator sf) {
        Map<String, String> m = new HashMap<>();
        m.put("salesforce.login.url", sf.baseUrl());
        m.put("salesforce.client.id", SalesforceEmulator.CLIENT_ID);
        m.put("salesforce.client.secret", SalesforceEmulator.CLIENT_SECRET);
        return m;
    }

    // -------------------------------------------------------------------------------------------- scenarios

    @Test
    void insertUpdateAndDeleteReachSalesforce() {
        postgres.execute("INSERT INTO account (id, name, rating, phone) VALUES ('iud-1', 'Acme', 'Hot', '555-PG')");
        StoredRecord created = awaitAccount("iud-1", r -> "Acme".equals(r.get("Name")));
        assertThat(created.get("Rating")).isEqualTo("Hot");

        // Salesforce changes Phone; Postgres then changes only Rating: Phone must keep Salesforce's value
        try (SalesforceClient admin = adminClient()) {
            admin.collections().update(List.of(SObjectRecord.of("Account", Map.of("Id", created.id(),
                    "Phone", "555-SF"))));
        }
        awaitAccount("iud-1", r -> "555-SF".equals(r.get("Phone")));
        postgres.execute("UPDATE account SET rating = 'Warm' WHERE id = 'iud-1'");
        StoredRecord updated = awaitAccount("iud-1", r -> "Warm".equals(r.get("Rating")));
        assertThat(updated.get("Phone")).isEqualTo("555-SF");
        assertThat(updated.get("Name")).isEqualTo("Acme");

        // the org's own change event for that write: only Rating changed, and it carries the sync's client id
        io.sfsync.emulator.cdc.ChangeEvent event = SF.emulator().events().after(0, Set.of("Account"), 100_000)
                .stream().filter(e -> e.recordIds().contains(created.id()) && "UPDATE".equals(e.changeType()))
                .reduce((a, b) -> b).orElseThrow();
        Map<?, ?> header = (Map<?, ?>) ((Map<?, ?>) event.data().get("payload")).get("ChangeEventHeader");
        assertThat(((List<?>) header.get("changedFields")).stream().map(String::valueOf).toList()).contains("Rating")
                .doesNotContain("Name", "Phone");
        assertThat(String.valueOf(header.get("changeOrigin"))).contains("client=sfsync");

        postgres.execute("DELETE FROM account WHERE id = 'iud-1'");
        Polling.await("iud-1 deleted in Salesforce", ARRIVAL, Polling.DEFAULT_INTERVAL,
                () -> accounts("iud-1").isEmpty(), this::status);
    }

    @Test
    void rejectedValuesGoToTheDeadLetterQueueWithTheirCodeWhileOtherRowsLand() {
        postgres.execute("INSERT INTO account (id, name, rating) VALUES ('rej-ok1', 'Fine', 'Cold'), "
                + "('rej-bad1', 'Lukewarm Inc', 'Lukewarm'), ('rej-bad2', repeat('x', 300), NULL), "
                + "('rej-ok2', 'Also fine', NULL)");
        awaitAccount("rej-ok1", r -> true);
        awaitAccount("rej-ok2", r -> true);

        List<ConsumerRecord<byte[], byte[]>> dlq = connect.consume(2, ARRIVAL, "salesforce-sink-dlq");
        assertThat(dlq).hasSize(2);
        assertThat(dlq).extracting(r -> ConnectFixture.headerAsString(r, "__connect.errors.exception.message"))
                .anySatisfy(m -> assertThat(m).startsWith("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: "))
                .anySatisfy(m -> assertThat(m).startsWith("STRING_TOO_LONG: "));
        // The sink's own headers travel to the DLQ too, with the record as consumed (value and context headers).
        assertThat(dlq).extracting(r -> ConnectFixture.headerAsString(r, SalesforceSinkTask.HEADER_ERROR_CODE))
                .containsExactlyInAnyOrder("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "STRING_TOO_LONG");
        assertThat(dlq).allSatisfy(r -> {
            assertThat(ConnectFixture.headerAsString(r, SalesforceSinkTask.HEADER_ERROR_OBJECT)).isEqualTo("Account");
            assertThat(ConnectFixture.headerAsString(r, SalesforceSinkTask.HEADER_ERROR_MESSAGE)).isNotBlank();
            assertThat(ConnectFixture.headerAsString(r, "__connect.errors.topic")).startsWith("pg.");
            assertThat(ConnectFixture.valueAsString(r)).contains("rej-bad");
        });
        assertThat(accounts("rej-bad1")).isEmpty();
        assertThat(accounts("rej-bad2")).isEmpty();

        // the errors topic lands in a Postgres errors table, one row per rejected record, with the exact code
        Polling.await("two rows in the errors table", ARRIVAL, Polling.DEFAULT_INTERVAL,
                () -> postgres.tableExists("sfsync_errors") && postgres.query(
                        "SELECT 1 FROM sfsync_errors WHERE record_key LIKE 'rej-%'").size() == 2, this::status);
        List<Map<String, Object>> rows = postgres.query("SELECT record_key, sobject, operation, error_code, "
                + "error_message, source_topic FROM sfsync_errors WHERE record_key LIKE 'rej-%' ORDER BY record_key");
        assertThat(rows).extracting(r -> r.get("record_key"), r -> r.get("error_code"), r -> r.get("sobject"),
                        r -> r.get("operation"), r -> r.get("source_topic"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("rej-bad1", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                                "Account", "UPSERT", "pg.public.account"),
                        org.assertj.core.groups.Tuple.tuple("rej-bad2", "STRING_TOO_LONG", "Account", "UPSERT",
                                "pg.public.account"));
        assertThat(rows.get(1).get("error_message").toString()).contains("Name");
    }

    @Test
    void theSinkCreatedTheMissingErrorsTopicWithTheConfiguredPartitions() throws Exception {
        try (var admin = connect.admin()) {
            var description = admin.describeTopics(List.of("sfsync_errors")).allTopicNames()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS).get("sfsync_errors");
            assertThat(description.partitions()).hasSize(2);
        }
    }

    @Test
    void anErrorsTopicThatCannotBeCreatedFailsTheTaskWithAClearMessage() throws IOException {
        String name = "salesforce-sink-unreplicable-errors";
        Map<String, String> sink = sinkOverrides(SF.emulator());
        sink.put("sync.errors.bootstrap.servers", connect.bootstrapServers());
        sink.put("sync.errors.topic", "sfsync_errors_unreplicable");
        sink.put("sync.errors.topic.replication.factor", "3"); // one broker
        // the same JSON under another name (the name is outside the config object the overrides apply to)
        connect.createConnectorFromJson(Files.readString(config("salesforce-sink.json"))
                .replace("\"name\": \"" + SINK + "\"", "\"name\": \"" + name + "\""), sink);
        try {
            String trace = Polling.awaitValue("the task failing", ARRIVAL, () -> Optional.ofNullable(
                    connect.connectorStatus(name)).flatMap(ConnectFixture.ConnectorStatus::failure));
            assertThat(trace).contains("The errors topic sfsync_errors_unreplicable does not exist and could not be "
                    + "created").contains("sync.errors.topic.replication.factor");
        } finally {
            connect.deleteConnector(name);
        }
    }

    @Test
    void a503StormDelaysWritesButLosesAndDuplicatesNothing() {
        SF.emulator().faults().setServerUnavailableRate(1.0);
        postgres.execute("INSERT INTO account (id, name) VALUES ('storm-1', 'During the storm')");
        postgres.execute("INSERT INTO account (id, name) VALUES ('storm-2', 'Also during the storm')");
        Polling.await("the storm rows in Kafka", ARRIVAL, () -> connect.consume(10_000, Duration.ofMillis(500),
                "pg.public.account").stream().anyMatch(r -> String.valueOf(ConnectFixture.valueAsString(r))
                .contains("storm-2")));
        assertThat(accounts("storm-1")).isEmpty();
        long retriesBefore = sinkMetric("api-retries-total");
        Polling.await("the sink retrying in the storm", ARRIVAL, Polling.DEFAULT_INTERVAL,
                () -> sinkMetric("api-retries-total") > retriesBefore + 3, this::status);
        assertThat(accounts("storm-1")).isEmpty();

        SF.emulator().faults().reset();
        awaitAccount("storm-1", r -> true);
        awaitAccount("storm-2", r -> true);
        assertThat(accounts("storm-1")).hasSize(1);
    }

    @Test
    void anExhaustedDailyQuotaDelaysWritesButLosesNothing() {
        var limits = SF.emulator().limits();
        long max = limits.dailyMax();
        limits.setDailyMax(limits.used());
        try {
            long waitsBefore = sinkMetric("budget-waits-total");
            long givenBackBefore = sinkMetric("budget-wait-timeouts-total");
            postgres.execute("INSERT INTO account (id, name) VALUES ('quota-1', 'Over the quota')");
            Polling.await("the sink waiting for budget", ARRIVAL, Polling.DEFAULT_INTERVAL,
                    () -> sinkMetric("budget-waits-total") > waitsBefore, this::status);
            // salesforce.budget.max.wait.ms=2000 in the JSON: the task gives the batch back, the worker redelivers
            Polling.await("the batch given back to the worker twice", ARRIVAL, Polling.DEFAULT_INTERVAL,
                    () -> sinkMetric("budget-wait-timeouts-total") >= givenBackBefore + 2, this::status);
            assertThat(accounts("quota-1")).isEmpty();
            assertThat(connect.connectorStatus(SINK).isRunning(1)).isTrue();
        } finally {
            limits.setDailyMax(max);
        }
        awaitAccount("quota-1", r -> "Over the quota".equals(r.get("Name")));
        assertThat(accounts("quota-1")).hasSize(1);
        assertThat(connect.connectorStatus(SINK).isRunning(1)).isTrue();
    }

    @Test
    void restartingTheConnectorMidStreamCreatesEachRecordOnce() {
        for (int i = 0; i < 20; i++) {
            postgres.execute("INSERT INTO account (id, name) VALUES (?, ?)", "rs-" + i, "Row " + i);
        }
        connect.restartConnector(SINK);
        for (int i = 20; i < 40; i++) {
            postgres.execute("INSERT INTO account (id, name) VALUES (?, ?)", "rs-" + i, "Row " + i);
        }
        connect.awaitRunning(SINK, 1, ARRIVAL);
        for (int i = 0; i < 40; i++) {
            awaitAccount("rs-" + i, r -> true);
        }
        for (int i = 0; i < 40; i++) {
            assertThat(accounts("rs-" + i)).as("rs-" + i).hasSize(1);
        }
    }

    @Test
    void taskMetricsAreInJmx() {
        postgres.execute("INSERT INTO account (id, name) VALUES ('jmx-1', 'Counted')");
        awaitAccount("jmx-1", r -> true);
        Polling.await("records-written-total in JMX", ARRIVAL, () -> sinkMetric("records-written-total") >= 1);
        assertThat(sinkMetric("write-calls-total")).isPositive();
        assertThat(sinkMetric("records-per-call-max")).isPositive();
        assertThat(sinkMetric("budget-remaining")).isPositive();
    }

    // -------------------------------------------------------------------------------------------- helpers

    /** A metric of the sink's task 0, read from the platform MBean server (the worker runs in this JVM). */
    private static long sinkMetric(String name) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> names = server.queryNames(new ObjectName(
                    "kafka.connect:type=plugins,connector=" + SINK + ",task=0"), null);
            if (names.isEmpty()) {
                return -1;
            }
            Object v = server.getAttribute(names.iterator().next(), name);
            return ((Number) v).longValue();
        } catch (Exception e) {
            throw new AssertionError("cannot read metric " + name, e);
        }
    }

    private static SalesforceClient adminClient() {
        return SalesforceClient.builder(new SalesforceCredentials.ClientCredentials(
                        java.net.URI.create(SF.emulator().baseUrl()), SalesforceEmulator.CLIENT_ID,
                        Secret.of(SalesforceEmulator.CLIENT_SECRET)), "admin-in-test")
                .governorRegistry(new GovernorRegistry()).build();
    }

    private static SObjectType accountType() {
        return SF.emulator().schema().find("Account").orElseThrow();
    }

    private static List<StoredRecord> accounts(String key) {
        return SF.emulator().org().records(accountType(), false).filter(r -> key.equals(r.get("External_Id__c")))
                .toList();
    }

    private StoredRecord awaitAccount(String key, java.util.function.Predicate<StoredRecord> condition) {
        return Polling.awaitValue("Account " + key + " in Salesforce", ARRIVAL, Duration.ofMillis(20), () -> {
            List<StoredRecord> found = accounts(key);
            return found.size() == 1 && condition.test(found.get(0)) ? Optional.of(found.get(0)) : Optional.empty();
        }, this::status);
    }

    private String status() {
        return connect.connectorStatus("pg-source") + "; " + connect.connectorStatus(SINK);
    }

    private static Path pluginZip() {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("salesforce-sink-.*-plugin\\.zip"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("run mvn package first: no plugin zip"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path config(String file) {
        try {
            return Path.of(SalesforceSinkIT.class.getResource("/connectors/" + file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
