package io.sfsync.salesforce.streaming;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.metrics.CallKind;
import io.sfsync.salesforce.write.SObjectRecord;
import io.sfsync.salesforce.write.SaveOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.sfsync.salesforce.streaming.CdcTestSupport.ACCOUNTS;
import static io.sfsync.salesforce.streaming.CdcTestSupport.ALL;
import static io.sfsync.salesforce.streaming.CdcTestSupport.CONTACTS;
import static io.sfsync.salesforce.streaming.CdcTestSupport.pollCount;
import static io.sfsync.salesforce.streaming.CdcTestSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** Events written through the client's REST writers arrive typed, through real CometD against the emulator. */
class CdcSubscriberTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = CdcTestSupport.emulator();

    static SalesforceClient sf;

    @BeforeAll
    static void connect() {
        sf = TestSupport.client(SF.emulator()).build();
    }

    @AfterAll
    static void close() {
        sf.close();
    }

    private static CdcSubscriber subscribe(String... channels) throws InterruptedException {
        CdcSubscriber.Builder b = CdcSubscriber.builder(sf).backOff(Duration.ofMillis(20), Duration.ofMillis(500));
        for (String c : channels) {
            b.channel(c, CdcSubscriber.REPLAY_FROM_TIP);
        }
        CdcSubscriber sub = b.start();
        assertThat(sub.awaitSubscribed(Duration.ofSeconds(20))).as("subscribed").isTrue();
        return sub;
    }

    @Test
    void createUpdateDeleteArriveTypedWithHeaderAndFields() throws Exception {
        try (CdcSubscriber sub = subscribe(ACCOUNTS)) {
            String id = sf.records().create("Account", Map.of("Name", "Typed", "Industry", "Energy"));
            Map<String, Object> update = new HashMap<>();
            update.put("Industry", null);
            update.put("Phone", "+33 1 23 45 67 89");
            sf.records().update("Account", id, update);
            sf.records().delete("Account", id);

            List<ChangeEvent> events = pollCount(sub, 3);
            assertThat(events).hasSize(3);
            assertThat(events).extracting(ChangeEvent::changeType)
                    .containsExactly(ChangeType.CREATE, ChangeType.UPDATE, ChangeType.DELETE);
            assertThat(events).allSatisfy(e -> {
                assertThat(e.channel()).isEqualTo(ACCOUNTS);
                assertThat(e.entityName()).isEqualTo("Account");
                assertThat(e.recordIds()).containsExactly(id);
                assertThat(e.schemaId()).hasSize(22);
                assertThat(e.header().changeOrigin()).isEqualTo("com/salesforce/api/rest/62.0;client="
                        + TestSupport.CALL_CLIENT);
                assertThat(e.header().commitTimestamp()).isNotNull();
                assertThat(e.header().commitNumber()).isPositive();
                assertThat(e.header().commitUser()).isEqualTo(SalesforceEmulator.INTEGRATION_USER_ID);
                assertThat(e.header().transactionKey()).isNotBlank();
                assertThat(e.header().sequenceNumber()).isEqualTo(1);
            });
            assertThat(events).extracting(ChangeEvent::replayId).isSorted().doesNotHaveDuplicates();

            ChangeEvent create = events.get(0);
            assertThat(create.fields().get("Name")).isEqualTo("Typed");
            assertThat(create.fields().get("Industry")).isEqualTo("Energy");
            assertThat(create.fields().isPresent("CreatedDate")).isTrue();
            assertThat(create.header().changedFields()).isEmpty();

            ChangeEvent upd = events.get(1);
            assertThat(upd.header().changedFields()).contains("Industry", "Phone", "LastModifiedDate");
            assertThat(upd.header().nulledFields()).containsExactly("Industry");
            assertThat(upd.fields().isNull("Industry")).isTrue();
            assertThat(upd.fields().get("Phone")).isEqualTo("+33 1 23 45 67 89");
            assertThat(upd.fields().isPresent("Name")).as("unchanged fields are absent").isFalse();

            ChangeEvent delete = events.get(2);
            assertThat(delete.fields().isEmpty()).isTrue();

            // The counter moves right after the hand-over, so a fast poll() can see the event first.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sub.metrics().eventsDelivered() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(sub.metrics().eventsDelivered()).isGreaterThanOrEqualTo(3);
            assertThat(sf.metrics().calls(CallKind.STREAMING)).isPositive();
        }
    }

    @Test
    void startPositionsReplayAfterAnIdOrFromTheEarliestRetainedEvent() throws Exception {
        String first = sf.records().create("Account", Map.of("Name", "Start 1"));
        long afterFirst = SF.emulator().events().lastReplayId();
        String second = sf.records().create("Account", Map.of("Name", "Start 2"));
        String third = sf.records().create("Account", Map.of("Name", "Start 3"));

        try (CdcSubscriber fromId = CdcSubscriber.builder(sf).channel(ACCOUNTS, afterFirst).start()) {
            List<ChangeEvent> events = pollCount(fromId, 2);
            events.addAll(CdcTestSupport.drainFor(fromId, Duration.ofMillis(300)));
            assertThat(events).extracting(e -> e.recordIds().get(0)).containsExactly(second, third);
            assertThat(events.get(0).replayId()).isGreaterThan(afterFirst);
        }
        try (CdcSubscriber earliest = CdcSubscriber.builder(sf)
                .channel(ACCOUNTS, CdcSubscriber.REPLAY_FROM_EARLIEST).start()) {
            List<ChangeEvent> events = pollUntil(earliest, Duration.ofSeconds(30),
                    l -> l.stream().anyMatch(e -> e.recordIds().contains(third)));
            assertThat(events).extracting(e -> e.recordIds().get(0)).contains(first, second, third);
            assertThat(events).extracting(ChangeEvent::replayId).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void identicalChangesToManyRecordsShareOneEventWithAllRecordIds() throws Exception {
        List<SObjectRecord> create = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            create.add(SObjectRecord.of("Account", Map.of("Name", "Bulk " + i)));
        }
        List<String> ids = sf.collections().create(create).stream().map(SaveOutcome::id).toList();
        try (CdcSubscriber sub = subscribe(ACCOUNTS)) {
            List<SObjectRecord> update = ids.stream()
                    .map(id -> SObjectRecord.of("Account", Map.of("Id", id, "Rating", "Hot"))).toList();
            assertThat(sf.collections().update(update)).allSatisfy(o -> assertThat(o.success()).isTrue());

            ChangeEvent e = pollCount(sub, 1).get(0);
            assertThat(e.changeType()).isEqualTo(ChangeType.UPDATE);
            assertThat(e.recordIds()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(e.fields().get("Rating")).isEqualTo("Hot");
        }
    }

    @Test
    void aLongPollResponseOverOneMegabyteIsAccepted() throws Exception {
        try (CdcSubscriber sub = subscribe(ACCOUNTS)) {
            String text = "x".repeat(30_000);
            List<SObjectRecord> records = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                records.add(SObjectRecord.of("Account", Map.of("Name", "Large " + i, "Description", text)));
            }
            List<String> ids = sf.collections().create(records).stream().map(SaveOutcome::id).toList();
            // 60 events of ~30 kB go out in one /meta/connect response of ~1.8 MB (CometD's default cap is 1 MB).
            List<ChangeEvent> events = pollCount(sub, 60);
            assertThat(events).extracting(e -> e.recordIds().get(0)).containsExactlyElementsOf(ids);
            assertThat(events.get(59).fields().get("Description")).isEqualTo(text);
        }
    }

    @Test
    void compoundFieldsAreNestedAndFlattened() throws Exception {
        try (CdcSubscriber sub = subscribe(ACCOUNTS, CONTACTS)) {
            String account = sf.records().create("Account", Map.of("Name", "Compound",
                    "BillingCity", "Paris", "BillingStreet", "1 rue de Rivoli", "BillingPostalCode", "75001"));
            String contact = sf.records().create("Contact", Map.of("FirstName", "Ada", "LastName", "Lovelace",
                    "MailingCity", "London"));
            sf.records().update("Account", account, Map.of("BillingCity", "Lyon"));

            List<ChangeEvent> events = pollCount(sub, 3);
            ChangeEvent accountCreate = events.stream().filter(e -> e.recordIds().contains(account)
                    && e.changeType() == ChangeType.CREATE).findFirst().orElseThrow();
            assertThat(accountCreate.fields().nested().get("BillingAddress")).isInstanceOf(Map.class);
            assertThat(accountCreate.fields().get("BillingAddress.City")).isEqualTo("Paris");
            assertThat(accountCreate.fields().get("BillingAddress.PostalCode")).isEqualTo("75001");
            assertThat(accountCreate.fields().flattened()).containsEntry("BillingCity", "Paris")
                    .containsEntry("BillingStreet", "1 rue de Rivoli").doesNotContainKey("BillingAddress");

            ChangeEvent contactCreate = events.stream().filter(e -> e.recordIds().contains(contact)).findFirst()
                    .orElseThrow();
            assertThat(contactCreate.channel()).isEqualTo(CONTACTS);
            assertThat(contactCreate.fields().nested()).containsKey("Name");
            assertThat(contactCreate.fields().flattened()).containsEntry("FirstName", "Ada")
                    .containsEntry("LastName", "Lovelace").containsEntry("MailingCity", "London");
            assertThat(contactCreate.fields().get("Name.FirstName")).isEqualTo("Ada");

            ChangeEvent accountUpdate = events.stream().filter(e -> e.recordIds().contains(account)
                    && e.changeType() == ChangeType.UPDATE).findFirst().orElseThrow();
            assertThat(accountUpdate.header().changedFields()).contains("BillingAddress.City");
            assertThat(accountUpdate.fields().flattened()).containsEntry("BillingCity", "Lyon")
                    .doesNotContainKey("BillingStreet");
        }
    }

    @Test
    void gapAndOverflowEventsArriveTyped() throws Exception {
        try (CdcSubscriber sub = subscribe(ALL)) {
            String id = sf.records().create("Account", Map.of("Name", "Gap"));
            SF.emulator().streaming().injectGap("Account", "GAP_UPDATE", List.of(id),
                    SalesforceEmulator.INTEGRATION_USER_ID);
            SF.emulator().streaming().injectGapOverflow(List.of("Account", "Contact"),
                    SalesforceEmulator.INTEGRATION_USER_ID);

            List<ChangeEvent> events = pollUntil(sub, Duration.ofSeconds(30),
                    l -> l.stream().filter(e -> e.changeType() == ChangeType.GAP_OVERFLOW).count() >= 2);
            ChangeEvent gap = events.stream().filter(e -> e.changeType() == ChangeType.GAP_UPDATE).findFirst()
                    .orElseThrow();
            assertThat(gap.recordIds()).containsExactly(id);
            assertThat(gap.header().changeOrigin()).isEmpty();
            assertThat(gap.header().changedFields()).isEmpty();
            assertThat(gap.fields().isEmpty()).isTrue();
            List<ChangeEvent> overflow = events.stream().filter(e -> e.changeType() == ChangeType.GAP_OVERFLOW)
                    .toList();
            assertThat(overflow).extracting(ChangeEvent::entityName).containsExactly("Account", "Contact");
            assertThat(overflow).allSatisfy(e -> assertThat(e.recordIds()).containsExactly("000000000000000AAA"));
            assertThat(overflow.get(0).header().transactionKey()).isEqualTo(overflow.get(1).header().transactionKey());
        }
    }

    @Test
    void backgroundThreadsCarryTheCallersMdcAndCloseLeavesNoThread() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CdcSubscriber sub;
        try (ThreadLocalMdc mdc = ThreadLocalMdc.install()) {
            MDC.put("connector", "sf-source-7");
            sub = CdcSubscriber.builder(sf).threadNamePrefix("mdc-check")
                    .channel(ACCOUNTS, 999_999_999_999L)          // no such replay id: the policy is called
                    .backOff(Duration.ofMillis(20), Duration.ofMillis(500))
                    .invalidReplayIdPolicy(r -> {
                        seen.add(Thread.currentThread().getName() + " " + MDC.get("connector"));
                        return InvalidReplayIdPolicy.Action.LATEST;
                    })
                    .start();
            MDC.remove("connector");
            try {
                assertThat(sub.awaitSubscribed(Duration.ofSeconds(20))).isTrue();
                assertThat(CdcTestSupport.threadNames("mdc-check")).isNotEmpty();
                assertThat(seen).hasSize(1);
                assertThat(seen.get(0)).startsWith("mdc-check-").endsWith("-control-1 sf-source-7");
                assertThat(MDC.get("connector")).isNull();
            } finally {
                sub.close();
            }
        }
        TestSupport.await("subscriber threads to end", () -> CdcTestSupport.threadNames("mdc-check").isEmpty());
        assertThat(sub.poll(Duration.ofMillis(10), 10)).isEmpty();
        assertThat(SF.emulator().streaming().clientIds()).doesNotContain(sub.clientId() == null ? "" : sub.clientId());
    }
}
