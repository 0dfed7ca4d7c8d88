package io.sfsync.emulator.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** Runtime metadata changes and the CDC entity selection. */
class ControlSchemaTest extends ControlTestSupport {

    private List<String> describedFields(String object) {
        List<String> names = new ArrayList<>();
        rest.get(V + "/sobjects/" + object + "/describe").json().get("fields").forEach(f -> names.add(f.get("name").asText()));
        return names;
    }

    @Test
    void addedFieldIsDescribedAndItsWritesAppearInChangeEvents() {
        assertThat(describedFields("Account")).doesNotContain("Segment__c");
        EmulatorHttp.Reply added = control.post("/emulator/schema/Account/fields",
                "{\"name\":\"Segment__c\",\"type\":\"string\",\"length\":40,\"label\":\"Segment\"}");
        assertThat(added.status()).as(added.raw().body()).isEqualTo(201);
        assertThat(added.json().get("created").asBoolean()).isTrue();
        assertThat(describedFields("Account")).contains("Segment__c");

        String id = restCreate("Account", "{\"Name\":\"Seg\"}");
        long mark = emulator.events().lastReplayId();
        assertThat(rest.patch(V + "/sobjects/Account/" + id, "{\"Segment__c\":\"SMB\"}").status()).isEqualTo(204);
        List<JsonNode> events = eventsAfter(mark);
        assertThat(events).hasSize(1);
        assertThat(texts(header(events.get(0)).get("changedFields"))).contains("Segment__c");
        assertThat(events.get(0).get("payload").get("Segment__c").asText()).isEqualTo("SMB");

        EmulatorHttp.Reply tooLong = rest.patch(V + "/sobjects/Account/" + id, "{\"Segment__c\":\"" + "x".repeat(41) + "\"}");
        assertThat(tooLong.json().get(0).get("errorCode").asText()).isEqualTo("STRING_TOO_LONG");
    }

