package io.sfsync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.testkit.ConnectFixture;
import io.sfsync.testkit.Polling;
import io.sfsync.testkit.PostgresFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Salesforce faults through the real worker: the packaged source on {@code plugin.path}, Kafka, the Debezium JDBC
 * sink and Postgres. The API quota runs out, sessions expire, tokens are revoked, the CometD session is dropped, a
 * GAP and a GAP_OVERFLOW arrive: every change made around the fault still reaches Postgres and the task stays
 * RUNNING. The task-level logic is covered by {@code StreamFaultsTaskTest} and {@code SelfHealingTaskTest}; this
 * class proves it end to end. Changes are made through the emulator's control API, which the API limits do not
 * count or refuse (a UI user's edits, not the sync's).
 */
class SourceFaultsIT {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = TestSupport.emulator();
    static final Duration ARRIVAL = Duration.ofSeconds(60);
    static final String SOURCE = "salesforce-source-faults";
    static final String SINK = "salesforce-postgres-sink";
    static final String TOPIC = "sf.Account";
    static final ObjectMapper JSON = new ObjectMapper();

    static PostgresFixture postgres;
    static ConnectFixture connect;
    static PostgresPipeline pipeline;

    @BeforeAll
    static void startPipeline() throws IOException {
        SalesforceEmulator emulator = SALESFORCE.emulator();
        pipeline = PostgresPipeline.start();
        postgres = pipeline.postgres;
        connect = pipeline.connect;
        Map<String, String> source = new HashMap<>(TestSupport.props(emulator, "Account"));
        source.put("name", SOURCE);
        source.put("connector.class", SalesforceSourceConnector.class.getName());
        source.put("tasks.max", "1");
        source.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        source.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        source.put("topic.creation.default.partitions", "1");
        source.put("topic.creation.default.replication.factor", "1");
        // Notice within half a second that budget came back.
        source.put(SalesforceSourceConfig.LIMITS_POLL_MS, "500");
        connect.createConnector(SOURCE, source);
        connect.awaitRunning(SINK, 1, ARRIVAL);
        connect.awaitRunning(SOURCE, 1, ARRIVAL);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void exhaustedDailyLimitDelaysChangesButLosesNoneAndDuplicatesNone() throws Exception {
        String before = create("Quota before");
        awaitRow(before, r -> true);
        long rejectedBefore = limits().get("rejected").asLong();
        long used = limits().get("used").asLong();
        control("PUT", "/emulator/limits", "{\"dailyApiRequests\":" + used + "}");
        String during;
        try {
            // A streamed update, a streamed create, and a GAP whose re-fetch is a query: it must wait for budget.
            control("PATCH", "/emulator/records/Account/" + before, "{\"BillingCity\":\"Delayed\"}");
            during = create("Quota during");
            control("POST", "/emulator/streaming/gap",
                    "{\"entity\":\"Account\",\"changeType\":\"GAP_UPDATE\",\"recordIds\":[\"" + before + "\"]}");
            Polling.await("the source to wait for API budget", ARRIVAL,
                    () -> budgetWaits() > 0 && limits().get("rejected").asLong() > rejectedBefore);
            assertThat(connect.connectorStatus(SOURCE).isRunning(1)).as("task running while budget is short")
                    .isTrue();
        } finally {
            control("PUT", "/emulator/limits", "{\"dailyApiRequests\":1000000}");
        }
        awaitRow(during, r -> true);
        Map<String, Object> refetched = awaitRow(before, r -> r.get("_sync_version").toString().startsWith("query:"));
        assertThat(refetched).containsEntry("billingcity", "Delayed");
        assertThat(connect.connectorStatus(SOURCE).isRunning(1)).isTrue();

        // None twice: each change event and the one re-fetch were emitted exactly once for the record.
        List<String> versions = versionsOf(before, 3);
        assertThat(versions).doesNotHaveDuplicates();
        assertThat(versions.stream().filter(v -> v.startsWith("query:"))).hasSize(1);
        assertThat(versions.stream().filter(v -> v.startsWith("cdc:"))).hasSize(2);
    }

    @Test
    void expiredSessionsAndRevokedTokensLoseNoChange() throws Exception {
        String a = create("Session A");
        awaitRow(a, r -> true);
        // Every REST session ends (401 INVALID_SESSION_ID), and the CometD session with it (401, reconnect=none).
        control("POST", "/emulator/sessions/expire", null);
        control("PATCH", "/emulator/records/Account/" + a, "{\"BillingCity\":\"After expiry\"}");
        String b = create("Session B");
        awaitRow(a, r -> "After expiry".equals(r.get("billingcity")));
        awaitRow(b, r -> true);
        // Every token revoked: the client credentials flow logs in again.
        control("POST", "/emulator/sessions/revoke", null);
        control("PATCH", "/emulator/records/Account/" + b, "{\"BillingCity\":\"After revoke\"}");
        String c = create("Session C");
        awaitRow(b, r -> "After revoke".equals(r.get("billingcity")));
        awaitRow(c, r -> true);
        assertThat(connect.connectorStatus(SOURCE).isRunning(1)).isTrue();
    }

    @Test
    void unknownClientRehandshakesAndLosesNoChange() throws Exception {
        String a = create("Rehandshake A");
        awaitRow(a, r -> true);
        // 403::Unknown client with reconnect=handshake on the next /meta/connect.
        control("POST", "/emulator/streaming/expire-clients", null);
        control("PATCH", "/emulator/records/Account/" + a, "{\"BillingCity\":\"After rehandshake\"}");
        String b = create("Rehandshake B");
        awaitRow(a, r -> "After rehandshake".equals(r.get("billingcity")));
        awaitRow(b, r -> true);
        assertThat(connect.connectorStatus(SOURCE).isRunning(1)).isTrue();
    }

    @Test
    void gapOverflowResyncsTheObject() throws Exception {
        String a = create("Overflow A");
        awaitRow(a, r -> r.get("_sync_version").toString().startsWith("cdc:"));
        control("POST", "/emulator/streaming/overflow", "{\"entity\":\"Account\"}");
        // The resync re-reads the window of the last change seen: the row comes back as read by query.
        awaitRow(a, r -> r.get("_sync_version").toString().startsWith("query:"));
        String b = create("Overflow B");
        awaitRow(b, r -> true);
        assertThat(connect.connectorStatus(SOURCE).isRunning(1)).isTrue();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static String create(String name) throws IOException {
        return JSON.readTree(control("POST", "/emulator/records/Account",
                "{\"Name\":\"" + name + " " + UUID.randomUUID() + "\"}")).get("id").asText();
    }

    static JsonNode limits() {
        try {
            return JSON.readTree(control("GET", "/emulator/limits", null));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The task's {@code api-budget-waits-total} gauge, read from JMX (the worker runs in this JVM). */
    static long budgetWaits() {
        try {
            ObjectName name = new ObjectName("sfsync.source:type=source-task-metrics,connector=" + SOURCE
                    + ",objects=Account");
            var server = ManagementFactory.getPlatformMBeanServer();
            return server.isRegistered(name)
                    ? ((Number) server.getAttribute(name, "api-budget-waits-total")).longValue() : 0;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The {@code _sync_version} of every record of {@code sfid} in the topic, in order. */
    static List<String> versionsOf(String sfid, int atLeast) throws IOException {
        List<String> versions = new java.util.ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.consume(Integer.MAX_VALUE, Duration.ofSeconds(3), TOPIC)) {
            String value = ConnectFixture.valueAsString(r);
            if (value == null) {
                continue;
            }
            JsonNode payload = JSON.readTree(value).path("payload");
            if (sfid.equals(payload.path("sfid").asText())) {
                versions.add(payload.path("_sync_version").asText());
            }
        }
        assertThat(versions).as("records of " + sfid).hasSizeGreaterThanOrEqualTo(atLeast);
        return versions;
    }

    static Map<String, Object> awaitRow(String key, Predicate<Map<String, Object>> condition) {
        return Polling.awaitValue("row " + key + " in account", ARRIVAL, Duration.ofMillis(50),
                () -> postgres.tableExists("account")
                        ? postgres.queryOne("SELECT * FROM account WHERE sync_key = ?", key).filter(condition)
                        : Optional.empty(),
                () -> "source: " + connect.connectorStatus(SOURCE) + "; sink: " + connect.connectorStatus(SINK)
                        + "; limits: " + limits() + "; row: " + (postgres.tableExists("account")
                        ? postgres.queryOne("SELECT * FROM account WHERE sync_key = ?", key) : "no table"));
    }

    static String control(String method, String path, String json) {
        return TestSupport.control(SALESFORCE.emulator(), method, path, json);
    }
}
