package io.sfsync.salesforce.streaming;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.sfsync.salesforce.streaming.CdcTestSupport.ACCOUNTS;
import static io.sfsync.salesforce.streaming.CdcTestSupport.CONTACTS;
import static io.sfsync.salesforce.streaming.CdcTestSupport.drainFor;
import static io.sfsync.salesforce.streaming.CdcTestSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A committed replay id older than the retention window: the subscribe fails with Salesforce's 400, the caller's
 * policy is told with a typed report and decides: fail, resync, or latest.
 */
class CdcInvalidReplayIdTest {

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

    /** A replay id of the Account channel that has since expired, committed in a fresh store. */
    private static CdcTestSupport.Offsets expiredCommit() {
        sf.records().create("Account", Map.of("Name", "Soon expired 1"));
        long expired = SF.emulator().events().lastReplayId();
        sf.records().create("Account", Map.of("Name", "Soon expired 2"));
        SF.emulator().events().expireAll();
        CdcTestSupport.Offsets offsets = new CdcTestSupport.Offsets();
        offsets.committed.put(ACCOUNTS, expired);
        return offsets;
    }

    private static CdcSubscriber start(CdcTestSupport.Offsets offsets, InvalidReplayIdPolicy policy, String... channels) {
        CdcSubscriber.Builder b = CdcSubscriber.builder(sf).replayStore(offsets).invalidReplayIdPolicy(policy)
                .backOff(Duration.ofMillis(20), Duration.ofMillis(500));
        for (String c : channels) {
            b.channel(c, CdcSubscriber.REPLAY_FROM_TIP);
        }
        return b.start();
    }

    @Test
    void failPolicySurfacesATypedExceptionFromPoll() throws Exception {
        CdcTestSupport.Offsets offsets = expiredCommit();
        long expired = offsets.committed.get(ACCOUNTS);
        List<ReplayIdInvalid> reports = new CopyOnWriteArrayList<>();
        try (CdcSubscriber sub = start(offsets, r -> {
            reports.add(r);
            return InvalidReplayIdPolicy.Action.FAIL;
        }, ACCOUNTS)) {
            CdcStreamException e = catchThrowableOfType(CdcStreamException.class,
                    () -> pollUntil(sub, Duration.ofSeconds(30), l -> false));
            assertThat(e.reason()).isEqualTo(CdcStreamException.Reason.REPLAY_ID_INVALID);
            assertThat(e.replayIdInvalid()).hasValueSatisfying(r -> {
                assertThat(r.channel()).isEqualTo(ACCOUNTS);
                assertThat(r.replayId()).isEqualTo(expired);
                assertThat(r.error()).startsWith("400::The replayId {" + expired + "} you provided was invalid");
            });
            assertThat(reports).hasSize(1);
            assertThat(sub.metrics().invalidReplayIds()).isEqualTo(1);
            assertThatThrownBy(() -> sub.poll(Duration.ofMillis(10), 1)).isInstanceOf(CdcStreamException.class);
            assertThat(sub.failure()).isPresent();
        }
    }

    @Test
    void resyncPolicyReportsOnceThenStreamsFromTheTipEvenAcrossReHandshakes() throws Exception {
        CdcTestSupport.Offsets offsets = expiredCommit();
        List<ReplayIdInvalid> reports = new CopyOnWriteArrayList<>();
        try (CdcSubscriber sub = start(offsets, r -> {
            reports.add(r);
            return InvalidReplayIdPolicy.Action.RESYNC;
        }, ACCOUNTS, CONTACTS)) {
            assertThat(sub.awaitSubscribed(Duration.ofSeconds(20))).isTrue();
            assertThat(reports).extracting(ReplayIdInvalid::channel).containsExactly(ACCOUNTS);
            String a = sf.records().create("Account", Map.of("Name", "After resync"));
            String c = sf.records().create("Contact", Map.of("LastName", "After resync"));
            List<ChangeEvent> events = pollUntil(sub, Duration.ofSeconds(30), l -> l.size() >= 2);
            assertThat(events).extracting(e -> e.recordIds().get(0)).containsExactlyInAnyOrder(a, c);

            // The committed id is still the expired one (nothing committed since): a re-handshake must not
            // go back to it, nor lose what came after the resync.
            SF.emulator().streaming().expireAllClients();
            String a2 = sf.records().create("Account", Map.of("Name", "After re-handshake"));
            List<ChangeEvent> more = pollUntil(sub, Duration.ofSeconds(30), l -> l.size() >= 1);
            more.addAll(drainFor(sub, Duration.ofMillis(500)));
            assertThat(more).extracting(e -> e.recordIds().get(0)).containsExactly(a2);
            assertThat(reports).hasSize(1);
            assertThat(sub.metrics().invalidReplayIds()).isEqualTo(1);
            assertThat(sub.failure()).isEmpty();
        }
    }

    @Test
    void latestPolicyGoesOnFromTheTipAndCounts() throws Exception {
        CdcTestSupport.Offsets offsets = expiredCommit();
        try (CdcSubscriber sub = start(offsets, InvalidReplayIdPolicy.always(InvalidReplayIdPolicy.Action.LATEST),
                ACCOUNTS)) {
            assertThat(sub.awaitSubscribed(Duration.ofSeconds(20))).isTrue();
            String a = sf.records().create("Account", Map.of("Name", "Latest"));
            List<ChangeEvent> events = pollUntil(sub, Duration.ofSeconds(30), l -> l.size() >= 1);
            events.forEach(offsets::commit);
            assertThat(events).extracting(e -> e.recordIds().get(0)).containsExactly(a);
            assertThat(sub.metrics().invalidReplayIds()).isEqualTo(1);

            // Once the caller commits events of the new stream, re-handshakes resume from them.
            SF.emulator().streaming().expireAllClients();
            String a2 = sf.records().create("Account", Map.of("Name", "Latest 2"));
            List<ChangeEvent> more = pollUntil(sub, Duration.ofSeconds(30), l -> l.size() >= 1);
            more.addAll(drainFor(sub, Duration.ofMillis(500)));
            assertThat(more).extracting(e -> e.recordIds().get(0)).containsExactly(a2);
            assertThat(sub.metrics().invalidReplayIds()).isEqualTo(1);
        }
    }
}