    @Test
    void removedFieldIsGoneFromDescribeWritesAndStoredValues() {
        control.post("/emulator/schema/Account/fields", "{\"name\":\"Temp__c\",\"type\":\"string\",\"length\":20}");
        String id = restCreate("Account", "{\"Name\":\"T\",\"Temp__c\":\"old value\"}");

        EmulatorHttp.Reply removed = control.delete("/emulator/schema/Account/fields/Temp__c");
        assertThat(removed.status()).as(removed.raw().body()).isEqualTo(200);
        assertThat(removed.json().get("recordsPurged").asInt()).isEqualTo(1);
        assertThat(describedFields("Account")).doesNotContain("Temp__c");
        assertThat(rest.get(V + "/sobjects/Account/" + id).json().has("Temp__c")).isFalse();
        EmulatorHttp.Reply write = rest.patch(V + "/sobjects/Account/" + id, "{\"Temp__c\":\"x\"}");
        assertThat(write.status()).isEqualTo(400);
        assertThat(write.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(emulator.org().byId(id).orElseThrow().storedValues()).doesNotContainKey("Temp__c");

        // A field created again with the same name starts empty.
        control.post("/emulator/schema/Account/fields", "{\"name\":\"Temp__c\",\"type\":\"string\",\"length\":20}");
        assertThat(rest.get(V + "/sobjects/Account/" + id).json().get("Temp__c").isNull()).isTrue();
    }

    @Test
    void onlyCustomFieldsCanBeRemovedAndBadDefinitionsAreRejected() {
        EmulatorHttp.Reply standard = control.delete("/emulator/schema/Account/fields/Name");
        assertThat(standard.status()).isEqualTo(400);
        assertThat(error(standard)).isEqualTo("only custom fields can be removed; Account.Name is a standard field");
        assertThat(describedFields("Account")).contains("Name");

        EmulatorHttp.Reply unknown = control.delete("/emulator/schema/Account/fields/Nope__c");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(error(unknown)).isEqualTo("no field 'Nope__c' on Account");

        EmulatorHttp.Reply notCustomName = control.post("/emulator/schema/Account/fields", "{\"name\":\"Segment\"}");
        assertThat(notCustomName.status()).isEqualTo(400);
        assertThat(error(notCustomName)).contains("custom field names end in __c");

        EmulatorHttp.Reply badType = control.post("/emulator/schema/Account/fields", "{\"name\":\"X__c\",\"type\":\"blob\"}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(error(badType)).contains("Unknown field type 'blob'");

        EmulatorHttp.Reply badRef = control.post("/emulator/schema/Account/fields",
                "{\"name\":\"Parent__c\",\"type\":\"reference\",\"referenceTo\":\"Nope__c\"}");
        assertThat(badRef.status()).isEqualTo(400);
        assertThat(error(badRef)).contains("unknown object 'Nope__c'");

        EmulatorHttp.Reply changeType = control.post("/emulator/schema/Account/fields",
                "{\"name\":\"External_Id__c\",\"type\":\"double\"}");
        assertThat(changeType.status()).isEqualTo(400);
        assertThat(error(changeType)).contains("already exists with type string");

        EmulatorHttp.Reply unknownObject = control.post("/emulator/schema/Nope__c/fields", "{\"name\":\"X__c\"}");
        assertThat(unknownObject.status()).isEqualTo(404);
    }

    @Test
    void addedCustomObjectIsUsableAndSelectedForChangeEvents() {
        EmulatorHttp.Reply added = control.post("/emulator/schema/objects", "{\"name\":\"Shipment__c\",\"label\":\"Shipment\","
                + "\"fields\":[{\"name\":\"Account__c\",\"type\":\"reference\",\"referenceTo\":\"Account\"},"
                + "{\"name\":\"Weight__c\",\"type\":\"double\",\"precision\":10,\"scale\":2}]}");
        assertThat(added.status()).as(added.raw().body()).isEqualTo(201);
        String prefix = added.json().get("keyPrefix").asText();
        assertThat(control.get("/emulator/cdc/entities").json().get("entities").toString()).contains("Shipment__c");

        String account = restCreate("Account", "{\"Name\":\"Shipper\"}");
        long mark = emulator.events().lastReplayId();
        String id = restCreate("Shipment__c", "{\"Name\":\"S-1\",\"Account__c\":\"" + account + "\",\"Weight__c\":12.5}");
        assertThat(id).startsWith(prefix);
        List<JsonNode> events = eventsAfter(mark);
        assertThat(events).hasSize(1);
        assertThat(header(events.get(0)).get("entityName").asText()).isEqualTo("Shipment__c");
        assertThat(header(events.get(0)).get("changeType").asText()).isEqualTo("CREATE");

        EmulatorHttp.Reply again = control.post("/emulator/schema/objects", "{\"name\":\"Shipment__c\"}");
        assertThat(again.status()).isEqualTo(400);
        assertThat(error(again)).isEqualTo("sObject Shipment__c already exists");
    }

    @Test
    void cdcEntitySelectionDecidesWhichObjectsPublishEvents() {
        JsonNode initial = control.get("/emulator/cdc/entities").json().get("entities");
        assertThat(texts(initial)).contains("Account", "Contact").doesNotContain("User");

        EmulatorHttp.Reply set = put("/emulator/cdc/entities", "{\"entities\":[\"account\"]}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(texts(set.json().get("entities"))).containsExactly("Account");

        long mark = emulator.events().lastReplayId();
        restCreate("Contact", "{\"LastName\":\"Silent\"}");
        String acc = restCreate("Account", "{\"Name\":\"Loud\"}");
        List<JsonNode> events = eventsAfter(mark);
        assertThat(events).hasSize(1);
        assertThat(texts(header(events.get(0)).get("recordIds"))).containsExactly(acc);

        EmulatorHttp.Reply unknown = put("/emulator/cdc/entities", "{\"entities\":[\"Account\",\"Nope\"]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(error(unknown)).isEqualTo("unknown object 'Nope'");
        assertThat(texts(control.get("/emulator/cdc/entities").json().get("entities"))).containsExactly("Account");
    }
}
