package io.sfsync.emulator.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfsync.emulator.EmulatorHttp;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/** Injected faults, session expiry and revocation, and change event retention. */
class ControlFaultsTest extends ControlTestSupport {

    @Test
    void fail503NextFailsExactlyThatManyCallsThenSucceeds() {
        EmulatorHttp.Reply set = put("/emulator/faults", "{\"fail503Next\":2}");
        assertThat(set.status()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            EmulatorHttp.Reply r = rest.get(V + "/sobjects");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().get(0).get("errorCode").asText()).isEqualTo("SERVER_UNAVAILABLE");
        }
        assertThat(rest.get(V + "/sobjects").status()).isEqualTo(200);
        assertThat(rest.get(V + "/sobjects").status()).isEqualTo(200);
    }

    @Test
    void lockRowRateOneFailsEveryWriteWithUnableToLockRow() {
        String id = restCreate("Account", "{\"Name\":\"Locked\"}");
        assertThat(put("/emulator/faults", "{\"lockRowRate\":1.0}").json().get("lockRowRate").asDouble()).isEqualTo(1.0);

        EmulatorHttp.Reply r = rest.patch(V + "/sobjects/Account/" + id, "{\"Name\":\"x\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get(0).get("errorCode").asText()).isEqualTo("UNABLE_TO_LOCK_ROW");
        assertThat(r.json().get(0).get("message").asText())
                .isEqualTo("unable to obtain exclusive access to this record or 1 records: " + id);

        EmulatorHttp.Reply reset = control.delete("/emulator/faults");
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().get("lockRowRate").asDouble()).isZero();
        assertThat(rest.patch(V + "/sobjects/Account/" + id, "{\"Name\":\"x\"}").status()).isEqualTo(204);
    }

    @Test
    void faultSettingsAreValidated() {
        EmulatorHttp.Reply tooHigh = put("/emulator/faults", "{\"latencyMs\":5,\"lockRowRate\":1.5}");
        assertThat(tooHigh.status()).isEqualTo(400);
        assertThat(error(tooHigh)).isEqualTo("'lockRowRate' must be a number from 0 to 1, got 1.5");
        assertThat(emulator.faults().latency()).isEqualTo(Duration.ZERO);

        EmulatorHttp.Reply text = put("/emulator/faults", "{\"serverErrorRate\":\"half\"}");
        assertThat(text.status()).isEqualTo(400);
        assertThat(error(text)).isEqualTo("'serverErrorRate' must be a number from 0 to 1, got \"half\"");

        EmulatorHttp.Reply ok = put("/emulator/faults", "{\"latencyMs\":5,\"serverUnavailableRate\":0.1,"
                + "\"serverErrorRate\":0,\"dropLongPollRate\":0.3}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(emulator.faults().latency()).isEqualTo(Duration.ofMillis(5));
        assertThat(emulator.faults().serverUnavailableRate()).isEqualTo(0.1);
        assertThat(emulator.faults().dropLongPollRate()).isEqualTo(0.3);
        assertThat(control.get("/emulator/faults").json().get("dropLongPollRate").asDouble()).isEqualTo(0.3);
    }

    @Test
    void expiredSessionsGetInvalidSessionId() {
        assertThat(rest.get(V + "/sobjects").status()).isEqualTo(200);
        assertThat(control.post("/emulator/sessions/expire", "").status()).isEqualTo(200);
        EmulatorHttp.Reply r = rest.get(V + "/sobjects");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        assertThat(r.json().get(0).get("message").asText()).isEqualTo("Session expired or invalid");
    }

    @Test
    void revokeEndsOneSessionOrAll() {
        String one = emulator.accessToken();
        String other = emulator.accessToken();
        EmulatorHttp a = new EmulatorHttp(emulator.baseUrl(), one);
        EmulatorHttp b = new EmulatorHttp(emulator.baseUrl(), other);

        assertThat(control.post("/emulator/sessions/revoke", "{\"token\":\"" + one + "\"}").status()).isEqualTo(200);
        assertThat(a.get(V + "/sobjects").status()).isEqualTo(401);
        assertThat(b.get(V + "/sobjects").status()).isEqualTo(200);

        EmulatorHttp.Reply unknown = control.post("/emulator/sessions/revoke", "{\"token\":\"" + one + "\"}");
        assertThat(unknown.status()).isEqualTo(404);

        assertThat(control.post("/emulator/sessions/revoke", "").status()).isEqualTo(200);
        assertThat(b.get(V + "/sobjects").status()).isEqualTo(401);
        assertThat(rest.get(V + "/sobjects").status()).isEqualTo(401);
    }

    @Test
    void sessionTimeoutIsSetInSeconds() {
        EmulatorHttp.Reply set = put("/emulator/sessions/timeout", "{\"seconds\":900}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(emulator.tokens().sessionTimeout()).isEqualTo(Duration.ofSeconds(900));
        EmulatorHttp.Reply zero = put("/emulator/sessions/timeout", "{\"seconds\":0}");
        assertThat(zero.status()).isEqualTo(400);
        assertThat(error(zero)).isEqualTo("'seconds' must be a whole number > 0, got 0");
        assertThat(emulator.tokens().sessionTimeout()).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void eventsExpireOnDemandAndRetentionIsSettable() {
        restCreate("Account", "{\"Name\":\"E1\"}");
        restCreate("Account", "{\"Name\":\"E2\"}");
        assertThat(emulator.events().size()).isEqualTo(2);
        long last = emulator.events().lastReplayId();

        EmulatorHttp.Reply expired = control.post("/emulator/events/expire", "");
        assertThat(expired.status()).isEqualTo(200);
        assertThat(expired.json().get("expired").asInt()).isEqualTo(2);
        assertThat(emulator.events().size()).isZero();
        assertThat(emulator.events().isValidReplayFrom(last - 1)).isFalse();
        assertThat(control.get("/emulator/events").json().get("retained").asInt()).isZero();

        EmulatorHttp.Reply retention = put("/emulator/events/retention", "{\"hours\":1}");
        assertThat(retention.status()).isEqualTo(200);
        assertThat(emulator.events().retention()).isEqualTo(Duration.ofHours(1));
        assertThat(retention.json().get("retentionHours").asDouble()).isEqualTo(1.0);
        EmulatorHttp.Reply zero = put("/emulator/events/retention", "{\"hours\":0}");
        assertThat(zero.status()).isEqualTo(400);
        assertThat(emulator.events().retention()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void retainedEventsAreBoundedInNumberAndTheEvictedOnesExpire() {
        try (io.sfsync.emulator.SalesforceEmulator small = io.sfsync.emulator.SalesforceEmulator.builder()
                .maxRetainedEvents(3).start()) {
            EmulatorHttp http = new EmulatorHttp(small.baseUrl(), small.accessToken());
            long first = 0;
            for (int i = 0; i < 5; i++) {
                assertThat(http.post("/services/data/v62.0/sobjects/Account", "{\"Name\":\"Bounded " + i + "\"}")
                        .status()).isEqualTo(201);
                if (i == 0) {
                    first = small.events().lastReplayId();
                }
            }
            assertThat(http.get("/emulator/events").json().get("retained").asInt()).isEqualTo(3);
            assertThat(small.events().isValidReplayFrom(first)).as("its successor was evicted").isFalse();
            assertThat(small.events().isValidReplayFrom(small.events().lastReplayId())).isTrue();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.sfsync.emulator.SalesforceEmulator.builder()
                .maxRetainedEvents(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
