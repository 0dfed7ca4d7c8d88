package io.sfsync.source;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.write.SObjectRecord;
import io.sfsync.source.mapping.RecordMapper;
import io.sfsync.source.offset.ObjectOffset;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The task against the emulator, through the harness whose offsets commit only at checkpoints. */
class SalesforceSourceTaskTest {

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

    static List<String> createAccounts(String prefix, int n) {
        List<SObjectRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> f = new HashMap<>();
            f.put("Name", prefix + "-" + i);
            records.add(SObjectRecord.of("Account", f));
        }
        return sf.collections().create(records).stream().map(o -> Objects.requireNonNull(o.id())).toList();
    }

    static String header(SourceRecord r, String name) {
        return StreamSupport.stream(r.headers().spliterator(), false).filter(h -> h.key().equals(name))
                .map(Header::value).map(String::valueOf).findFirst().orElse(null);
    }

    static boolean isChange(SourceRecord r, String type, String id) {
        return type.equals(header(r, RecordMapper.H_CHANGE_TYPE)) && id.equals(header(r, RecordMapper.H_RECORD_ID));
    }

    static String stringField(SourceRecord r, String column) {
        Struct v = (Struct) r.value();
        return v == null || v.schema().field(column) == null ? null : v.getString(column);
    }

    @Test
    void snapshotThenStreamWithChangesMadeDuringTheSnapshot() throws Exception {
        // Its own object: Lead, so other tests' Accounts do not interfere.
        List<SObjectRecord> leads = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            leads.add(SObjectRecord.of("Lead", Map.of("LastName", "L" + i, "Company", "C" + i)));
        }
        List<String> ids = sf.collections().create(leads).stream().map(o -> o.id()).toList();
        TaskHarness.OffsetStore store = new TaskHarness.OffsetStore();
        try (TaskHarness h = new TaskHarness(TestSupport.props(SALESFORCE.emulator(), "Lead"), store).start()) {
            // First page read (200 of 450), then a change to a record the snapshot already passed.
            h.pollUntil(BOUND, l -> l.size() >= 200);
            String early = ids.get(0);
            sf.records().update("Lead", early, Map.of("Company", "Changed during snapshot"));
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "UPDATE", early))
                    && l.stream().filter(r -> "SNAPSHOT".equals(header(r, RecordMapper.H_CHANGE_TYPE))).count() >= 450);
            List<SourceRecord> snapshot = h.received.stream()
                    .filter(r -> "SNAPSHOT".equals(header(r, RecordMapper.H_CHANGE_TYPE))).toList();
            assertThat(snapshot).extracting(r -> stringField(r, "sfid")).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(snapshot).allMatch(r -> r.topic().equals("sf.Lead"));
            SourceRecord update = h.received.stream().filter(r -> isChange(r, "UPDATE", early)).findFirst().orElseThrow();
            assertThat(stringField(update, "company")).isEqualTo("Changed during snapshot");
            // Partial: the changed columns (plus sfid and the markers), never the untouched ones.
            assertThat(((Struct) update.value()).schema().field("lastname")).isNull();
            assertThat(((Struct) update.value()).getString("_sync_fields")).contains("company")
                    .doesNotContain("lastname");
            assertThat(((Struct) update.key()).getString("sync_key")).isEqualTo(early);
            // The last snapshot record switches the phase.
            SourceRecord last = snapshot.get(snapshot.size() - 1);
            assertThat(ObjectOffset.fromMap(last.sourceOffset()).phase()).isEqualTo(ObjectOffset.Phase.STREAM);
        }
    }

    /**
     * Pages are read ahead, yet a snapshot row handed over after a change event of its record was read after that
     * event (so it is at least as fresh): edits land on records of pages not read yet while the task runs.
     */
    @Test
    void aRowReadAheadNeverOvertakesAnEventOfItsRecord() throws Exception {
        List<SObjectRecord> opps = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            opps.add(SObjectRecord.of("Opportunity", Map.of("Name", "O" + i, "StageName", "Prospecting",
                    "CloseDate", "2030-01-01")));
        }
        List<String> ids = sf.collections().create(opps).stream().map(o -> o.id()).sorted().toList();
        try (TaskHarness h = new TaskHarness(TestSupport.props(SALESFORCE.emulator(), "Opportunity"),
                new TaskHarness.OffsetStore()).start()) {
            h.pollUntil(BOUND, l -> !l.isEmpty());
            // One edit per page not handed over yet (pages of 200), while the task goes on reading ahead.
            List<String> edited = new ArrayList<>();
            for (int i = 250; i < ids.size(); i += 150) {
                String id = ids.get(i);
                edited.add(id);
                sf.records().update("Opportunity", id, Map.of("StageName", "Closed Won"));
                h.pollOnce();
            }
            h.pollUntil(BOUND, l -> l.stream().filter(r -> "SNAPSHOT".equals(header(r, RecordMapper.H_CHANGE_TYPE)))
                    .count() >= ids.size() && edited.stream().allMatch(id -> l.stream()
                    .anyMatch(r -> isChange(r, "UPDATE", id))));
            for (String id : edited) {
                List<SourceRecord> ofRecord = h.received.stream()
                        .filter(r -> id.equals(header(r, RecordMapper.H_RECORD_ID))).toList();
                int update = ofRecord.indexOf(ofRecord.stream().filter(r -> isChange(r, "UPDATE", id)).findFirst()
                        .orElseThrow());
                SourceRecord row = ofRecord.stream().filter(r -> "SNAPSHOT".equals(header(r,
                        RecordMapper.H_CHANGE_TYPE))).findFirst().orElseThrow();
                if (ofRecord.indexOf(row) > update) {
                    assertThat(stringField(row, "stagename")).as("row of %s handed over after its event", id)
                            .isEqualTo("Closed Won");
                }
            }
            // The snapshot is complete: its read-ahead thread has ended.
            io.sfsync.testkit.Polling.await("read-ahead thread ended", BOUND, () -> Thread.getAllStackTraces().keySet()
                    .stream().noneMatch(t -> t.getName().equals("sfsync-source-snapshot-Opportunity")));
        }
    }

    @Test
    void restartResumesFromTheCommittedReplayIdAndACrashBeforeCommitLosesNothing() throws Exception {
        Map<String, String> props = TestSupport.props(SALESFORCE.emulator(), "Contact");
        TaskHarness.OffsetStore store = new TaskHarness.OffsetStore();
        String first = sf.records().create("Contact", Map.of("LastName", "First"));
        try (TaskHarness h = new TaskHarness(props, store).start()) {
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> first.equals(header(r, RecordMapper.H_RECORD_ID))));
            sf.records().update("Contact", first, Map.of("Title", "One"));
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "UPDATE", first)));
            h.checkpoint();
        }
        // Changes while the task is down.
        sf.records().update("Contact", first, Map.of("Title", "Two"));
        String second = sf.records().create("Contact", Map.of("LastName", "Second"));
        try (TaskHarness h = new TaskHarness(props, store).start()) {
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "CREATE", second)));
            assertThat(h.received).noneMatch(r -> "SNAPSHOT".equals(header(r, RecordMapper.H_CHANGE_TYPE)));
            assertThat(h.received.get(0)).satisfies(r -> {
                assertThat(isChange(r, "UPDATE", first)).isTrue();
                assertThat(stringField(r, "title")).isEqualTo("Two");
            });
            // No checkpoint: the worker "crashes" before flushing these offsets.
        }
        try (TaskHarness h = new TaskHarness(props, store).start()) {
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "CREATE", second)));
            assertThat(h.received).anyMatch(r -> isChange(r, "UPDATE", first) && "Two".equals(stringField(r, "title")));
            assertThat(h.received).noneMatch(r -> isChange(r, "UPDATE", first) && "One".equals(stringField(r, "title")));
        }
    }

    @Test
    void externalIdIsTheSyncKeyAlsoForUpdatesAndDeletesThatDoNotCarryIt() throws Exception {
        Map<String, String> props = TestSupport.props(SALESFORCE.emulator(), "Opportunity");
        props.put(SalesforceSourceConfig.SNAPSHOT_MODE, "NEVER");
        String ext = "pg-" + UUID.randomUUID();
        try (TaskHarness h = new TaskHarness(props, new TaskHarness.OffsetStore()).start()) {
            String id = sf.records().create("Opportunity", Map.of("Name", "Deal", "StageName", "Prospecting",
                    "CloseDate", "2026-12-31", "External_Id__c", ext));
            String plain = sf.records().create("Opportunity", Map.of("Name", "No key", "StageName", "Prospecting",
                    "CloseDate", "2026-12-31"));
            sf.records().update("Opportunity", id, Map.of("Amount", 1234.5));
            sf.records().delete("Opportunity", id);
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "DELETE", id))
                    && l.stream().anyMatch(r -> isChange(r, "CREATE", plain)));
            for (String type : List.of("CREATE", "UPDATE", "DELETE")) {
                assertThat(h.received.stream().filter(x -> isChange(x, type, id)))
                        .allMatch(r -> ext.equals(((Struct) r.key()).getString("sync_key")), type + " keyed by " + ext);
            }
            // Not the sync's own delete: the delete marker, then the tombstone, with the same offset.
            List<SourceRecord> delete = h.received.stream().filter(x -> isChange(x, "DELETE", id)).toList();
            assertThat(delete).hasSize(2);
            assertThat(((Struct) delete.get(0).value()).getBoolean("_sync_deleted")).isTrue();
            assertThat(((Struct) delete.get(0).value()).getString("_sync_version")).startsWith("cdc:");
            assertThat(delete.get(1).value()).isNull();
            assertThat(delete.get(1).sourceOffset()).isEqualTo(delete.get(0).sourceOffset());
            SourceRecord plainCreate = h.received.stream().filter(x -> isChange(x, "CREATE", plain)).findFirst()
                    .orElseThrow();
            assertThat(((Struct) plainCreate.key()).getString("sync_key")).isEqualTo(plain);
        }
    }
}
