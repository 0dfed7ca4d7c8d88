package io.sfsync.emulator.streaming;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.HttpCookie;
import java.util.List;
import java.util.Map;

import static io.sfsync.emulator.streaming.RawBayeux.map;
import static io.sfsync.emulator.streaming.RawBayeux.message;
import static org.assertj.core.api.Assertions.assertThat;

/** The exact Bayeux wire shapes, compared with the samples of Salesforce replies, over plain HTTP. */
class StreamingWireTest {

    private StreamingFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new StreamingFixture();
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void handshakeReplyHasSalesforceShapeAndSetsCookies() {
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN);
        RawBayeux.Reply r = c.handshake();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.messages()).hasSize(1);
        Map<String, Object> reply = r.first("/meta/handshake");
        // Same keys as cometd-handshake-connect-subscribe-pushtopic.sfdocs.txt.
        assertThat(reply).containsOnlyKeys("ext", "minimumVersion", "clientId", "supportedConnectionTypes",
                "channel", "id", "version", "successful", "reestablish");
        assertThat(reply).containsEntry("successful", true).containsEntry("version", "1.0")
                .containsEntry("minimumVersion", "1.0").containsEntry("reestablish", false)
                .containsEntry("supportedConnectionTypes", List.of("long-polling")).containsEntry("id", "1");
        assertThat(map(reply.get("ext"))).containsExactlyInAnyOrderEntriesOf(
                Map.of("replay", true, "payload.format", true));
        assertThat((String) reply.get("clientId")).matches("[0-9a-z]{25,27}");
        List<String> cookieNames = c.cookies.getCookieStore().getCookies().stream().map(HttpCookie::getName).toList();
        assertThat(cookieNames).contains(StreamingService.BROWSER_COOKIE, "BrowserId");
    }

    @Test
    void connectAndSubscribeRepliesHaveSalesforceShape() {
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN);
        c.handshake();

        Map<String, Object> connect = c.connect().first("/meta/connect");
        assertThat(connect).containsOnlyKeys("clientId", "advice", "channel", "id", "successful");
        assertThat(connect).containsEntry("clientId", c.clientId).containsEntry("successful", true);
        assertThat(map(connect.get("advice"))).containsExactlyInAnyOrderEntriesOf(
                Map.of("interval", 0, "timeout", 2000, "reconnect", "retry"));

        Map<String, Object> subscribe = c.subscribe("/data/AccountChangeEvent",
                Map.of("/data/AccountChangeEvent", -1)).first("/meta/subscribe");
        assertThat(subscribe).containsOnlyKeys("clientId", "channel", "id", "subscription", "successful");
        assertThat(subscribe).containsEntry("subscription", "/data/AccountChangeEvent")
                .containsEntry("clientId", c.clientId).containsEntry("successful", true);

        // A held connect times out after advice.timeout and is answered the same way.
        Map<String, Object> idle = c.connect().first("/meta/connect");
        assertThat(map(idle.get("advice"))).containsEntry("timeout", 2000).containsEntry("reconnect", "retry");
    }

    @Test
    void eventMessagesCarryTheChangeEventData() {
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        c.subscribeOk("/data/AccountChangeEvent", null);
        String id = f.insert("Account", Map.of("Name", "Acme", "BillingCity", "San Francisco"));

        List<Map<String, Object>> events = c.receive(1);

        assertThat(events).hasSize(1);
        Map<String, Object> event = events.get(0);
        assertThat(event).containsOnlyKeys("channel", "data").containsEntry("channel", "/data/AccountChangeEvent");
        Map<String, Object> data = map(event.get("data"));
        assertThat(data).containsOnlyKeys("schema", "payload", "event");
        assertThat((String) data.get("schema")).hasSize(22);
        Map<String, Object> payload = map(data.get("payload"));
        assertThat(payload).containsEntry("Name", "Acme")
                .containsEntry("BillingAddress", Map.of("City", "San Francisco"));
        Map<String, Object> header = RawBayeux.headerOf(event);
        assertThat(header).containsEntry("entityName", "Account").containsEntry("changeType", "CREATE")
                .containsEntry("recordIds", List.of(id)).containsEntry("changedFields", List.of())
                .containsEntry("changeOrigin", "com/salesforce/api/rest/62.0;client=streaming-test")
                .containsEntry("commitUser", StreamingFixture.USER_ID);
        assertThat(RawBayeux.replayIdOf(event)).isEqualTo(f.log.lastReplayId());
    }

    @Test
    void handshakeWithoutOrWithBadTokenIsDenied() {
        Map<String, Object> noToken = new RawBayeux(f.cometdUrl(), null).handshake().first("/meta/handshake");
        assertThat(noToken).containsOnlyKeys("ext", "advice", "channel", "id", "error", "successful");
        assertThat(noToken).containsEntry("error", "403::Handshake denied").containsEntry("successful", false)
                .containsEntry("advice", Map.of("reconnect", "none"))
                .containsEntry("ext", Map.of("sfdc", Map.of("failureReason", "401::Request requires authentication")));

        RawBayeux bad = new RawBayeux(f.cometdUrl(), "not-a-token");
        RawBayeux.Reply badReply = bad.handshake();
        // Same as handshake_denied_auth in cometd-error-replies.json (plus the echoed id).
        assertThat(badReply.first("/meta/handshake")).containsEntry("error", "403::Handshake denied")
                .containsEntry("successful", false).containsEntry("advice", Map.of("reconnect", "none"))
                .containsEntry("ext", Map.of("sfdc", Map.of("failureReason", "401::Authentication invalid")))
                .doesNotContainKey("clientId");
        assertThat(bad.cookies.getCookieStore().getCookies()).extracting(HttpCookie::getName)
                .doesNotContain(StreamingService.BROWSER_COOKIE);
        assertThat(f.service.counters()).containsEntry("handshakesDenied", 2L).containsEntry("currentClients", 0);
    }

    @Test
    void oauthAuthorizationSchemeIsAccepted() {
        RawBayeux c = new RawBayeux(f.cometdUrl(), null);
        c.authorization = "OAuth " + StreamingFixture.TOKEN;
        assertThat(c.handshake().first("/meta/handshake")).containsEntry("successful", true);
    }

    @Test
    void connectWithoutBrowserCookieIsRefused() {
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN);
        c.handshake();
        c.cookies.getCookieStore().removeAll();

        Map<String, Object> reply = c.connect().first("/meta/connect");

        assertThat(reply).containsEntry("successful", false).containsEntry("error",
                "400::Client " + c.clientId + " has established a session, but no BAYEUX_BROWSER cookie present");
    }

    @Test
    void unknownClientGetsSalesforceReply() {
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN);
        c.handshake();
        c.clientId = "1q1ib66fvm7kli1gfoauu95i78g";

        Map<String, Object> reply = c.connect().first("/meta/connect");

        // connect_unknown_client in cometd-error-replies.json.
        assertThat(reply).containsOnlyKeys("advice", "channel", "id", "error", "successful");
        assertThat(reply).containsEntry("error", "403::Unknown client").containsEntry("successful", false)
                .containsEntry("advice", Map.of("interval", 0, "reconnect", "handshake"));
    }

    @Test
    void messagesBeforeHandshakeAreRefused() {
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN);
        Map<String, Object> reply = c.post(message("channel", "/meta/connect", "connectionType", "long-polling",
                "id", "1")).first("/meta/connect");
        assertThat(reply).containsEntry("error", "403::Client has not completed handshake")
                .containsEntry("successful", false);
    }

    @Test
    void onlyLongPollingIsSupported() {
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN);
        Map<String, Object> ws = c.post(message("channel", "/meta/handshake", "version", "1.0",
                "supportedConnectionTypes", List.of("websocket"), "id", "1")).first("/meta/handshake");
        assertThat(ws).containsEntry("successful", false)
                .containsEntry("error", "400::Invalid connection type {websocket}");

        c.handshake();
        Map<String, Object> connect = c.post(message("channel", "/meta/connect", "clientId", c.clientId,
                "connectionType", "callback-polling", "id", "5")).first("/meta/connect");
        assertThat(connect).containsEntry("successful", false).containsEntry("clientId", c.clientId)
                .containsEntry("error", "400::Invalid connection type {callback-polling}");
        // The session is still usable.
        assertThat(c.connect().first("/meta/connect")).containsEntry("successful", true);
    }

    @Test
    void subscribeToUnknownOrUnselectedChannelFails() {
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        for (String channel : List.of("/topic/AccountUpdates", "/data/NoSuchObjectChangeEvent",
                "/data/Foo__ChangeEvent", "/data/UserChangeEvent", "/event/Order__e", "/data/**")) {
            Map<String, Object> reply = c.subscribe(channel, null).first("/meta/subscribe");
            assertThat(reply).containsOnlyKeys("clientId", "channel", "id", "subscription", "error", "successful");
            assertThat(reply).containsEntry("successful", false).containsEntry("subscription", channel)
                    .containsEntry("error", "400::The channel you requested to subscribe to does not exist {"
                            + channel + "}");
        }
        // Deselecting an entity removes its channel.
        f.org.enableChangeEvents("Contact", false);
        assertThat(c.subscribe("/data/ContactChangeEvent", null).first("/meta/subscribe"))
                .containsEntry("error", "400::The channel you requested to subscribe to does not exist"
                        + " {/data/ContactChangeEvent}");
        assertThat(c.subscribe("Data/AccountChangeEvent", null).first("/meta/subscribe"))
                .containsEntry("error", "400::Channel subscriptions must start with a leading '/'");
        assertThat(c.post(message("channel", "/meta/subscribe", "clientId", c.clientId, "id", "9"))
                .first("/meta/subscribe")).containsEntry("error", "400::Channel name not specified");
    }

    @Test
    void bareAndSuffixedUrlsWorkForAnyVersionButTheVersionIsRequired() {
        RawBayeux suffixed = new RawBayeux(f.baseUrl + "/cometd/45.0", StreamingFixture.TOKEN);
        RawBayeux.Reply h = suffixed.post("/handshake", List.of(suffixed.handshakeMessage()));
        assertThat(h.first("/meta/handshake")).containsEntry("successful", true);

        RawBayeux noVersion = new RawBayeux(f.baseUrl + "/cometd", StreamingFixture.TOKEN);
        RawBayeux.Reply missing = noVersion.handshake();
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.first("/meta/handshake")).containsEntry("error",
                "400::API version in the URI is mandatory. URI format: '/cometd/62.0'");

        RawBayeux old = new RawBayeux(f.baseUrl + "/cometd/36.0", StreamingFixture.TOKEN);
        assertThat((String) old.handshake().first("/meta/handshake").get("error"))
                .startsWith("400::Unsupported API version.");
    }

    @Test
    void disconnectEndsTheSession() {
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        Map<String, Object> reply = c.post(message("channel", "/meta/disconnect", "clientId", c.clientId, "id",
                "7")).first("/meta/disconnect");
        assertThat(reply).containsEntry("successful", true);
        assertThat(c.connect().first("/meta/connect")).containsEntry("error", "403::Unknown client");
        assertThat(f.service.currentClients()).isZero();
    }

    @Test
    void disconnectAnswersTheHeldConnectWithReconnectNone() throws Exception {
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        RawBayeux other = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN);
        c.cookies.getCookieStore().getCookies().forEach(k -> other.cookies.getCookieStore().add(null, k));
        Thread disconnector = new Thread(() -> {
            StreamingFixture.await(java.time.Duration.ofSeconds(10), "a held connect",
                    () -> f.service.counters().get("connects").equals(2L));
            other.post(message("channel", "/meta/disconnect", "clientId", c.clientId, "id", "30"));
        });
        disconnector.start();

        Map<String, Object> held = c.connect().first("/meta/connect");
        disconnector.join();

        assertThat(held).containsEntry("successful", true);
        assertThat(map(held.get("advice"))).containsEntry("reconnect", "none");
    }

    @Test
    void eventsComeOnlyAfterTheSubscribeReplyEvenInOneRequest() {
        f.account("A1");
        f.account("A2");
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();

        // Faye may send subscribe and connect in one POST: the replayed events must not come before the reply.
        RawBayeux.Reply both = c.post("", List.of(
                message("channel", "/meta/subscribe", "clientId", c.clientId, "subscription",
                        "/data/AccountChangeEvent", "ext", Map.of("replay", Map.of("/data/AccountChangeEvent", -2)),
                        "id", "40"),
                c.connectMessage()));

        assertThat(both.first("/meta/subscribe")).containsEntry("successful", true);
        assertThat(both.first("/meta/connect")).containsEntry("successful", true);
        assertThat(both.events()).isEmpty();
        assertThat(c.receive(2)).hasSize(2);
    }
}
