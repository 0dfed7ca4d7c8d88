package io.sfsync.emulator.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.cdc.ChangeEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Server-side counters, the streaming extension point, and routing errors. */
class ControlCountersTest extends ControlTestSupport {

    @Test
    void countersShowCallsByEndpointAndRecordsPerWriteCall() {
        rest.get(V + "/sobjects");
        assertThat(control.post("/emulator/counters/reset", "").status()).isEqualTo(200);
        JsonNode zero = control.get("/emulator/counters").json();
        assertThat(zero.get("apiCalls").get("total").asLong()).isZero();
        assertThat(zero.get("writes").get("calls").asLong()).isZero();

        StringBuilder body = new StringBuilder("{\"allOrNone\":false,\"records\":[");
        for (int i = 0; i < 200; i++) {
            body.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Account\"},\"Name\":\"C").append(i).append("\"}");
        }
        EmulatorHttp.Reply collection = rest.post(V + "/composite/sobjects", body + "]}");
        assertThat(collection.status()).isEqualTo(200);
        restCreate("Account", "{\"Name\":\"single\"}");
        rest.get(V + "/limits");
        uiCreate("Account", "{\"Name\":\"not an API call\"}");

        JsonNode c = control.get("/emulator/counters").json();
        assertThat(c.get("apiCalls").get("total").asLong()).isEqualTo(3);
        assertThat(c.get("apiCalls").get("byEndpoint").get("POST /composite/sobjects").asLong()).isEqualTo(1);
        assertThat(c.get("apiCalls").get("byEndpoint").get("POST /sobjects/{type}").asLong()).isEqualTo(1);
        assertThat(c.get("apiCalls").get("byEndpoint").get("GET /limits").asLong()).isEqualTo(1);
        assertThat(c.get("writes").get("calls").asLong()).isEqualTo(2);
        assertThat(c.get("writes").get("records").asLong()).isEqualTo(201);
        assertThat(c.get("writes").get("recordsPerCall").get("200").asLong()).isEqualTo(1);
        assertThat(c.get("writes").get("recordsPerCall").get("1").asLong()).isEqualTo(1);
        assertThat(c.get("limits").get("used").asLong()).isEqualTo(4);
        assertThat(c.get("streaming").get("currentClients").asInt()).isZero();

        JsonNode reset = control.post("/emulator/counters/reset", "").json();
        assertThat(reset.get("apiCalls").get("byEndpoint")).isEmpty();
        assertThat(reset.get("writes").get("recordsPerCall")).isEmpty();
        assertThat(reset.get("limits").get("used").asLong()).as("the allocation is not reset").isEqualTo(4);
    }

    @Test
    void streamingRoutesInjectGapAndOverflowEventsIntoTheEventBus() {
        long mark = emulator.events().lastReplayId();
        assertThat(control.post("/emulator/streaming/gap",
                "{\"entity\":\"account\",\"changeType\":\"GAP_DELETE\",\"recordIds\":[\"0015e00000000a1AAA\"]}").status())
                .isEqualTo(200);
        assertThat(control.post("/emulator/streaming/overflow", "{\"entity\":\"Contact\"}").status()).isEqualTo(200);
        assertThat(control.post("/emulator/streaming/expire-clients", "").status()).isEqualTo(200);
        EmulatorHttp.Reply badType = control.post("/emulator/streaming/gap",
                "{\"entity\":\"Account\",\"changeType\":\"UPDATE\",\"recordIds\":[\"001A\"]}");
        assertThat(badType.status()).isEqualTo(400);

        List<ChangeEvent> injected = emulator.events().after(mark, null, 10);
        assertThat(injected).extracting(ChangeEvent::entityName, ChangeEvent::changeType).containsExactly(
                tuple("Account", "GAP_DELETE"), tuple("Contact", "GAP_OVERFLOW"));
        assertThat(injected.get(0).recordIds()).containsExactly("0015e00000000a1AAA");
        assertThat(injected.get(1).recordIds()).containsExactly("000000000000000AAA");
        assertThat(control.get("/emulator/counters").json().get("streaming").has("deliveredByClient")).isTrue();
    }

    @Test
    void unknownRoutesAndMethodsAreReported() {
        EmulatorHttp.Reply unknown = control.get("/emulator/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(error(unknown)).isEqualTo("no control API route GET /emulator/nope (see CONTROL-API.md)");

        EmulatorHttp.Reply method = control.delete("/emulator/limits");
        assertThat(method.status()).isEqualTo(405);
        assertThat(error(method)).isEqualTo("method DELETE is not allowed on /emulator/limits; allowed: GET, PUT");
        assertThat(method.header("Allow")).isEqualTo("GET, PUT");

        EmulatorHttp.Reply noBody = put("/emulator/limits", "");
        assertThat(noBody.status()).isEqualTo(400);
        assertThat(error(noBody)).isEqualTo("a JSON object body is required");
    }
}
