package io.sfsync.emulator.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The Streaming API as mounted in the whole emulator: a token from the real OAuth endpoint opens a CometD session
 * at /cometd/62.0, REST writes arrive as change events, and revoking the token through OAuth ends the session
 * with Salesforce's 401.
 */
class StreamingThroughEmulatorTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = new SalesforceEmulatorExtension(b -> b.streaming(
            StreamingSettings.defaults().longPollTimeout(Duration.ofSeconds(2)).reconnectWindow(Duration.ofSeconds(4))));
    static final String V = "/services/data/v62.0";

    private static String clientCredentialsToken() {
        EmulatorHttp anonymous = new EmulatorHttp(SALESFORCE.emulator().baseUrl(), null);
        return anonymous.send("POST", "/services/oauth2/token", "grant_type=client_credentials&client_id="
                + enc(SalesforceEmulator.CLIENT_ID) + "&client_secret=" + enc(SalesforceEmulator.CLIENT_SECRET),
                "application/x-www-form-urlencoded").json().get("access_token").asText();
    }

    @Test
    void restWritesStreamToASubscriberUntilItsTokenIsRevoked() throws Exception {
        String token = clientCredentialsToken();
        CometdSubscriber subscriber = new CometdSubscriber(SALESFORCE.emulator().baseUrl() + "/cometd/62.0", token, -1,
                "/data/AccountChangeEvent").start();
        try {
            await(subscriber::subscribed);
            EmulatorHttp rest = new EmulatorHttp(SALESFORCE.emulator().baseUrl(), token).withClientId("sync-e2e");
            String id = rest.post(V + "/sobjects/Account", "{\"Name\":\"Streamed\"}").json().get("id").asText();
            rest.patch(V + "/sobjects/Account/" + id, "{\"Industry\":\"Energy\"}");
            await(() -> subscriber.events.size() >= 2);
            assertThat(CometdSubscriber.firstRecordId(subscriber.events.get(0))).isEqualTo(id);
            assertThat(CometdSubscriber.header(subscriber.events.get(1)).get("changeType")).isEqualTo("UPDATE");
            assertThat(CometdSubscriber.header(subscriber.events.get(1)).get("changeOrigin"))
                    .isEqualTo("com/salesforce/api/rest/62.0;client=sync-e2e");
            // A delivery is counted when the HTTP exchange completes, which may be after the client has the events.
            await(() -> SALESFORCE.emulator().streaming().deliveredByChannel()
                    .getOrDefault("/data/AccountChangeEvent", 0L) >= 2);

            new EmulatorHttp(SALESFORCE.emulator().baseUrl(), null).send("POST", "/services/oauth2/revoke",
                    "token=" + enc(token), "application/x-www-form-urlencoded");
            await(() -> subscriber.errors(subscriber.connectReplies).contains("401::Authentication invalid"));
        } finally {
            subscriber.close();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
