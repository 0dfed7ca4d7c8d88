package io.sfsync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.source.mapping.RecordMapper;
import io.sfsync.testkit.ConnectFixture;
import io.sfsync.testkit.Polling;
import io.sfsync.testkit.PostgresFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.ObjectName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery through the real worker (the packaged source on {@code plugin.path}, Kafka, the Debezium JDBC sink,
 * Postgres): a connector stopped long enough for its replay id to expire resynchronises (or, with policy FAIL, fails
 * with a message naming the policy key), and a snapshot whose API budget runs out part way waits and then delivers
 * every row once. Each scenario runs its own connector on its own object and deletes it at the end. Changes are made
 * through the emulator's control API, as a UI user would (not counted against, nor refused by, the API limits).
 */
class SourceRecoveryIT {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = TestSupport.emulator();
    static final Duration ARRIVAL = Duration.ofSeconds(90);
    static final String SINK = "salesforce-postgres-sink";
    static final ObjectMapper JSON = new ObjectMapper();

    static PostgresPipeline pipeline;
    static PostgresFixture postgres;
    static ConnectFixture connect;

    /** Everything logged while a test runs (slf4j-simple writes to System.err, the worker runs in this JVM). */
    private final LogTee log = new LogTee();

    @BeforeAll
    static void startPipeline() throws IOException {
        pipeline = PostgresPipeline.start();
        postgres = pipeline.postgres;
        connect = pipeline.connect;
        connect.awaitRunning(SINK, 1, ARRIVAL);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @BeforeEach
    void captureLog() {
        log.start();
    }

    @AfterEach
    void restoreOrg() {
        log.stop();
        control("PUT", "/emulator/limits", "{\"dailyApiRequests\":1000000}");
        control("DELETE", "/emulator/faults", null);
    }

    // --------------------------------------------------------------------------------- expired replay id

    @Test
    void changesMadeWhileStoppedPastTheReplayRetentionAreResyncedAndTheStreamGoesOn() throws Exception {
        String name = "salesforce-source-resync";
        createSource(name, "Account", Map.of(SalesforceSourceConfig.SNAPSHOT_MODE, "NEVER"));
        try {
            String updated = uiCreate("Account", "{\"Name\":\"Resync updated " + UUID.randomUUID() + "\"}");
            String deleted = uiCreate("Account", "{\"Name\":\"Resync deleted " + UUID.randomUUID() + "\"}");
            awaitRow("account", updated, r -> true);
            awaitRow("account", deleted, r -> true);
            long lastReplayId = Polling.awaitValue("the task's last replay id", ARRIVAL,
                    () -> Optional.of(metric(name, "Account", "last-replay-id")).filter(v -> v > 0));
            stopConnector(name);
            assertThat(committedReplayId(name, "Account")).as("replay id committed before the stop")
                    .isEqualTo(lastReplayId);

            // While it is down: an update, a create and a delete, then every retained event expires.
            control("PATCH", "/emulator/records/Account/" + updated, "{\"BillingCity\":\"While down\"}");
            String created = uiCreate("Account", "{\"Name\":\"Resync created " + UUID.randomUUID() + "\"}");
            control("DELETE", "/emulator/records/Account/" + deleted, null);
            assertThat(JSON.readTree(control("POST", "/emulator/events/expire", null)).get("expired").asLong())
                    .isPositive();

            resumeConnector(name);
            awaitRow("account", updated, r -> "While down".equals(r.get("billingcity")));
            awaitRow("account", created, r -> true);
            // policy RESYNC reads the window with queryAll: the deleted record comes back from the recycle bin as
            // a delete marker and a tombstone (delete.mode=DELETE), and the sink removes the row.
            Polling.await("row " + deleted + " removed", ARRIVAL, () -> row("account", deleted).isEmpty());
            assertThat(metric(name, "Account", "resyncs-total")).isEqualTo(1);
            assertThat(log.text()).contains("Resynchronising Account (expired replay id)")
                    .containsPattern("WARN .*Replay id " + lastReplayId + " of /data/AccountChangeEvent is no "
                            + "longer valid .*policy RESYNC")
                    .contains("Resync of Account complete (records modified since ")
                    .doesNotContain("Snapshot of Account complete");
            List<JsonNode> deletion = values("sf.Account", deleted, RecordMapper.RESYNC);
            assertThat(deletion).as("the resync's records of the deleted row: marker, tombstone").hasSize(2);
            assertThat(deletion.get(0).path("_sync_deleted").asBoolean()).isTrue();
            assertThat(deletion.get(1)).isNull();

            // The stream goes on from the tip: a later change arrives, once.
            control("PATCH", "/emulator/records/Account/" + updated, "{\"BillingCity\":\"After resync\"}");
            awaitRow("account", updated, r -> "After resync".equals(r.get("billingcity")));
            assertThat(values("sf.Account", updated, null).stream()
                    .filter(v -> v != null && "After resync".equals(v.path("billingcity").asText()))).hasSize(1);
            assertThat(connect.connectorStatus(name).isRunning(1)).isTrue();
        } finally {
            connect.deleteConnector(name);
        }
    }

    @Test
    void anExpiredReplayIdWithPolicyFailFailsTheTaskNamingThePolicyKey() throws Exception {
        String name = "salesforce-source-fail";
        createSource(name, "Contact", Map.of(SalesforceSourceConfig.SNAPSHOT_MODE, "NEVER",
                SalesforceSourceConfig.INVALID_REPLAY_POLICY, "FAIL"));
        try {
            String id = uiCreate("Contact", "{\"LastName\":\"Fail " + UUID.randomUUID() + "\"}");
            awaitRow("contact", id, r -> true);
            long lastReplayId = Polling.awaitValue("the task's last replay id", ARRIVAL,
                    () -> Optional.of(metric(name, "Contact", "last-replay-id")).filter(v -> v > 0));
            stopConnector(name);
            assertThat(committedReplayId(name, "Contact")).isEqualTo(lastReplayId);
            uiCreate("Contact", "{\"LastName\":\"Fail while down\"}");
            control("POST", "/emulator/events/expire", null);

            resumeConnector(name);
            String trace = Polling.awaitValue("the task FAILED", ARRIVAL, () -> Optional.ofNullable(
                    connect.connectorStatus(name)).flatMap(ConnectFixture.ConnectorStatus::failure));
            assertThat(trace).contains("replay id " + lastReplayId)
                    .contains(SalesforceSourceConfig.INVALID_REPLAY_POLICY + "=FAIL");
        } finally {
            connect.deleteConnector(name);
        }
    }

    // --------------------------------------------------------------------------------- quota during the snapshot

    @Test
    void theDailyLimitUsedUpDuringTheSnapshotDelaysItAndEveryRowArrivesOnce() throws Exception {
        String name = "salesforce-source-snapshot-quota";
        int rows = 1000;   // five pages of 200
        List<String> ids = uiCreateLeads(rows);
        // Every counted call takes 400 ms, so the five pages take seconds: long enough to cut the budget part way.
        control("PUT", "/emulator/faults", "{\"latencyMs\":400}");
        // A short bound on one poll()'s wait, so that the worker gets its thread back and polls again while the
        // budget is out: the page read gives up and is made again from the same cursor.
        createSource(name, "Lead", Map.of(SalesforceSourceConfig.SNAPSHOT_PAGE_SIZE, "200",
                SalesforceSourceConfig.BUDGET_MAX_WAIT_MS, "1000"));
        try {
            Polling.await("the first page handed to Connect", ARRIVAL,
                    () -> metric(name, "Lead", "records-total") >= 200);
            long rejectedBefore = limits().get("rejected").asLong();
            control("PUT", "/emulator/limits", "{\"dailyApiRequests\":" + limits().get("used").asLong() + "}");
            try {
                // Two page reads waited: the first gave up after the bound and the task read the page again.
                Polling.await("the snapshot to wait for API budget", ARRIVAL,
                        () -> metric(name, "Lead", "api-budget-waits-total") >= 2
                                && limits().get("rejected").asLong() > rejectedBefore);
                assertThat(metric(name, "Lead", "records-total")).as("the budget ran out part way").isLessThan(rows);
                assertThat(connect.connectorStatus(name).isRunning(1)).as("task running while budget is short")
                        .isTrue();
            } finally {
                control("PUT", "/emulator/limits", "{\"dailyApiRequests\":1000000}");
            }
            Polling.await("every lead in Postgres", ARRIVAL, Polling.DEFAULT_INTERVAL, () -> postgres.tableExists("lead")
                    && count("lead", ids) == rows, () -> "source: " + connect.connectorStatus(name)
                    + "; rows: " + (postgres.tableExists("lead") ? count("lead", ids) : "no table"));
            assertThat(connect.connectorStatus(name).isRunning(1)).isTrue();
            assertThat(log.text()).contains("API budget used up").contains("API budget available again");

            // Exactly once: one snapshot record per row in the topic, one row per key in Postgres.
            Map<String, Long> perRow = snapshotRecords("sf.Lead", rows).stream()
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(perRow.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(perRow.values()).as("snapshot records per row").allMatch(n -> n == 1);
            assertThat(postgres.queryOne("SELECT count(*) AS n, count(DISTINCT sync_key) AS d FROM lead "
                    + "WHERE sync_key = ANY (?)", (Object) ids.toArray(String[]::new)).orElseThrow())
                    .containsEntry("n", (long) rows).containsEntry("d", (long) rows);
        } finally {
            connect.deleteConnector(name);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static void createSource(String name, String object, Map<String, String> overrides) {
        Map<String, String> source = new HashMap<>(TestSupport.props(SALESFORCE.emulator(), object));
        source.put("name", name);
        source.put("connector.class", SalesforceSourceConnector.class.getName());
        source.put("tasks.max", "1");
        source.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        source.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        source.put("topic.creation.default.partitions", "1");
        source.put("topic.creation.default.replication.factor", "1");
        // Notice within half a second that budget came back (one governor per org in the worker: same value).
        source.put(SalesforceSourceConfig.LIMITS_POLL_MS, "500");
        source.putAll(overrides);
        connect.createConnector(name, source);
        connect.awaitRunning(name, 1, ARRIVAL);
    }

    /** {@code PUT /connectors/{name}/stop}: the tasks stop (their offsets flushed), the connector stays defined. */
    static void stopConnector(String name) {
        expect2xx(connect.rest("PUT", "connectors/" + name + "/stop", null), "stop " + name);
        Polling.await(name + " STOPPED", ARRIVAL, () -> "STOPPED".equals(connect.connectorStatus(name).state())
                && connect.connectorStatus(name).tasks().isEmpty());
    }

    static void resumeConnector(String name) {
        expect2xx(connect.rest("PUT", "connectors/" + name + "/resume", null), "resume " + name);
    }

    /** The replay id in the connector's committed offset for the object ({@code GET /connectors/{name}/offsets}). */
    static long committedReplayId(String name, String object) throws IOException {
        HttpResponse<String> r = connect.rest("GET", "connectors/" + name + "/offsets", null);
        expect2xx(r, "offsets of " + name);
        for (JsonNode o : JSON.readTree(r.body()).path("offsets")) {
            if (object.equals(o.path("partition").path("object").asText())) {
                return o.path("offset").path("replay_id").asLong(-1);
            }
        }
        return -1;
    }

    static void expect2xx(HttpResponse<String> r, String what) {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isBetween(200, 299);
    }

    /** One gauge of the task's metrics, read from JMX (the worker runs in this JVM); 0 while not registered. */
    static long metric(String connector, String object, String attribute) {
        try {
            ObjectName name = new ObjectName(SourceTaskMetrics.DOMAIN + ":type=" + SourceTaskMetrics.GROUP
                    + ",connector=" + connector + ",objects=" + object);
            var server = ManagementFactory.getPlatformMBeanServer();
            return server.isRegistered(name) ? ((Number) server.getAttribute(name, attribute)).longValue() : 0;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The values (null for a tombstone) of the records of {@code sfid} in the topic, in order; only those of change
     * type {@code type} unless it is null.
     */
    static List<JsonNode> values(String topic, String sfid, String type) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.consume(Integer.MAX_VALUE, Duration.ofSeconds(3), topic)) {
            if (!sfid.equals(ConnectFixture.headerAsString(r, RecordMapper.H_RECORD_ID))
                    || type != null && !type.equals(ConnectFixture.headerAsString(r, RecordMapper.H_CHANGE_TYPE))) {
                continue;
            }
            String value = ConnectFixture.valueAsString(r);
            out.add(value == null ? null : JSON.readTree(value).path("payload"));
        }
        return out;
    }

    /** The record ids of the snapshot records in the topic (reads until at least {@code atLeast} arrived). */
    static List<String> snapshotRecords(String topic, int atLeast) {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.consume(Integer.MAX_VALUE, Duration.ofSeconds(5), topic)) {
            if (RecordMapper.SNAPSHOT.equals(ConnectFixture.headerAsString(r, RecordMapper.H_CHANGE_TYPE))) {
                ids.add(ConnectFixture.headerAsString(r, RecordMapper.H_RECORD_ID));
            }
        }
        assertThat(ids).hasSizeGreaterThanOrEqualTo(atLeast);
        return ids;
    }

    static long count(String table, List<String> keys) {
        return ((Number) postgres.queryOne("SELECT count(*) AS n FROM " + table + " WHERE sync_key = ANY (?)",
                (Object) keys.toArray(String[]::new)).orElseThrow().get("n")).longValue();
    }

    static Optional<Map<String, Object>> row(String table, String key) {
        return postgres.tableExists(table)
                ? postgres.queryOne("SELECT * FROM " + table + " WHERE sync_key = ?", key) : Optional.empty();
    }

    static Map<String, Object> awaitRow(String table, String key, Predicate<Map<String, Object>> condition) {
        return Polling.awaitValue("row " + key + " in " + table, ARRIVAL, Duration.ofMillis(50),
                () -> row(table, key).filter(condition),
                () -> "sink: " + connect.connectorStatus(SINK) + "; row: " + row(table, key));
    }

    static String uiCreate(String object, String json) throws IOException {
        return JSON.readTree(control("POST", "/emulator/records/" + object, json)).get("id").asText();
    }

    static List<String> uiCreateLeads(int n) throws IOException {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < n; i++) {
            records.append(i == 0 ? "" : ",").append("{\"LastName\":\"Quota ").append(i)
                    .append("\",\"Company\":\"Snapshot\"}");
        }
        JsonNode answer = JSON.readTree(control("POST", "/emulator/records/Lead/batch",
                "{\"operation\":\"create\",\"records\":[" + records + "]}"));
        List<String> ids = new ArrayList<>();
        answer.get("results").forEach(r -> ids.add(r.get("id").asText()));
        assertThat(ids).hasSize(n);
        return ids;
    }

    static JsonNode limits() {
        try {
            return JSON.readTree(control("GET", "/emulator/limits", null));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String control(String method, String path, String json) {
        return TestSupport.control(SALESFORCE.emulator(), method, path, json);
    }

    /** Copies System.err (where slf4j-simple writes, looked up at every line) into a buffer while started. */
    static final class LogTee {
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
        private PrintStream original;

        void start() {
            original = System.err;
            PrintStream out = original;
            System.setErr(new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    out.write(b);
                    synchronized (copy) {
                        copy.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    out.write(b, off, len);
                    synchronized (copy) {
                        copy.write(b, off, len);
                    }
                }

                @Override
                public void flush() {
                    out.flush();
                }
            }, true, StandardCharsets.UTF_8));
        }

        void stop() {
            if (original != null) {
                System.setErr(original);
            }
        }

        String text() {
            synchronized (copy) {
                return copy.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
