package io.sfsync.source;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.write.SObjectRecord;
import io.sfsync.testkit.ConnectFixture;
import io.sfsync.testkit.Polling;
import io.sfsync.testkit.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.math.BigDecimal;
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
    static final String SOFT_DELETE_SOURCE = "salesforce-source-soft-delete";

    static PostgresPipeline pipeline;
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

        pipeline = PostgresPipeline.start();
        postgres = pipeline.postgres;
        connect = pipeline.connect;
        connect.createConnector(Path.of("src/test/resources/connectors/salesforce-source.json"), Map.of(
                SalesforceSourceConfig.LOGIN_URL, emulator.baseUrl(),
                SalesforceSourceConfig.CLIENT_ID, SalesforceEmulator.CLIENT_ID,
                SalesforceSourceConfig.CLIENT_SECRET, SalesforceEmulator.CLIENT_SECRET));
        // Lead only, with delete.mode=MARK: deletions stay as rows with _sync_deleted=true.
        connect.createConnector(Path.of("src/test/resources/connectors/salesforce-source-soft-delete.json"), Map.of(
                SalesforceSourceConfig.LOGIN_URL, emulator.baseUrl(),
                SalesforceSourceConfig.CLIENT_ID, SalesforceEmulator.CLIENT_ID,
                SalesforceSourceConfig.CLIENT_SECRET, SalesforceEmulator.CLIENT_SECRET));
        connect.awaitRunning(SINK, 1, ARRIVAL);
        connect.awaitRunning(SOURCE, 2, ARRIVAL);
        connect.awaitRunning(SOFT_DELETE_SOURCE, 1, ARRIVAL);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
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
        TestSupport.control(SALESFORCE.emulator(), method, path, json);
    }

    @Test
    void snapshotArrivesKeyedBySyncKeyWithTypedColumns() {
        Map<String, Object> row = awaitRow("account", KEY, r -> true);
        assertThat(row).containsEntry("sfid", seededWithKey).containsEntry("name", "Seeded")
                .containsEntry("billingcity", "Paris").containsEntry("external_id__c", KEY);
        assertThat(new BigDecimal(row.get("annualrevenue").toString())).isEqualByComparingTo("12345678901234");
        assertThat(postgres.columns("account")).contains("sync_key", "sfid", "billingstreet", "systemmodstamp",
                        "_sync_version", "_sync_modified_at", "_sync_fields", "_sync_deleted")
                .doesNotContain("description", "billingaddress");
        // Read by query: a query version, the row's SystemModstamp, all fields, not deleted.
        assertThat(row.get("_sync_version").toString()).startsWith("query:");
        assertThat(row).containsEntry("_sync_fields", "*").containsEntry("_sync_deleted", false);
        assertThat(row.get("_sync_modified_at")).isEqualTo(row.get("systemmodstamp"));
        awaitRow("account", seededWithoutKey, r -> "Oslo".equals(r.get("billingcity")));
    }

    @Test
    void updateChangesOnlyItsColumnsAndNullsBecomeNull() {
        String key = "pg-" + UUID.randomUUID();
        String id = sf.records().create("Account", Map.of("Name", "Partial", "External_Id__c", key,
                "BillingCity", "Rome", "Phone", "+39 06"));
        Map<String, Object> created = awaitRow("account", key, r -> "Rome".equals(r.get("billingcity")));
        assertThat(created.get("_sync_version").toString()).startsWith("cdc:");
        assertThat(created).containsEntry("_sync_fields", "*").containsEntry("_sync_deleted", false);
        assertThat(created.get("_sync_modified_at")).isNotNull();
        // A column changed only in Postgres: an UPDATE that does not carry it must leave it alone.
        postgres.execute("UPDATE account SET site = 'set in postgres' WHERE sync_key = ?", key);
        sf.records().update("Account", id, Map.of("BillingCity", "Milan"));
        Map<String, Object> row = awaitRow("account", key, r -> "Milan".equals(r.get("billingcity")));
        assertThat(row).containsEntry("site", "set in postgres").containsEntry("phone", "+39 06")
                .containsEntry("name", "Partial");
        // Every write of the sync changes the version; _sync_fields names the columns this UPDATE set.
        assertThat(row.get("_sync_version").toString()).startsWith("cdc:").isNotEqualTo(created.get("_sync_version"));
        assertThat(List.of(row.get("_sync_fields").toString().split(","))).contains("billingcity")
                .doesNotContain("name", "phone", "site", "sfid", "*");
        assertThat(row).containsEntry("_sync_deleted", false);

        Map<String, Object> nullPhone = new HashMap<>();
        nullPhone.put("Phone", null);
        sf.records().update("Account", id, nullPhone);
        Map<String, Object> nulled = awaitRow("account", key, r -> r.get("phone") == null);
        assertThat(nulled).containsEntry("billingcity", "Milan").containsEntry("site", "set in postgres");
        assertThat(nulled.get("_sync_version")).isNotEqualTo(row.get("_sync_version"));
        assertThat(List.of(nulled.get("_sync_fields").toString().split(","))).contains("phone")
                .doesNotContain("billingcity");
    }

    @Test
    void deleteWritesTheMarkerThenRemovesTheRowAndUndeleteRestoresIt() {
        String id = sf.records().create("Contact", Map.of("LastName", "Gone"));
        awaitRow("contact", id, r -> "Gone".equals(r.get("lastname")));
        // What the JDBC sink does to the row, in order (the Postgres-side SMT sees the same sequence in the WAL).
        postgres.execute("CREATE TABLE IF NOT EXISTS contact_audit (seq bigserial PRIMARY KEY, op text,"
                + " sync_key text, deleted boolean)");
        postgres.execute("""
                CREATE OR REPLACE FUNCTION contact_audit() RETURNS trigger AS $$
                BEGIN
                  IF TG_OP = 'DELETE' THEN
                    INSERT INTO contact_audit (op, sync_key, deleted) VALUES (TG_OP, OLD.sync_key, OLD._sync_deleted);
                  ELSE
                    INSERT INTO contact_audit (op, sync_key, deleted) VALUES (TG_OP, NEW.sync_key, NEW._sync_deleted);
                  END IF;
                  RETURN NULL;
                END $$ LANGUAGE plpgsql""");
        postgres.execute("CREATE OR REPLACE TRIGGER contact_audit AFTER INSERT OR UPDATE OR DELETE ON contact"
                + " FOR EACH ROW EXECUTE FUNCTION contact_audit()");
        sf.records().delete("Contact", id);
        Polling.await("contact row deleted", ARRIVAL,
                () -> postgres.queryOne("SELECT 1 FROM contact WHERE sync_key = ?", id).isEmpty());
        List<Map<String, Object>> audit = postgres.query(
                "SELECT op, deleted FROM contact_audit WHERE sync_key = ? ORDER BY seq", id);
        assertThat(audit).as("the delete marker upserted, then the row deleted")
                .containsExactly(Map.of("op", "UPDATE", "deleted", true), Map.of("op", "DELETE", "deleted", true));
        control("POST", "/emulator/records/Contact/" + id + "/undelete", null);
        Map<String, Object> restored = awaitRow("contact", id, r -> "Gone".equals(r.get("lastname")));
        assertThat(restored).containsEntry("_sync_deleted", false).containsEntry("_sync_fields", "*");
    }

    @Test
    void markModeKeepsTheDeletedRowFlagged() {
        String id = sf.records().create("Lead", Map.of("LastName", "Soft", "Company", "S"));
        Map<String, Object> before = awaitRow("lead", id, r -> "Soft".equals(r.get("lastname")));
        assertThat(before).containsEntry("_sync_deleted", false);
        sf.records().delete("Lead", id);
        Map<String, Object> after = awaitRow("lead", id, r -> Boolean.TRUE.equals(r.get("_sync_deleted")));
        // Only the markers changed: the row's data stays, so users can still see what was deleted.
        assertThat(after).containsEntry("lastname", "Soft").containsEntry("company", "S")
                .containsEntry("_sync_fields", "");
        assertThat(after.get("_sync_version")).isNotEqualTo(before.get("_sync_version"));
        assertThat(connect.connectorStatus(SOFT_DELETE_SOURCE).isRunning(1)).isTrue();
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
