package io.sfsync.emulator.streaming;

import io.sfsync.emulator.model.SalesforceIds;
import org.cometd.bayeux.Message;
import org.cometd.client.BayeuxClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static io.sfsync.emulator.streaming.CometdSubscriber.firstRecordId;
import static io.sfsync.emulator.streaming.CometdSubscriber.header;
import static io.sfsync.emulator.streaming.StreamingFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The CometD Java client, as the connector uses it, against the emulator's streaming endpoint. */
class StreamingCometdClientTest {

    private static final String ACCOUNTS = "/data/AccountChangeEvent";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private StreamingFixture f;
    private final List<CometdSubscriber> subscribers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        f = new StreamingFixture();
    }

    @AfterEach
    void stop() throws Exception {
        for (CometdSubscriber s : subscribers) {
            s.close();
        }
        f.close();
    }

    private CometdSubscriber subscriber(long replayFrom, String... channels) throws Exception {
        CometdSubscriber s = new CometdSubscriber(f.cometdUrl(), StreamingFixture.TOKEN, replayFrom, channels);
        subscribers.add(s);
        s.start();
        await(WAIT, "subscribed", s::subscribed);
        return s;
    }

    @Test
    void createUpdateDeleteEventsArriveOnTheEntityChannel() throws Exception {
        CometdSubscriber s = subscriber(-1, ACCOUNTS);
        String id = f.account("Acme");
        f.update(id, Map.of("Phone", "555-0100"));
        f.delete(id);

        await(WAIT, "3 events", () -> s.events.size() >= 3);

        assertThat(s.events).extracting(Message::getChannel).containsOnly(ACCOUNTS);
        assertThat(s.events).extracting(e -> header(e).get("changeType"))
                .containsExactly("CREATE", "UPDATE", "DELETE");
        assertThat(s.events).extracting(CometdSubscriber::firstRecordId).containsOnly(id);
        assertThat(s.events.get(1).getDataAsMap().get("payload")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("Phone", "555-0100");
        assertThat(s.events).extracting(CometdSubscriber::replayId).isSorted().doesNotHaveDuplicates();
        assertThat(s.handshakeReplies.get(0).getExt()).containsEntry("replay", true);
        String clientId = s.client.getId();
        await(WAIT, "delivery counted", () -> f.service.deliveredByClient().getOrDefault(clientId, 0L) == 3);
        assertThat(f.service.deliveredByChannel()).containsEntry(ACCOUNTS, 3L);
    }

    @Test
    void bothChannelsOfOneClientGetTheEventWithTheSameReplayId() throws Exception {
        CometdSubscriber s = subscriber(-1, ACCOUNTS, "/data/ChangeEvents");
        f.account("Acme");
        f.insert("Contact", Map.of("LastName", "Smith"));

        await(WAIT, "3 events", () -> s.events.size() >= 3);

        assertThat(s.events).extracting(Message::getChannel)
                .containsExactlyInAnyOrder(ACCOUNTS, "/data/ChangeEvents", "/data/ChangeEvents");
        List<Long> accountReplayIds = s.events.stream()
                .filter(e -> header(e).get("entityName").equals("Account")).map(CometdSubscriber::replayId).toList();
        assertThat(accountReplayIds).hasSize(2).containsOnly(accountReplayIds.get(0));
    }

    @Test
    void expiredClientHandshakesAgainAndResumesWithoutGapOrDuplicate() throws Exception {
        CometdSubscriber s = subscriber(-1, ACCOUNTS);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add(f.account("before " + i));
        }
        await(WAIT, "first 5 events", () -> s.events.size() >= 5);
        String firstClientId = s.client.getId();

        s.subscribeGate = new CountDownLatch(1);
        assertThat(f.service.expireClient(firstClientId)).isTrue();
        await(WAIT, "403::Unknown client", () -> s.errors(s.connectReplies).contains("403::Unknown client"));
        // Committed while the client has no subscription on the server.
        for (int i = 0; i < 5; i++) {
            written.add(f.account("while away " + i));
        }
        s.subscribeGate.countDown();
        written.add(f.account("after"));

        await(WAIT, "all 11 events", () -> s.events.size() >= 11);

        assertThat(s.client.getId()).isNotEqualTo(firstClientId);
        assertThat(s.events).extracting(CometdSubscriber::firstRecordId).containsExactlyElementsOf(written);
        assertThat(s.events).extracting(CometdSubscriber::replayId).isSorted().doesNotHaveDuplicates();
        Message unknown = s.connectReplies.stream().filter(m -> "403::Unknown client".equals(
                m.get(Message.ERROR_FIELD))).findFirst().orElseThrow();
        assertThat(unknown.getAdvice()).containsEntry("reconnect", "handshake");
        assertThat(f.service.counters()).containsEntry("currentClients", 1);
        assertThat((Long) f.service.counters().get("reconnects")).isGreaterThanOrEqualTo(1);
        assertThat((Long) f.service.counters().get("expiredClients")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void revokedTokenEndsTheSessionWithAuthenticationInvalid() throws Exception {
        CometdSubscriber s = subscriber(-1, ACCOUNTS);

        f.revoke(StreamingFixture.TOKEN);

        await(WAIT, "401 on /meta/connect",
                () -> s.errors(s.connectReplies).contains("401::Authentication invalid"));
        assertThat(s.client.waitFor(10_000, BayeuxClient.State.DISCONNECTED)).isTrue();
        Message reply = s.connectReplies.stream().filter(m -> !m.isSuccessful()).findFirst().orElseThrow();
        assertThat(reply.getAdvice()).containsEntry("reconnect", "none");
        assertThat(reply.getClientId()).isNotNull();
        assertThat(f.service.currentClients()).isZero();

        // A new client with the revoked token cannot handshake.
        CometdSubscriber again = new CometdSubscriber(f.cometdUrl(), StreamingFixture.TOKEN, -1, ACCOUNTS);
        subscribers.add(again);
        again.start();
        await(WAIT, "handshake reply", () -> !again.handshakeReplies.isEmpty());
        Message denied = again.handshakeReplies.get(0);
        assertThat(denied.isSuccessful()).isFalse();
        assertThat(denied.get(Message.ERROR_FIELD)).isEqualTo("403::Handshake denied");
        assertThat(denied.getExt()).containsKey("sfdc");
        assertThat(((Map<?, ?>) denied.getExt().get("sfdc")).get("failureReason"))
                .isEqualTo("401::Authentication invalid");
    }

    @Test
    void tokenInvalidatedWithoutTheHookIsNoticedOnTheNextConnect() throws Exception {
        CometdSubscriber s = subscriber(-1, ACCOUNTS);

        f.tokens.clear();

        // The held connect is answered at its timeout (2 s here) with the 401.
        await(WAIT, "401 on /meta/connect",
                () -> s.errors(s.connectReplies).contains("401::Authentication invalid"));
        assertThat(s.client.waitFor(10_000, BayeuxClient.State.DISCONNECTED)).isTrue();
    }

    @Test
    void droppedLongPollsLoseAndRepeatNothing() throws Exception {
        CometdSubscriber s = subscriber(-1, ACCOUNTS);
        f.faults.setDropLongPollRate(0.3);
        List<String> written = new ArrayList<>();
        // In 25 rounds, each delivered before the next: at least 25 long polls are answered, so with a 30 % drop
        // rate some are dropped (a single burst can go out in one or two responses and see no drop at all).
        for (int round = 0; round < 25; round++) {
            for (int i = 0; i < 20; i++) {
                written.add(f.account("A" + (round * 20 + i)));
            }
            int expected = written.size();
            await(Duration.ofSeconds(60), expected + " events", () -> s.events.size() >= expected);
        }
        f.faults.setDropLongPollRate(0);

        assertThat(s.events).hasSize(500);
        assertThat(s.events).extracting(CometdSubscriber::firstRecordId).containsExactlyElementsOf(written);
        assertThat(s.events).extracting(CometdSubscriber::replayId).isSorted().doesNotHaveDuplicates();
        assertThat((Long) f.service.counters().get("droppedLongPolls")).isPositive();
        // Nothing more arrives later.
        String last = f.account("last");
        await(WAIT, "one more event", () -> s.events.size() >= 501);
        assertThat(s.events).hasSize(501);
        assertThat(firstRecordId(s.events.get(500))).isEqualTo(last);
    }

    @Test
    void responsesDroppedWithEventsInThemAreRedelivered() throws Exception {
        CometdSubscriber s = subscriber(-1, ACCOUNTS);
        f.faults.setDropLongPollRate(1.0);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            written.add(f.account("C" + i));
        }
        await(WAIT, "20 dropped long polls", () -> (Long) f.service.counters().get("droppedLongPolls") >= 20);
        assertThat(s.events).isEmpty();
        f.faults.setDropLongPollRate(0);

        await(WAIT, "50 events", () -> s.events.size() >= 50);

        assertThat(s.events).extracting(CometdSubscriber::firstRecordId).containsExactlyElementsOf(written);
        // Some drops closed responses that carried events; those events were put back and sent again.
        assertThat((Long) f.service.counters().get("failedResponses")).isPositive();
        assertThat((Long) f.service.counters().get("eventsRedelivered")).isPositive();
        assertThat(f.service.counters()).containsEntry("eventsDelivered", 50L);
    }

    @Test
    void eventsArriveWhileWritingWithDroppedLongPolls() throws Exception {
        CometdSubscriber s = subscriber(-1, ACCOUNTS);
        f.faults.setDropLongPollRate(0.3);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            written.add(f.account("B" + i));
            if (i % 20 == 0) {
                Thread.sleep(5);
            }
        }

        await(Duration.ofSeconds(60), "200 events", () -> s.events.size() >= 200);

        assertThat(s.events).extracting(CometdSubscriber::firstRecordId).containsExactlyElementsOf(written);
    }

    @Test
    void gapAndOverflowEventsAreDelivered() throws Exception {
        CometdSubscriber s = subscriber(-1, "/data/ChangeEvents");
        String a = f.account("Acme");
        String b = f.account("Initech");

        f.service.injectGap("Account", "GAP_UPDATE", List.of(a, b), StreamingFixture.USER_ID);
        f.service.injectGapOverflow(List.of("Account", "Contact"), StreamingFixture.USER_ID);

        await(WAIT, "5 events", () -> s.events.size() >= 5);

        Map<String, Object> gap = header(s.events.get(2));
        assertThat(gap).containsEntry("entityName", "Account").containsEntry("changeType", "GAP_UPDATE")
                .containsEntry("changeOrigin", "").containsEntry("sequenceNumber", 1L);
        assertThat(CometdSubscriber.strings(gap.get("recordIds"))).containsExactly(a, b);
        assertThat(CometdSubscriber.strings(gap.get("changedFields"))).isEmpty();
        Map<?, ?> gapPayload = (Map<?, ?>) s.events.get(2).getDataAsMap().get("payload");
        assertThat(gapPayload.keySet().stream().map(String::valueOf).toList()).containsExactly("ChangeEventHeader");
        assertThat(s.events.subList(3, 5)).extracting(e -> header(e).get("changeType"))
                .containsOnly("GAP_OVERFLOW");
        assertThat(s.events.subList(3, 5)).extracting(e -> header(e).get("entityName"))
                .containsExactly("Account", "Contact");
        assertThat(s.events.subList(3, 5)).extracting(CometdSubscriber::firstRecordId)
                .containsOnly(SalesforceIds.EMPTY_ID);
        assertThat(header(s.events.get(3)).get("transactionKey")).isEqualTo(header(s.events.get(4)).get("transactionKey"));
    }
}
