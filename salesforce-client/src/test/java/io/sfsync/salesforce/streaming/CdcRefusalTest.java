package io.sfsync.salesforce.streaming;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sfsync.salesforce.streaming.CdcTestSupport.ACCOUNTS;
import static io.sfsync.salesforce.streaming.CdcTestSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Refusals: a stale token at handshake is renewed; refusals for good stop the subscriber with a typed reason. */
class CdcRefusalTest {

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

    @AfterEach
    void reset() {
        SF.emulator().streaming().settings().maxConcurrentClients(20).dailyDeliveryAllocation(-1);
        SF.emulator().streaming().resetDailyDeliveries();
    }

    private static CdcSubscriber start(String channel) {
        return CdcSubscriber.builder(sf).channel(channel, CdcSubscriber.REPLAY_FROM_TIP)
                .backOff(Duration.ofMillis(20), Duration.ofMillis(500)).start();
    }

    @Test
    void handshakeDeniedForAStaleTokenGetsAFreshOne() throws Exception {
        String stale = sf.tokens().current().value();
        SF.emulator().tokens().revokeAll();             // the client still caches the revoked token
        try (CdcSubscriber sub = start(ACCOUNTS)) {
            assertThat(sub.awaitSubscribed(Duration.ofSeconds(20))).isTrue();
            assertThat(sub.metrics().reauthentications()).isEqualTo(1);
            assertThat(sf.tokens().current().value()).isNotEqualTo(stale);
            String id = sf.records().create("Account", Map.of("Name", "After stale token"));
            List<ChangeEvent> events = pollUntil(sub, Duration.ofSeconds(30), l -> !l.isEmpty());
            assertThat(events.get(0).recordIds()).containsExactly(id);
        }
    }

    @Test
    void unknownChannelStopsTheSubscriber() throws Exception {
        try (CdcSubscriber sub = start("/data/NoSuchObject__ChangeEvent")) {
            CdcStreamException e = catchThrowableOfType(CdcStreamException.class,
                    () -> pollUntil(sub, Duration.ofSeconds(30), l -> false));
            assertThat(e.reason()).isEqualTo(CdcStreamException.Reason.SUBSCRIPTION_REFUSED);
            assertThat(e.getMessage()).contains("400::The channel you requested to subscribe to does not exist");
        }
    }

    @Test
    void concurrentClientLimitStopsTheSubscriber() throws Exception {
        SF.emulator().streaming().settings().maxConcurrentClients(0);
        try (CdcSubscriber sub = start(ACCOUNTS)) {
            CdcStreamException e = catchThrowableOfType(CdcStreamException.class,
                    () -> pollUntil(sub, Duration.ofSeconds(30), l -> false));
            assertThat(e.reason()).isEqualTo(CdcStreamException.Reason.CONNECTION_REFUSED);
            assertThat(e.getMessage()).contains("403::Organization concurrent user limit exceeded");
            assertThat(sub.isSubscribed()).isFalse();
        }
    }

    @Test
    void dailyDeliveryAllocationExhaustedStopsTheSubscriberAfterTheEventsItGot() throws Exception {
        SF.emulator().streaming().resetDailyDeliveries();
        SF.emulator().streaming().settings().dailyDeliveryAllocation(2);
        try (CdcSubscriber sub = start(ACCOUNTS)) {
            assertThat(sub.awaitSubscribed(Duration.ofSeconds(20))).isTrue();
            for (int i = 0; i < 3; i++) {
                sf.records().create("Account", Map.of("Name", "Allocation " + i));
            }
            List<ChangeEvent> got = new java.util.ArrayList<>();
            CdcStreamException e = catchThrowableOfType(CdcStreamException.class,
                    () -> pollUntil(sub, Duration.ofSeconds(30), l -> {
                        got.clear();
                        got.addAll(l);
                        return false;
                    }));
            assertThat(got).as("the events delivered before the limit are handed over first").hasSize(2);
            assertThat(e.reason()).isEqualTo(CdcStreamException.Reason.CONNECTION_REFUSED);
            assertThat(e.getMessage()).contains("403::Organization total events daily limit exceeded");
        }
    }
}
