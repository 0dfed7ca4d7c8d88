package io.sfsync.source;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.write.SObjectRecord;
import io.sfsync.testkit.ConnectFixture;
import io.sfsync.testkit.PluginPath;
import io.sfsync.testkit.Polling;
import io.sfsync.testkit.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Salesforce (emulator) → our packaged source connector → Kafka → the real Debezium JDBC sink → real Postgres,
 * with the connector JSON files users would submit. Fixtures start once for the class.
 */
class SalesforceToPostgresIT {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = TestSupport.emulator();
    static final Duration ARRIVAL = Duration.ofSeconds(60);
    static final String SOURCE = "salesforce-source";
    static final String SINK = "salesforce-postgres-sink";

    static PostgresFixture postgres;
    static ConnectFixture connect;
    static SalesforceClient sf;
    static String seededWithKey;
    static String seededWithoutKey;
    static final String KEY = "pg-" + UUID.randomUUID();

    @BeforeAll
    static void startPipeline() throws IOException {
        SalesforceEmulator emulator = SALESFORCE.emulator();
        sf = TestSupport.client(emulator, "someone-else");
        // Existing data, for the snapshot.
        seededWithKey = sf.records().create("Account", Map.of("Name", "Seeded", "External_Id__c", KEY,
                "BillingCity", "Paris", "Phone", "+33 1", "AnnualRevenue", new BigDecimal("12345678901234.00")));
        seededWithoutKey = sf.records().create("Account", Map.of("Name", "No key", "BillingCity", "Oslo"));

        postgres = PostgresFixture.start();
        connect = ConnectFixture.builder().pluginPath(PluginPath.builder().withDebeziumJdbc()
                .addArchive(pluginArchive()).build()).start();
        connect.createConnector(Path.of("src/test/resources/connectors/postgres-sink.json"),
                postgres.jdbcSinkConnection());
        connect.createConnector(Path.of("src/test/resources/connectors/salesforce-source.json"), Map.of(
                SalesforceSourceConfig.LOGIN_URL, emulator.baseUrl(),
                SalesforceSourceConfig.CLIENT_ID, SalesforceEmulator.CLIENT_ID,
                SalesforceSourceConfig.CLIENT_SECRET, SalesforceEmulator.CLIENT_SECRET));
        connect.awaitRunning(SINK, 1, ARRIVAL);
        connect.awaitRunning(SOURCE, 2, ARRIVAL);
    }

