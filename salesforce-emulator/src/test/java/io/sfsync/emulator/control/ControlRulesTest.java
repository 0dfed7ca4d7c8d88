package io.sfsync.emulator.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Trigger-like rules: their side effects land in the same change event as the write that fired them. */
class ControlRulesTest extends ControlTestSupport {

    @Test
    void ruleSideEffectIsInTheSameEventAsTheApiWriteWithItsOrigin() {
        EmulatorHttp.Reply added = control.post("/emulator/rules",
                "{\"object\":\"Account\",\"whenField\":\"Rating\",\"setField\":\"Description\",\"value\":\"rated by rule\"}");
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().get("id").asText()).isNotBlank();

        String id = restCreate("Account", "{\"Name\":\"Acme\"}");
        long mark = emulator.events().lastReplayId();
        EmulatorHttp.Reply patched = rest.send("PATCH", V + "/sobjects/Account/" + id, "{\"Rating\":\"Hot\"}",
                "application/json", "Sforce-Call-Options", "client=x");
        assertThat(patched.status()).isEqualTo(204);

        List<JsonNode> events = eventsAfter(mark);
        assertThat(events).hasSize(1);
        JsonNode h = header(events.get(0));
        assertThat(texts(h.get("changedFields"))).contains("Rating", "Description");
        assertThat(h.get("changeOrigin").asText()).contains("client=x").startsWith("com/salesforce/api/rest/");
        assertThat(events.get(0).get("payload").get("Description").asText()).isEqualTo("rated by rule");
        assertThat(rest.get(V + "/sobjects/Account/" + id).json().get("Description").asText())
                .isEqualTo("rated by rule");
    }

    @Test
    void valueFromCopiesAnotherFieldAndRulesCanBeListedAndRemoved() {
        String ruleId = control.post("/emulator/rules",
                "{\"object\":\"account\",\"whenField\":\"industry\",\"setField\":\"Description\",\"valueFrom\":\"Name\"}")
                .json().get("id").asText();
        JsonNode listed = control.get("/emulator/rules").json().get("rules");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(ruleId);
        assertThat(listed.get(0).get("object").asText()).isEqualTo("Account");
        assertThat(listed.get(0).get("whenField").asText()).isEqualTo("Industry");
        assertThat(listed.get(0).get("valueFrom").asText()).isEqualTo("Name");

        String id = restCreate("Account", "{\"Name\":\"Copied\",\"Industry\":\"Banking\"}");
        assertThat(rest.get(V + "/sobjects/Account/" + id).json().get("Description").asText()).isEqualTo("Copied");

        assertThat(control.delete("/emulator/rules/" + ruleId).status()).isEqualTo(200);
        assertThat(control.get("/emulator/rules").json().get("rules")).isEmpty();
        String other = restCreate("Account", "{\"Name\":\"Plain\",\"Industry\":\"Banking\"}");
        assertThat(rest.get(V + "/sobjects/Account/" + other).json().get("Description").isNull()).isTrue();

        EmulatorHttp.Reply gone = control.delete("/emulator/rules/" + ruleId);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(error(gone)).isEqualTo("no rule with id '" + ruleId + "'");
    }

    @Test
    void invalidRulesAreRejectedWithTheReason() {
        EmulatorHttp.Reply unknownField = control.post("/emulator/rules",
                "{\"object\":\"Account\",\"whenField\":\"Nope\",\"setField\":\"Description\",\"value\":\"v\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(error(unknownField)).isEqualTo("no field 'Nope' on Account");

        EmulatorHttp.Reply both = control.post("/emulator/rules", "{\"object\":\"Account\",\"whenField\":\"Rating\","
                + "\"setField\":\"Description\",\"value\":\"v\",\"valueFrom\":\"Name\"}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(error(both)).startsWith("give exactly one of 'value'");

        EmulatorHttp.Reply readOnly = control.post("/emulator/rules",
                "{\"object\":\"Account\",\"whenField\":\"Rating\",\"setField\":\"CreatedDate\",\"value\":null}");
        assertThat(readOnly.status()).isEqualTo(400);
        assertThat(error(readOnly)).contains("read-only");

        EmulatorHttp.Reply badValue = control.post("/emulator/rules",
                "{\"object\":\"Account\",\"whenField\":\"Name\",\"setField\":\"Rating\",\"value\":\"Lukewarm\"}");
        assertThat(badValue.status()).isEqualTo(400);
        assertThat(error(badValue)).contains("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");

        EmulatorHttp.Reply unknownObject = control.post("/emulator/rules",
                "{\"object\":\"Nope\",\"whenField\":\"Name\",\"setField\":\"Name\",\"value\":\"x\"}");
        assertThat(unknownObject.status()).isEqualTo(404);

        EmulatorHttp.Reply typo = control.post("/emulator/rules",
                "{\"object\":\"Account\",\"whenfield\":\"Name\",\"setField\":\"Description\",\"value\":\"x\"}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(error(typo)).startsWith("unknown key 'whenfield'");
        assertThat(control.get("/emulator/rules").json().get("rules")).isEmpty();
    }
}
