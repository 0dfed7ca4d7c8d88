package io.sfsync.emulator.streaming;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sfsync.emulator.streaming.RawBayeux.message;
import static org.assertj.core.api.Assertions.assertThat;

/** Allocations, the reconnect window, control hooks and counters. */
class StreamingLimitsTest {

    private static final String ACCOUNTS = "/data/AccountChangeEvent";

    private StreamingFixture f;

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private static StreamingSettings shortTimes() {
        return StreamingSettings.defaults().longPollTimeout(Duration.ofSeconds(2))
                .reconnectWindow(Duration.ofSeconds(3));
    }

    @Test
    void handshakesBeyondTheConcurrentClientLimitAreRefused() throws Exception {
        f = new StreamingFixture(shortTimes().maxConcurrentClients(2));
        RawBayeux first = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();

        RawBayeux third = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN);
        Map<String, Object> refused = third.handshake().first("/meta/handshake");

        assertThat(refused).containsEntry("successful", false)
                .containsEntry("error", "403::Organization concurrent user limit exceeded")
                .doesNotContainKey("clientId");
        assertThat(f.service.currentClients()).isEqualTo(2);

        first.post(message("channel", "/meta/disconnect", "clientId", first.clientId, "id", "9"));
        assertThat(third.handshake().first("/meta/handshake")).containsEntry("successful", true);
        assertThat(f.service.counters()).containsEntry("currentClients", 2).containsEntry("handshakes", 3L)
                .containsEntry("handshakesDenied", 1L);
    }

    @Test
    void clientThatDoesNotReconnectWithinTheWindowIsExpired() throws Exception {
        f = new StreamingFixture(StreamingSettings.defaults().longPollTimeout(Duration.ofSeconds(2))
                .reconnectWindow(Duration.ofMillis(300)));
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        c.subscribeOk(ACCOUNTS, null);

        StreamingFixture.await(Duration.ofSeconds(10), "the client to be swept", () -> f.service.currentClients() == 0);

        assertThat(c.connect().first("/meta/connect")).containsEntry("error", "403::Unknown client")
                .containsEntry("advice", Map.of("interval", 0, "reconnect", "handshake"));
        assertThat(f.service.counters()).containsEntry("expiredClients", 1L)
                .containsEntry("unknownClientReplies", 1L);
        // A new handshake from the same browser counts as a reconnect.
        c.start();
        assertThat(f.service.counters()).containsEntry("reconnects", 1L);
    }

    @Test
    void expireClientAnswersTheHeldConnectWithUnknownClient() throws Exception {
        f = new StreamingFixture(StreamingSettings.defaults().longPollTimeout(Duration.ofSeconds(30))
                .reconnectWindow(Duration.ofSeconds(30)));
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        c.subscribeOk(ACCOUNTS, null);
        String clientId = c.clientId;
        Thread expirer = new Thread(() -> {
            StreamingFixture.await(Duration.ofSeconds(10), "a held connect", () -> f.service.counters()
                    .get("connects").equals(2L));
            f.service.expireClient(clientId);
        });
        expirer.start();

        Map<String, Object> held = c.connect().first("/meta/connect");
        expirer.join();

        assertThat(held).containsEntry("error", "403::Unknown client").containsEntry("successful", false);
        assertThat(f.service.clientIds()).isEmpty();
        assertThat(f.service.expireClient(clientId)).isFalse();
    }

    @Test
    void expireAllClientsForgetsEveryone() throws Exception {
        f = new StreamingFixture(shortTimes());
        RawBayeux a = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        RawBayeux b = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        assertThat(f.service.clientIds()).containsExactlyInAnyOrder(a.clientId, b.clientId);

        assertThat(f.service.expireAllClients()).isEqualTo(2);

        assertThat(a.connect().first("/meta/connect")).containsEntry("error", "403::Unknown client");
        assertThat(b.connect().first("/meta/connect")).containsEntry("error", "403::Unknown client");
        assertThat(f.service.currentClients()).isZero();
    }

    @Test
    void revokedTokenGetsAuthenticationInvalidOnConnect() throws Exception {
        f = new StreamingFixture(shortTimes());
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();

        f.revoke(StreamingFixture.TOKEN);
        Map<String, Object> reply = c.connect().first("/meta/connect");

        // connect_auth_invalid in cometd-error-replies.json.
        assertThat(reply).containsOnlyKeys("clientId", "advice", "channel", "id", "error", "successful");
        assertThat(reply).containsEntry("clientId", c.clientId).containsEntry("error", "401::Authentication invalid")
                .containsEntry("successful", false)
                .containsEntry("advice", Map.of("reconnect", "none", "interval", 0));
        assertThat(f.service.currentClients()).isZero();
    }

    @Test
    void revokeAllTokensReachesEveryClient() throws Exception {
        f = new StreamingFixture(shortTimes());
        RawBayeux a = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        f.grant("second-token");
        RawBayeux b = new RawBayeux(f.cometdUrl(), "second-token").start();

        assertThat(f.service.revokeAllTokens()).isEqualTo(2);

        assertThat(a.connect().first("/meta/connect")).containsEntry("error", "401::Authentication invalid");
        assertThat(b.connect().first("/meta/connect")).containsEntry("error", "401::Authentication invalid");
    }

    @Test
    void dailyDeliveryAllocationStopsDelivery() throws Exception {
        f = new StreamingFixture(shortTimes().dailyDeliveryAllocation(3));
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        c.subscribeOk(ACCOUNTS, null);
        for (int i = 0; i < 5; i++) {
            f.account("A" + i);
        }

        List<Map<String, Object>> events = c.receive(3);
        Map<String, Object> refused = c.connect().first("/meta/connect");

        assertThat(events).hasSize(3);
        assertThat(refused).containsEntry("successful", false)
                .containsEntry("error", "403::Organization total events daily limit exceeded")
                .containsEntry("advice", Map.of("reconnect", "none", "interval", 0));
        assertThat(f.service.counters()).containsEntry("dailyDeliveredEvents", 3L)
                .containsEntry("dailyDeliveryAllocation", 3L);

        // The events stay on the bus: after the allocation is reset, a new client replays them.
        f.service.resetDailyDeliveries();
        RawBayeux again = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        again.subscribeOk(ACCOUNTS, Map.of(ACCOUNTS, RawBayeux.replayIdOf(events.get(2))));
        assertThat(again.receive(2)).hasSize(2);
    }

    @Test
    void countersTrackDeliveriesPerClientAndChannel() throws Exception {
        f = new StreamingFixture(shortTimes().maxEventsPerResponse(2));
        RawBayeux a = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        a.subscribeOk(ACCOUNTS, null);
        RawBayeux b = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        b.subscribeOk("/data/ChangeEvents", null);
        for (int i = 0; i < 5; i++) {
            f.account("A" + i);
        }

        // At most 2 events per connect response.
        RawBayeux.Reply batch = a.connect();
        assertThat(batch.events()).hasSize(2);
        List<Map<String, Object>> rest = a.receive(3);
        assertThat(rest).hasSize(3);
        assertThat(b.receive(5)).hasSize(5);

        StreamingFixture.await(Duration.ofSeconds(5), "deliveries counted",
                () -> (Long) f.service.counters().get("eventsDelivered") == 10L);
        assertThat(f.service.deliveredByClient()).containsEntry(a.clientId, 5L).containsEntry(b.clientId, 5L);
        assertThat(f.service.deliveredByChannel()).containsEntry(ACCOUNTS, 5L).containsEntry("/data/ChangeEvents", 5L);
        assertThat(f.service.subscriptions(a.clientId)).containsExactly(ACCOUNTS);
        f.service.resetCounters();
        assertThat(f.service.counters()).containsEntry("eventsDelivered", 0L);
    }

    @Test
    void unsubscribeStopsDelivery() throws Exception {
        f = new StreamingFixture(shortTimes());
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        c.subscribeOk(ACCOUNTS, null);
        c.subscribeOk("/data/ContactChangeEvent", null);

        Map<String, Object> reply = c.post(message("channel", "/meta/unsubscribe", "clientId", c.clientId,
                "subscription", ACCOUNTS, "id", "20")).first("/meta/unsubscribe");
        f.account("ignored");
        String contact = f.insert("Contact", Map.of("LastName", "Smith"));

        assertThat(reply).containsEntry("successful", true).containsEntry("clientId", c.clientId);
        List<Map<String, Object>> events = c.receive(1);
        assertThat(events).extracting(e -> e.get("channel")).containsExactly("/data/ContactChangeEvent");
        assertThat(RawBayeux.firstRecordId(events.get(0))).isEqualTo(contact);
    }
}
