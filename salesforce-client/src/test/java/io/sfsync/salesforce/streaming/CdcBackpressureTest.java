package io.sfsync.salesforce.streaming;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.write.SObjectRecord;
import io.sfsync.salesforce.write.SaveOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.sfsync.salesforce.streaming.CdcTestSupport.ACCOUNTS;
import static io.sfsync.salesforce.streaming.CdcTestSupport.drainFor;
import static org.assertj.core.api.Assertions.assertThat;

/** A slow consumer and a small queue: the listener waits, nothing is dropped; close stops every thread. */
class CdcBackpressureTest {

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

    @Test
    void slowConsumerWithCapacityTenGetsAllTwoHundredEventsInOrder() throws Exception {
        CdcTestSupport.Offsets offsets = new CdcTestSupport.Offsets();
        int maxDepth = 0;
        try (CdcSubscriber sub = CdcSubscriber.builder(sf).channel(ACCOUNTS, CdcSubscriber.REPLAY_FROM_TIP)
                .replayStore(offsets).queueCapacity(10).backOff(Duration.ofMillis(20), Duration.ofMillis(500))
                .start()) {
            assertThat(sub.awaitSubscribed(Duration.ofSeconds(20))).isTrue();
            List<SObjectRecord> records = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                records.add(SObjectRecord.of("Account", Map.of("Name", "Slow " + i)));
            }
            List<String> ids = sf.collections().create(records).stream().map(SaveOutcome::id).toList();

            List<ChangeEvent> events = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (events.size() < 200 && System.nanoTime() < deadline) {
                maxDepth = Math.max(maxDepth, sub.metrics().queueDepth());
                List<ChangeEvent> batch = sub.poll(Duration.ofMillis(200), 3);   // a slow consumer
                events.addAll(batch);
                batch.forEach(offsets::commit);
                Thread.sleep(15);
            }
            events.addAll(drainFor(sub, Duration.ofMillis(500)));

            assertThat(events).extracting(e -> e.recordIds().get(0)).containsExactlyElementsOf(ids);
            assertThat(events).extracting(ChangeEvent::replayId).isSorted().doesNotHaveDuplicates();
            assertThat(maxDepth).as("the queue filled up and stayed bounded").isBetween(1, 10);
            assertThat(sub.metrics().eventsDelivered()).isEqualTo(200);
        }
    }

    @Test
    void consumerStalledLongerThanTheReconnectWindowLosesNothingAndRepeatsNothing() throws Exception {
        CdcTestSupport.Offsets offsets = new CdcTestSupport.Offsets();
        try (CdcSubscriber sub = CdcSubscriber.builder(sf).channel(ACCOUNTS, CdcSubscriber.REPLAY_FROM_TIP)
                .replayStore(offsets).queueCapacity(10).backOff(Duration.ofMillis(20), Duration.ofMillis(500))
                .start()) {
            assertThat(sub.awaitSubscribed(Duration.ofSeconds(20))).isTrue();
            List<SObjectRecord> records = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                records.add(SObjectRecord.of("Account", Map.of("Name", "Stalled " + i)));
            }
            List<String> ids = sf.collections().create(records).stream().map(SaveOutcome::id).toList();
            TestSupport.await("the queue to fill", () -> sub.metrics().queueDepth() == 10);
            // The listener waits on the full queue, so no /meta/connect goes out: after the 4 s reconnect window
            // the server forgets the client.
            TestSupport.await("the server to expire the client",
                    () -> ((Number) SF.emulator().streaming().counters().get("expiredClients")).longValue() > 0);

            List<ChangeEvent> events = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (events.size() < 50 && System.nanoTime() < deadline) {
                List<ChangeEvent> batch = sub.poll(Duration.ofMillis(200), 7);
                events.addAll(batch);
                batch.forEach(offsets::commit);
            }
            events.addAll(drainFor(sub, Duration.ofMillis(500)));
            assertThat(events).extracting(e -> e.recordIds().get(0)).containsExactlyElementsOf(ids);
            assertThat(sub.metrics().rehandshakes()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void closeWhileTheListenerWaitsOnAFullQueueLeavesNoThreadAndNoSession() throws Exception {
        CdcSubscriber sub = CdcSubscriber.builder(sf).threadNamePrefix("close-check")
                .channel(ACCOUNTS, CdcSubscriber.REPLAY_FROM_TIP).queueCapacity(2)
                .backOff(Duration.ofMillis(20), Duration.ofMillis(500)).start();
        String clientId;
        try {
            assertThat(sub.awaitSubscribed(Duration.ofSeconds(20))).isTrue();
            clientId = sub.clientId();
            for (int i = 0; i < 5; i++) {
                sf.records().create("Account", Map.of("Name", "Never polled " + i));
            }
            TestSupport.await("the queue to fill", () -> sub.metrics().queueDepth() == 2);
            assertThat(CdcTestSupport.threadNames("close-check")).isNotEmpty();
        } finally {
            sub.close();
        }
        // Threads may take a moment to return from their last wait once close() has stopped them.
        TestSupport.await("every subscriber thread to end after close",
                () -> CdcTestSupport.threadNames("close-check").isEmpty());
        TestSupport.await("the server to forget the client",
                () -> !SF.emulator().streaming().clientIds().contains(clientId));
        sub.close();   // idempotent
    }
}
