package io.sfsync.emulator.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** API allocations set through the control API and enforced on REST calls. */
class ControlLimitsTest extends ControlTestSupport {

    @Test
    void dailyAllocationSetToUsagePlusTwoRejectsTheThirdCall() {
        rest.get(V + "/sobjects");
        long used = control.get("/emulator/limits").json().get("used").asLong();
        assertThat(used).isEqualTo(1);

        EmulatorHttp.Reply set = put("/emulator/limits", "{\"dailyApiRequests\":" + (used + 2) + "}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("dailyApiRequests").asLong()).isEqualTo(used + 2);
        assertThat(set.json().get("remaining").asLong()).isEqualTo(2);

        assertThat(rest.get(V + "/sobjects").status()).isEqualTo(200);
        EmulatorHttp.Reply second = rest.get(V + "/sobjects");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("Sforce-Limit-Info")).isEqualTo("api-usage=" + (used + 2) + "/" + (used + 2));

        EmulatorHttp.Reply third = rest.get(V + "/sobjects");
        assertThat(third.status()).isEqualTo(403);
        assertThat(third.json().get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(third.json().get(0).get("message").asText()).isEqualTo("TotalRequests Limit exceeded.");
        assertThat(third.header("Sforce-Limit-Info")).isEqualTo("api-usage=" + (used + 2) + "/" + (used + 2));

        JsonNode limits = control.get("/emulator/limits").json();
        assertThat(limits.get("remaining").asLong()).isZero();
        assertThat(limits.get("rejected").asLong()).isEqualTo(1);

        // Raising the allocation again lets calls through; "used" sets usage directly.
        put("/emulator/limits", "{\"dailyApiRequests\":1000,\"used\":500}");
        EmulatorHttp.Reply after = rest.get(V + "/sobjects");
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.header("Sforce-Limit-Info")).isEqualTo("api-usage=501/1000");
        assertThat(rest.get(V + "/limits").json().get("DailyApiRequests").get("Remaining").asLong()).isEqualTo(498);
    }

    @Test
    void perSecondCapRejectsCallsBeyondItWithinOneSecond() {
        // A clock that stands still puts every call in the same second.
        try (SalesforceEmulator frozen = SalesforceEmulator.builder()
                .clock(Clock.fixed(Instant.parse("2026-01-15T10:00:00Z"), ZoneOffset.UTC)).start()) {
            EmulatorHttp r = new EmulatorHttp(frozen.baseUrl(), frozen.accessToken());
            EmulatorHttp c = new EmulatorHttp(frozen.baseUrl(), null);
            assertThat(c.send("PUT", "/emulator/limits", "{\"perSecondCap\":2}", "application/json").status())
                    .isEqualTo(200);
            assertThat(r.get(V + "/sobjects").status()).isEqualTo(200);
            assertThat(r.get(V + "/sobjects").status()).isEqualTo(200);
            EmulatorHttp.Reply third = r.get(V + "/sobjects");
            assertThat(third.status()).isEqualTo(403);
            assertThat(third.json().get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");

            assertThat(c.send("PUT", "/emulator/limits", "{\"perSecondCap\":0}", "application/json")
                    .json().get("perSecondCap").asInt()).isZero();
            assertThat(r.get(V + "/sobjects").status()).isEqualTo(200);
        }
    }

    @Test
    void concurrentLongRunningLimitRejectsRequestsWhileOneIsRunning() throws Exception {
        put("/emulator/limits", "{\"concurrentLongRunning\":1,\"longRunningThresholdMs\":0}");
        put("/emulator/faults", "{\"latencyMs\":3000}");
        control.post("/emulator/counters/reset", "");

        CompletableFuture<EmulatorHttp.Reply> slow = CompletableFuture.supplyAsync(
                () -> rest.get(V + "/sobjects/Account/describe"));
        // Wait (bounded) until the slow call has been admitted and counted; it then sleeps in the injected latency.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!control.get("/emulator/counters").json().get("apiCalls").get("byEndpoint")
                .has("GET /sobjects/{type}/describe")) {
            assertThat(System.nanoTime()).as("slow call admitted in time").isLessThan(deadline);
            Thread.sleep(10);
        }

        EmulatorHttp.Reply rejected = rest.get(V + "/limits");
        assertThat(rejected.status()).isEqualTo(403);
        assertThat(rejected.json().get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(rejected.json().get(0).get("message").asText()).isEqualTo("ConcurrentPerOrgLongTxn Limit exceeded.");

        assertThat(slow.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(control.delete("/emulator/faults").status()).isEqualTo(200);
        assertThat(rest.get(V + "/limits").status()).isEqualTo(200);

        JsonNode limits = control.get("/emulator/limits").json();
        assertThat(limits.get("concurrentLongRunning").asInt()).isEqualTo(1);
        assertThat(limits.get("longRunningThresholdMs").asLong()).isZero();
    }

    @Test
    void invalidLimitSettingsAreRejectedAndChangeNothing() {
        long before = emulator.limits().dailyMax();
        EmulatorHttp.Reply negative = put("/emulator/limits", "{\"dailyApiRequests\":5,\"perSecondCap\":-1}");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(error(negative)).isEqualTo("'perSecondCap' must be a whole number >= 0, got -1");
        assertThat(emulator.limits().dailyMax()).isEqualTo(before);

        EmulatorHttp.Reply typo = put("/emulator/limits", "{\"dailyApiRequest\":5}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(error(typo)).startsWith("unknown key 'dailyApiRequest'");

        EmulatorHttp.Reply fraction = put("/emulator/limits", "{\"used\":1.5}");
        assertThat(fraction.status()).isEqualTo(400);
        EmulatorHttp.Reply notObject = put("/emulator/limits", "[1]");
        assertThat(notObject.status()).isEqualTo(400);
        assertThat(error(notObject)).isEqualTo("the body must be a JSON object");
    }
}
