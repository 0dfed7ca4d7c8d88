package io.sfsync.emulator.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.cdc.ChangeEvent;
import io.sfsync.emulator.http.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;

/** A fresh emulator per test, a REST client with a session, and a control API client without one. */
abstract class ControlTestSupport {

    static final String V = "/services/data/v62.0";
    static final String UI_ORIGIN = "com/salesforce/api/soap/60.0;client=SfdcInternalAPI/";

    SalesforceEmulator emulator;
    EmulatorHttp rest;
    EmulatorHttp control;

    @BeforeEach
    void startEmulator() {
        emulator = newEmulator();
        rest = new EmulatorHttp(emulator.baseUrl(), emulator.accessToken());
        control = new EmulatorHttp(emulator.baseUrl(), null);
    }

    SalesforceEmulator newEmulator() {
        return SalesforceEmulator.builder().start();
    }

    @AfterEach
    void stopEmulator() {
        emulator.stop();
    }

    EmulatorHttp.Reply put(String path, String body) {
        return control.send("PUT", path, body, "application/json");
    }

    /** Creates a record through the control API (as a UI user) and returns its id. */
    String uiCreate(String object, String json) {
        EmulatorHttp.Reply r = control.post("/emulator/records/" + object, json);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** Creates a record through REST and returns its id. */
    String restCreate(String object, String json) {
        EmulatorHttp.Reply r = rest.post(V + "/sobjects/" + object, json);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** Retained change events after a replay id, as JSON {@code data} objects. */
    List<JsonNode> eventsAfter(long replayId) {
        return emulator.events().after(replayId, null, 10_000).stream()
                .map(ChangeEvent::data).map(d -> (JsonNode) Json.MAPPER.valueToTree(d)).toList();
    }

    static JsonNode header(JsonNode event) {
        return event.get("payload").get("ChangeEventHeader");
    }

    static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    static String error(EmulatorHttp.Reply r) {
        return r.json().get("error").asText();
    }
}