    static Path pluginArchive() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("salesforce-source-.*-plugin\\.zip"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("run mvn package first"));
        }
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (sf != null) {
            sf.close();
        }
    }

    static Map<String, Object> awaitRow(String table, String key, Predicate<Map<String, Object>> condition) {
        return Polling.awaitValue("row " + key + " in " + table, ARRIVAL, Duration.ofMillis(50),
                () -> postgres.tableExists(table)
                        ? postgres.queryOne("SELECT * FROM " + table + " WHERE sync_key = ?", key).filter(condition)
                        : Optional.empty(),
                () -> "source: " + connect.connectorStatus(SOURCE) + "; sink: " + connect.connectorStatus(SINK)
                        + "; row: " + (postgres.tableExists(table) ? postgres.queryOne(
                        "SELECT * FROM " + table + " WHERE sync_key = ?", key) : "no table"));
    }

    static void control(String method, String path, String json) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(SALESFORCE.emulator().baseUrl() + path))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void snapshotArrivesKeyedBySyncKeyWithTypedColumns() {
        Map<String, Object> row = awaitRow("account", KEY, r -> true);
        assertThat(row).containsEntry("sfid", seededWithKey).containsEntry("name", "Seeded")
                .containsEntry("billingcity", "Paris").containsEntry("external_id__c", KEY);
        assertThat(new BigDecimal(row.get("annualrevenue").toString())).isEqualByComparingTo("12345678901234");
        assertThat(postgres.columns("account")).contains("sync_key", "sfid", "billingstreet", "systemmodstamp")
                .doesNotContain("description", "billingaddress");
        awaitRow("account", seededWithoutKey, r -> "Oslo".equals(r.get("billingcity")));
    }

    @Test
    void updateChangesOnlyItsColumnsAndNullsBecomeNull() {
        String key = "pg-" + UUID.randomUUID();
        String id = sf.records().create("Account", Map.of("Name", "Partial", "External_Id__c", key,
                "BillingCity", "Rome", "Phone", "+39 06"));
        awaitRow("account", key, r -> "Rome".equals(r.get("billingcity")));
        // A column changed only in Postgres: an UPDATE that does not carry it must leave it alone.
        postgres.execute("UPDATE account SET site = 'set in postgres' WHERE sync_key = ?", key);
        sf.records().update("Account", id, Map.of("BillingCity", "Milan"));
        Map<String, Object> row = awaitRow("account", key, r -> "Milan".equals(r.get("billingcity")));
        assertThat(row).containsEntry("site", "set in postgres").containsEntry("phone", "+39 06")
                .containsEntry("name", "Partial");

        Map<String, Object> nullPhone = new HashMap<>();
        nullPhone.put("Phone", null);
        sf.records().update("Account", id, nullPhone);
        row = awaitRow("account", key, r -> r.get("phone") == null);
        assertThat(row).containsEntry("billingcity", "Milan").containsEntry("site", "set in postgres");
    }

    @Test
    void deleteRemovesTheRowAndUndeleteRestoresIt() {
        String id = sf.records().create("Contact", Map.of("LastName", "Gone"));
        awaitRow("contact", id, r -> "Gone".equals(r.get("lastname")));
        sf.records().delete("Contact", id);
        Polling.await("contact row deleted", ARRIVAL,
                () -> postgres.queryOne("SELECT 1 FROM contact WHERE sync_key = ?", id).isEmpty());
        control("POST", "/emulator/records/Contact/" + id + "/undelete", null);
        awaitRow("contact", id, r -> "Gone".equals(r.get("lastname")));
    }

    @Test
    void oneChangeToManyRecordsUpdatesEveryRow() {
        List<SObjectRecord> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(SObjectRecord.of("Account", Map.of("Name", "Fan-" + i)));
        }
        List<String> ids = sf.collections().create(records).stream().map(o -> o.id()).toList();
        ids.forEach(id -> awaitRow("account", id, r -> true));
        // One UI mass update: one transaction, so CDC publishes one event whose recordIds name all five.
        control("POST", "/emulator/records/Account/batch", "{\"operation\":\"update\",\"records\":["
                + String.join(",", ids.stream().map(id -> "{\"Id\":\"" + id + "\",\"Rating\":\"Hot\"}").toList())
                + "]}");
        ids.forEach(id -> awaitRow("account", id, r -> "Hot".equals(r.get("rating"))));
    }

    @Test
    void aCustomFieldAddedInSalesforceBecomesAColumnWithoutARestart() {
        String key = "pg-" + UUID.randomUUID();
        String id = sf.records().create("Account", Map.of("Name", "Evolving", "External_Id__c", key));
        awaitRow("account", key, r -> true);
        control("POST", "/emulator/schema/Account/fields",
                "{\"name\":\"Segment__c\",\"type\":\"string\",\"length\":40,\"label\":\"Segment\"}");
        sf.records().update("Account", id, Map.of("Segment__c", "Enterprise"));
        Map<String, Object> row = awaitRow("account", key, r -> "Enterprise".equals(r.get("segment__c")));
        assertThat(row).containsEntry("name", "Evolving");
        assertThat(connect.connectorStatus(SOURCE).isRunning(2)).isTrue();
    }

    @Test
    void stoppedAndResumedConnectorDeliversChangesMadeWhileItWasDown() {
        String id = sf.records().create("Contact", Map.of("LastName", "Before stop"));
        awaitRow("contact", id, r -> true);
        assertThat(connect.rest("PUT", "/connectors/" + SOURCE + "/stop", null).statusCode()).isBetween(200, 299);
        Polling.await("source stopped", ARRIVAL, () -> "STOPPED".equals(connect.connectorStatus(SOURCE).state()));
        sf.records().update("Contact", id, Map.of("Title", "Changed while stopped"));
        String created = sf.records().create("Contact", Map.of("LastName", "Created while stopped"));
        connect.resumeConnector(SOURCE);
        connect.awaitRunning(SOURCE, 2, ARRIVAL);
        awaitRow("contact", id, r -> "Changed while stopped".equals(r.get("title")));
        awaitRow("contact", created, r -> true);
    }
}
