package io.sfsync.source;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.source.mapping.RecordMapper;
import io.sfsync.source.offset.ObjectOffset;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sfsync.source.SalesforceSourceTaskTest.header;
import static io.sfsync.source.SalesforceSourceTaskTest.isChange;
import static io.sfsync.source.SalesforceSourceTaskTest.stringField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GAP events, GAP_OVERFLOW and expired replay ids, against the emulator's streaming faults. */
class SelfHealingTaskTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = TestSupport.emulator();
    static final Duration BOUND = Duration.ofSeconds(60);
    static SalesforceClient sf;

    @BeforeAll
    static void client() {
        sf = TestSupport.client(SALESFORCE.emulator(), "someone-else");
    }

    @AfterAll
    static void close() {
        sf.close();
    }

    static void control(String path, String json) {
        TestSupport.control(SALESFORCE.emulator(), "POST", path, json);
    }

    static Map<String, String> streamOnly(String object) {
        Map<String, String> p = TestSupport.props(SALESFORCE.emulator(), object);
        p.put(SalesforceSourceConfig.SNAPSHOT_MODE, "NEVER");
        return p;
    }

    @Test
    void gapEventsReReadTheNamedRecordsAndMissingOnesBecomeTombstonesAndShowInJmx() throws Exception {
        try (TaskHarness h = new TaskHarness(streamOnly("Lead"), new TaskHarness.OffsetStore()).start()) {
            String kept = sf.records().create("Lead", Map.of("LastName", "Kept", "Company", "K"));
            String gone = sf.records().create("Lead", Map.of("LastName", "Gone", "Company", "G"));
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "CREATE", gone)));
            sf.records().delete("Lead", gone);
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "DELETE", gone)));
            control("/emulator/streaming/gap", "{\"entity\":\"Lead\",\"changeType\":\"GAP_UPDATE\",\"recordIds\":[\""
                    + kept + "\",\"" + gone + "\"]}");
            h.pollUntil(BOUND, l -> l.stream().filter(r -> "GAP_UPDATE".equals(header(r, RecordMapper.H_CHANGE_TYPE)))
                    .count() >= 2);
            SourceRecord refetched = h.received.stream().filter(r -> isChange(r, "GAP_UPDATE", kept)).findFirst()
                    .orElseThrow();
            assertThat(stringField(refetched, "lastname")).isEqualTo("Kept");
            assertThat(stringField(refetched, "company")).isEqualTo("K");
            assertThat(((org.apache.kafka.connect.data.Struct) refetched.value()).getString("_sync_version"))
                    .startsWith("query:");
            // Gone: a delete marker, then the tombstone.
            List<SourceRecord> goneRecords = h.received.stream().filter(r -> isChange(r, "GAP_UPDATE", gone)).toList();
            assertThat(goneRecords).hasSize(2);
            assertThat(((org.apache.kafka.connect.data.Struct) goneRecords.get(0).value()).getBoolean("_sync_deleted"))
                    .isTrue();
            assertThat(goneRecords.get(1).value()).isNull();
            assertThat(h.task().gaps.get()).isEqualTo(1);
            // The same figures in JMX.
            javax.management.ObjectName name = new javax.management.ObjectName(SourceTaskMetrics.DOMAIN
                    + ":type=" + SourceTaskMetrics.GROUP + ",connector=unnamed,objects=Lead");
            javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            assertThat((Double) jmx.getAttribute(name, "gaps-total")).isEqualTo(1.0);
            assertThat((Double) jmx.getAttribute(name, "change-events-total")).isGreaterThanOrEqualTo(4.0);
            assertThat((Double) jmx.getAttribute(name, "records-total")).isGreaterThanOrEqualTo(5.0);
            assertThat((Double) jmx.getAttribute(name, "last-replay-id")).isPositive();
            assertThat((Double) jmx.getAttribute(name, "api-calls-total")).isPositive();
        }
        assertThat(java.lang.management.ManagementFactory.getPlatformMBeanServer().queryNames(
                new javax.management.ObjectName(SourceTaskMetrics.DOMAIN + ":*,objects=Lead"), null)).isEmpty();
    }

    @Test
    void anEventWhoseRecordsCannotBeBuiltYetIsRetriedAndTheEventsBeforeItAreDeliveredOnce() throws Exception {
        Map<String, String> p = streamOnly("Contact");
        p.put(SalesforceSourceConfig.MAX_RETRY_TIME_MS, "300");   // give the re-fetch up quickly while REST fails
        // A governor of its own: the JVM's governor for the org keeps the settings of the client that created it.
        try (TaskHarness h = new TaskHarness(p, new TaskHarness.OffsetStore(), () -> new SalesforceSourceTask(
                c -> c.clientBuilder().governorRegistry(new io.sfsync.salesforce.budget.GovernorRegistry()).build()))
                .start()) {
            String edited = sf.records().create("Contact", Map.of("LastName", "Edited"));
            String gapped = sf.records().create("Contact", Map.of("LastName", "Gapped"));
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "CREATE", gapped)));

            // Every REST call fails (streaming and the control API do not): the UI edit's event needs no call, the
            // GAP's re-fetch does. Both events are drained by the same or consecutive polls.
            SALESFORCE.emulator().faults().setServerUnavailableRate(1.0);
            try {
                uiUpdate("Contact", edited, "{\"LastName\":\"Edited twice\"}");
                control("/emulator/streaming/gap", "{\"entity\":\"Contact\",\"changeType\":\"GAP_UPDATE\","
                        + "\"recordIds\":[\"" + gapped + "\"]}");
                int failedPolls = 0;
                long deadline = System.nanoTime() + BOUND.toNanos();
                while (failedPolls == 0 && System.nanoTime() < deadline) {
                    try {
                        h.pollOnce();
                    } catch (org.apache.kafka.connect.errors.RetriableException expected) {
                        failedPolls++;
                    }
                }
                assertThat(failedPolls).as("a poll failed retriably on the GAP's re-fetch").isPositive();
                assertThat(h.received.stream().filter(r -> isChange(r, "UPDATE", edited))).hasSize(1);
            } finally {
                SALESFORCE.emulator().faults().reset();
            }

            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "GAP_UPDATE", gapped)));
            assertThat(h.received.stream().filter(r -> isChange(r, "UPDATE", edited))).hasSize(1);
            assertThat(h.received.stream().filter(r -> isChange(r, "GAP_UPDATE", gapped))).hasSize(1);
            SourceRecord refetched = h.received.stream().filter(r -> isChange(r, "GAP_UPDATE", gapped)).findFirst()
                    .orElseThrow();
            assertThat(stringField(refetched, "lastname")).isEqualTo("Gapped");
        }
    }

    static void uiUpdate(String object, String id, String json) {
        TestSupport.control(SALESFORCE.emulator(), "PATCH", "/emulator/records/" + object + "/" + id, json);
    }

    @Test
    void gapOverflowResyncsTheObjectBySystemModstampWindow() throws Exception {
        try (TaskHarness h = new TaskHarness(streamOnly("Opportunity"), new TaskHarness.OffsetStore()).start()) {
            String id = sf.records().create("Opportunity", Map.of("Name", "Big", "StageName", "Prospecting",
                    "CloseDate", "2026-12-31"));
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "CREATE", id)));
            control("/emulator/streaming/overflow", "{\"entity\":\"Opportunity\"}");
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "RESYNC", id)));
            assertThat(h.task().gaps.get()).isEqualTo(1);
            assertThat(h.task().resyncs.get()).isEqualTo(1);
            SourceRecord last = h.received.get(h.received.size() - 1);
            assertThat(ObjectOffset.fromMap(last.sourceOffset()).phase()).isEqualTo(ObjectOffset.Phase.STREAM);
        }
    }

    @Test
    void expiredReplayIdResyncsWhatChangedSinceTheLastCommittedEvent() throws Exception {
        Map<String, String> props = streamOnly("Contact");
        TaskHarness.OffsetStore store = new TaskHarness.OffsetStore();
        try (TaskHarness h = new TaskHarness(props, store).start()) {
            String first = sf.records().create("Contact", Map.of("LastName", "First"));
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "CREATE", first)));
            h.checkpoint();
        }
        String deletedWhileDown = sf.records().create("Contact", Map.of("LastName", "Deleted while down"));
        sf.records().delete("Contact", deletedWhileDown);
        String whileDown = sf.records().create("Contact", Map.of("LastName", "While down"));
        control("/emulator/events/expire", null);
        try (TaskHarness h = new TaskHarness(props, store).start()) {
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "RESYNC", whileDown)));
            // Deleted inside the window: read from the recycle bin (queryAll); a delete marker, then the tombstone.
            List<SourceRecord> deleted = h.received.stream().filter(r -> isChange(r, "RESYNC", deletedWhileDown))
                    .toList();
            assertThat(deleted).hasSize(2);
            assertThat(((org.apache.kafka.connect.data.Struct) deleted.get(0).value()).getBoolean("_sync_deleted"))
                    .isTrue();
            assertThat(deleted.get(1).value()).isNull();
            assertThat(deleted.get(1).sourceOffset()).isEqualTo(deleted.get(0).sourceOffset());
            assertThat(h.task().resyncs.get()).isEqualTo(1);
            // The window starts at the last committed event (less a margin): only records modified since then are
            // re-read, never with the initial-snapshot label.
            assertThat(h.received).allMatch(r -> "RESYNC".equals(header(r, RecordMapper.H_CHANGE_TYPE)));
            java.time.Instant bound = ObjectOffset.fromMap(store.committed.get(ObjectOffset.partition("Contact")))
                    .commitTimestamp().minus(io.sfsync.source.reader.SnapshotReader.RESYNC_MARGIN)
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            assertThat(h.received).filteredOn(r -> r.value() != null
                    && r.valueSchema().field("systemmodstamp") != null).allMatch(r -> !((java.util.Date) ((org.apache.kafka.connect.data.Struct) r.value())
                    .get("systemmodstamp")).toInstant().isBefore(bound));
        }
    }

    @Test
    void expiredReplayIdWithPolicyFailStopsTheTask() throws Exception {
        Map<String, String> props = streamOnly("Account");
        props.put(SalesforceSourceConfig.INVALID_REPLAY_POLICY, "FAIL");
        TaskHarness.OffsetStore store = new TaskHarness.OffsetStore();
        try (TaskHarness h = new TaskHarness(props, store).start()) {
            String id = sf.records().create("Account", Map.of("Name", "A"));
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "CREATE", id)));
            h.checkpoint();
        }
        sf.records().create("Account", Map.of("Name", "While down"));
        control("/emulator/events/expire", null);
        TaskHarness h = new TaskHarness(props, store);
        try {
            assertThatThrownBy(() -> {
                h.start();
                h.pollUntil(BOUND, l -> false);
            }).isInstanceOf(ConnectException.class).hasMessageContaining("replay");
        } finally {
            h.close();
        }
    }
}
