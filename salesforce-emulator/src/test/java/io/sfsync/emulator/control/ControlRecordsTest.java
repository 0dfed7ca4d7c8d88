package io.sfsync.emulator.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** Record edits made as a person in the UI, batches in one transaction, and the table dump. */
class ControlRecordsTest extends ControlTestSupport {

    @Test
    void uiEditProducesChangeEventWithUiOriginAndAdminUser() {
        String id = uiCreate("Account", "{\"Name\":\"UI Co\"}");
        long mark = emulator.events().lastReplayId();

        EmulatorHttp.Reply patched = control.patch("/emulator/records/Account/" + id, "{\"Rating\":\"Hot\"}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("id").asText()).isEqualTo(id);

        List<JsonNode> events = eventsAfter(mark);
        assertThat(events).hasSize(1);
        JsonNode h = header(events.get(0));
        assertThat(h.get("changeType").asText()).isEqualTo("UPDATE");
        assertThat(texts(h.get("recordIds"))).containsExactly(id);
        assertThat(h.get("changeOrigin").asText()).isEqualTo(UI_ORIGIN);
        assertThat(h.get("commitUser").asText()).isEqualTo(SalesforceEmulator.ADMIN_USER_ID);
        assertThat(texts(h.get("changedFields"))).contains("Rating");
        assertThat(events.get(0).get("payload").get("Rating").asText()).isEqualTo("Hot");

        JsonNode rec = rest.get(V + "/sobjects/Account/" + id).json();
        assertThat(rec.get("Rating").asText()).isEqualTo("Hot");
        assertThat(rec.get("LastModifiedById").asText()).isEqualTo(SalesforceEmulator.ADMIN_USER_ID);
        assertThat(rec.get("OwnerId").asText()).isEqualTo(SalesforceEmulator.ADMIN_USER_ID);
    }

    @Test
    void uiWritesDoNotCountAsApiCalls() {
        long used = emulator.limits().used();
        String id = uiCreate("Account", "{\"Name\":\"Quiet\"}");
        control.patch("/emulator/records/Account/" + id, "{\"Name\":\"Quieter\"}");
        assertThat(emulator.limits().used()).isEqualTo(used);
        assertThat(emulator.org().writeStats().calls()).isZero();
    }

    @Test
    void failedWritesAnswer400WithTheSalesforceErrors() {
        EmulatorHttp.Reply missing = control.post("/emulator/records/Account", "{\"Phone\":\"1\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(error(missing)).contains("REQUIRED_FIELD_MISSING").contains("Required fields are missing: [Name]");
        assertThat(missing.json().get("errors").get(0).get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(missing.json().get("errors").get(0).get("fields").get(0).asText()).isEqualTo("Name");

        String id = uiCreate("Account", "{\"Name\":\"x\"}");
        EmulatorHttp.Reply picklist = control.patch("/emulator/records/Account/" + id, "{\"Rating\":\"Lukewarm\"}");
        assertThat(picklist.status()).isEqualTo(400);
        assertThat(picklist.json().get("errors").get(0).get("errorCode").asText())
                .isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");

        EmulatorHttp.Reply unknownObject = control.post("/emulator/records/Nope__c", "{\"Name\":\"x\"}");
        assertThat(unknownObject.status()).isEqualTo(404);
        assertThat(error(unknownObject)).isEqualTo("unknown object 'Nope__c'");

        EmulatorHttp.Reply unknownRecord = control.patch("/emulator/records/Account/001000000000000", "{\"Name\":\"y\"}");
        assertThat(unknownRecord.status()).isEqualTo(404);
        assertThat(error(unknownRecord)).contains("no Account record with id");

        String contact = uiCreate("Contact", "{\"LastName\":\"c\"}");
        assertThat(control.delete("/emulator/records/Account/" + contact).status()).isEqualTo(404);

        EmulatorHttp.Reply badJson = control.post("/emulator/records/Account", "{\"Name\":");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(error(badJson)).startsWith("malformed JSON body");
    }

    @Test
    void batchUpdateIsOneTransactionAndOneEventForIdenticalChanges() {
        StringBuilder create = new StringBuilder("{\"operation\":\"create\",\"records\":[");
        for (int i = 0; i < 5; i++) {
            create.append(i == 0 ? "" : ",").append("{\"Name\":\"Batch ").append(i).append("\"}");
        }
        EmulatorHttp.Reply created = control.post("/emulator/records/Account/batch", create + "]}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        created.json().get("results").forEach(r -> {
            assertThat(r.get("success").asBoolean()).isTrue();
            ids.add(r.get("id").asText());
        });
        assertThat(ids).hasSize(5);

        long mark = emulator.events().lastReplayId();
        StringBuilder update = new StringBuilder("{\"operation\":\"update\",\"records\":[");
        for (int i = 0; i < ids.size(); i++) {
            update.append(i == 0 ? "" : ",").append("{\"Id\":\"").append(ids.get(i)).append("\",\"Rating\":\"Warm\"}");
        }
        EmulatorHttp.Reply updated = control.post("/emulator/records/Account/batch", update + "]}");
        assertThat(updated.status()).isEqualTo(200);

        List<JsonNode> events = eventsAfter(mark);
        assertThat(events).hasSize(1);
        JsonNode h = header(events.get(0));
        assertThat(h.get("changeType").asText()).isEqualTo("UPDATE");
        assertThat(texts(h.get("recordIds"))).containsExactlyElementsOf(ids);
        assertThat(h.get("changeOrigin").asText()).isEqualTo(UI_ORIGIN);
    }

    @Test
    void batchIsAllOrNoneByDefault() {
        String a = uiCreate("Account", "{\"Name\":\"A\"}");
        String b = uiCreate("Account", "{\"Name\":\"B\"}");
        long mark = emulator.events().lastReplayId();

        EmulatorHttp.Reply r = control.post("/emulator/records/Account/batch", "{\"operation\":\"update\",\"records\":["
                + "{\"Id\":\"" + a + "\",\"Name\":\"A2\"},{\"Id\":\"" + b + "\",\"Rating\":\"Lukewarm\"}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(error(r)).contains("record 1 failed with INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(r.json().get("results").get(0).get("errors").get(0).get("errorCode").asText())
                .isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(eventsAfter(mark)).isEmpty();
        assertThat(rest.get(V + "/sobjects/Account/" + a).json().get("Name").asText()).isEqualTo("A");

        EmulatorHttp.Reply partial = control.post("/emulator/records/Account/batch", "{\"operation\":\"update\","
                + "\"allOrNone\":false,\"records\":[{\"Id\":\"" + a + "\",\"Name\":\"A2\"},"
                + "{\"Id\":\"" + b + "\",\"Rating\":\"Lukewarm\"}]}");
        assertThat(partial.status()).isEqualTo(200);
        assertThat(partial.json().get("results").get(0).get("success").asBoolean()).isTrue();
        assertThat(partial.json().get("results").get(1).get("success").asBoolean()).isFalse();
        assertThat(rest.get(V + "/sobjects/Account/" + a).json().get("Name").asText()).isEqualTo("A2");

        EmulatorHttp.Reply badOp = control.post("/emulator/records/Account/batch",
                "{\"operation\":\"merge\",\"records\":[{}]}");
        assertThat(badOp.status()).isEqualTo(400);
        assertThat(error(badOp)).contains("'operation' must be one of");
    }

    @Test
    void dumpListsRecordsAndDeletedOnesOnRequest() {
        String a = uiCreate("Lead", "{\"LastName\":\"Keep\",\"Company\":\"c\"}");
        String b = uiCreate("Lead", "{\"LastName\":\"Drop\",\"Company\":\"c\"}");
        assertThat(control.delete("/emulator/records/Lead/" + b).status()).isEqualTo(200);

        JsonNode live = control.get("/emulator/records/Lead").json();
        assertThat(live.get("totalSize").asInt()).isEqualTo(1);
        assertThat(live.get("records").get(0).get("Id").asText()).isEqualTo(a);
        assertThat(live.get("records").get(0).get("IsDeleted").asBoolean()).isFalse();
        assertThat(live.get("records").get(0).get("attributes").get("type").asText()).isEqualTo("Lead");

        JsonNode all = control.get("/emulator/records/Lead?includeDeleted=true").json();
        assertThat(all.get("totalSize").asInt()).isEqualTo(2);
        assertThat(all.get("records").get(1).get("Id").asText()).isEqualTo(b);
        assertThat(all.get("records").get(1).get("IsDeleted").asBoolean()).isTrue();
        assertThat(all.get("records").get(1).get("LastName").asText()).isEqualTo("Drop");

        EmulatorHttp.Reply again = control.delete("/emulator/records/Lead/" + b);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("errors").get(0).get("errorCode").asText()).isEqualTo("ENTITY_IS_DELETED");

        long mark = emulator.events().lastReplayId();
        assertThat(control.post("/emulator/records/Lead/" + b + "/undelete", "").status()).isEqualTo(200);
        JsonNode restored = control.get("/emulator/records/Lead?includeDeleted=true").json();
        assertThat(restored.get("records").get(1).get("IsDeleted").asBoolean()).isFalse();
        assertThat(control.get("/emulator/records/Lead").json().get("totalSize").asInt()).isEqualTo(2);
        assertThat(header(eventsAfter(mark).get(0)).get("changeType").asText()).isEqualTo("UNDELETE");

        EmulatorHttp.Reply notDeleted = control.post("/emulator/records/Lead/" + b + "/undelete", "");
        assertThat(notDeleted.status()).isEqualTo(400);
        assertThat(notDeleted.json().get("errors").get(0).get("errorCode").asText()).isEqualTo("UNDELETE_FAILED");
    }
}
