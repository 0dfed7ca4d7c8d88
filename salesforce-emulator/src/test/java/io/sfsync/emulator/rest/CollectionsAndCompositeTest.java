package io.sfsync.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** sObject Collections and composite requests, including all-or-none rollbacks and their result shapes. */
class CollectionsAndCompositeTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = new SalesforceEmulatorExtension();
    static final String V = "/services/data/v62.0";
    EmulatorHttp http;

    @BeforeEach
    void client() {
        http = new EmulatorHttp(SALESFORCE.emulator().baseUrl(), SALESFORCE.emulator().accessToken());
    }

    private static String accounts(int n, String prefix) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 0; i < n; i++) {
            j.add("{\"attributes\":{\"type\":\"Account\"},\"Name\":\"" + prefix + i + "\"}");
        }
        return j.toString();
    }

    @Test
    void createPartialSuccessKeepsGoodRecordsAndUsesStatusCode() {
        String body = "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":\"Account\"},\"Phone\":\"1\"},"
                + "{\"attributes\":{\"type\":\"Account\"},\"Name\":\"Good\"}]}";
        EmulatorHttp.Reply r = http.post(V + "/composite/sobjects", body);
        assertThat(r.status()).isEqualTo(200);
        JsonNode failed = r.json().get(0);
        assertThat(failed.has("id")).isFalse();
        assertThat(failed.get("success").asBoolean()).isFalse();
        assertThat(failed.get("errors").get(0).get("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(failed.get("errors").get(0).has("errorCode")).isFalse();
        assertThat(failed.get("errors").get(0).get("fields").get(0).asText()).isEqualTo("Name");
        JsonNode ok = r.json().get(1);
        assertThat(ok.fieldNames()).toIterable().containsExactly("id", "success", "errors");
        assertThat(http.get(V + "/sobjects/Account/" + ok.get("id").asText()).status()).isEqualTo(200);
    }

    @Test
    void allOrNoneRollsBackEverything() {
        long before = SALESFORCE.emulator().org().count(SALESFORCE.emulator().schema().find("Account").orElseThrow());
        String body = "{\"allOrNone\":true,\"records\":[{\"attributes\":{\"type\":\"Account\"},\"Name\":\"Would be\"},"
                + "{\"attributes\":{\"type\":\"Account\"},\"Rating\":\"Nope\",\"Name\":\"x\"}]}";
        EmulatorHttp.Reply r = http.post(V + "/composite/sobjects", body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get(0).get("errors").get(0).get("statusCode").asText())
                .isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(r.json().get(0).get("errors").get(0).get("message").asText()).isEqualTo(
                "Record rolled back because not all records were valid and the request was using AllOrNone header");
        assertThat(r.json().get(0).has("id")).isFalse();
        assertThat(r.json().get(1).get("errors").get(0).get("statusCode").asText())
                .isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(SALESFORCE.emulator().org().count(SALESFORCE.emulator().schema().find("Account").orElseThrow()))
                .isEqualTo(before);
    }

    @Test
    void twoHundredRecordsPerCallAndNoMore() {
        EmulatorHttp.Reply ok = http.post(V + "/composite/sobjects", "{\"records\":" + accounts(200, "Bulk ") + "}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json()).hasSize(200);
        EmulatorHttp.Reply tooMany = http.post(V + "/composite/sobjects", "{\"records\":" + accounts(201, "X ") + "}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get(0).get("errorCode").asText()).isEqualTo("EXCEEDED_ID_LIMIT");
    }

    @Test
    void updateUpsertAndDeleteCollections() {
        EmulatorHttp.Reply created = http.post(V + "/composite/sobjects", "{\"records\":" + accounts(3, "U ") + "}");
        List<String> ids = new ArrayList<>();
        created.json().forEach(n -> ids.add(n.get("id").asText()));

        String update = "{\"allOrNone\":false,\"records\":["
                + "{\"attributes\":{\"type\":\"Account\"},\"Id\":\"" + ids.get(0) + "\",\"Industry\":\"Banking\"},"
                + "{\"attributes\":{\"type\":\"Contact\"},\"Id\":\"001xx000003DGb2999\",\"LastName\":\"x\"}]}";
        EmulatorHttp.Reply u = http.patch(V + "/composite/sobjects", update);
        assertThat(u.json().get(0).get("success").asBoolean()).isTrue();
        assertThat(u.json().get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("MALFORMED_ID");
        assertThat(u.json().get(1).get("errors").get(0).get("message").asText())
                .isEqualTo("Contact ID: id value of incorrect type: 001xx000003DGb2999");

        String upsert = "{\"allOrNone\":false,\"records\":["
                + "{\"attributes\":{\"type\":\"Account\"},\"External_Id__c\":\"up-1\",\"Name\":\"New\"},"
                + "{\"attributes\":{\"type\":\"Account\"},\"External_Id__c\":\"up-1\",\"Name\":\"Same key again\"}]}";
        EmulatorHttp.Reply up = http.patch(V + "/composite/sobjects/Account/External_Id__c", upsert);
        assertThat(up.json().get(0).get("created").asBoolean()).isTrue();
        assertThat(up.json().get(1).get("created").asBoolean()).isFalse();
        assertThat(up.json().get(1).get("id").asText()).isEqualTo(up.json().get(0).get("id").asText());

        EmulatorHttp.Reply d = http.delete(V + "/composite/sobjects?allOrNone=false&ids=" + ids.get(1) + ","
                + ids.get(1) + ",001RM000003oLrB000");
        assertThat(d.json().get(0).get("success").asBoolean()).isTrue();
        assertThat(d.json().get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(d.json().get(2).get("errors").get(0).get("statusCode").asText()).isEqualTo("MALFORMED_ID");

        EmulatorHttp.Reply got = http.get(V + "/composite/sobjects/Account?fields=Id,Name,Industry&ids="
                + ids.get(0) + "," + ids.get(1));
        assertThat(got.json().get(0).get("Industry").asText()).isEqualTo("Banking");
        assertThat(got.json().get(1).isNull()).isTrue();
    }

    @Test
    void compositeReferencesEarlierResults() {
        String body = "{\"allOrNone\":true,\"compositeRequest\":["
                + "{\"method\":\"POST\",\"url\":\"" + V + "/sobjects/Account\",\"referenceId\":\"acct\","
                + "\"body\":{\"Name\":\"Parent\"}},"
                + "{\"method\":\"POST\",\"url\":\"" + V + "/sobjects/Contact\",\"referenceId\":\"ct\","
                + "\"body\":{\"LastName\":\"Child\",\"AccountId\":\"@{acct.id}\"}},"
                + "{\"method\":\"GET\",\"url\":\"" + V + "/sobjects/Contact/@{ct.id}?fields=AccountId\",\"referenceId\":\"read\"}]}";
        EmulatorHttp.Reply r = http.post(V + "/composite", body);
        assertThat(r.status()).isEqualTo(200);
        JsonNode responses = r.json().get("compositeResponse");
        assertThat(responses.get(0).get("httpStatusCode").asInt()).as(responses.toString()).isEqualTo(201);
        assertThat(responses.get(0).get("httpStatusCode").asInt()).isEqualTo(201);
        assertThat(responses.get(0).get("httpHeaders").get("Location").asText())
                .startsWith(V + "/sobjects/Account/001");
        assertThat(responses.get(2).get("body").get("AccountId").asText())
                .isEqualTo(responses.get(0).get("body").get("id").asText());
    }

    @Test
    void compositeAllOrNoneFailureHaltsTheOthers() {
        String body = "{\"allOrNone\":true,\"compositeRequest\":["
                + "{\"method\":\"POST\",\"url\":\"" + V + "/sobjects/Account\",\"referenceId\":\"ok\",\"body\":{\"Name\":\"Rolled back\"}},"
                + "{\"method\":\"POST\",\"url\":\"" + V + "/sobjects/Account\",\"referenceId\":\"bad\",\"body\":{\"Phone\":\"1\"}},"
                + "{\"method\":\"POST\",\"url\":\"" + V + "/sobjects/Account\",\"referenceId\":\"later\",\"body\":{\"Name\":\"Never\"}}]}";
        JsonNode responses = http.post(V + "/composite", body).json().get("compositeResponse");
        assertThat(responses.get(0).get("body").get(0).get("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(responses.get(0).get("body").get(0).get("message").asText())
                .isEqualTo("The transaction was rolled back since another operation in the same transaction failed.");
        assertThat(responses.get(1).get("body").get(0).get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(responses.get(2).get("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(SALESFORCE.emulator().org().records(SALESFORCE.emulator().schema().find("Account").orElseThrow(), true)
                .noneMatch(rec -> "Rolled back".equals(rec.get("Name")) || "Never".equals(rec.get("Name")))).isTrue();
    }

    @Test
    void compositeRejectsMoreThan25Subrequests() {
        StringJoiner subs = new StringJoiner(",");
        for (int i = 0; i < 26; i++) {
            subs.add("{\"method\":\"GET\",\"url\":\"" + V + "/limits\",\"referenceId\":\"r" + i + "\"}");
        }
        EmulatorHttp.Reply r = http.post(V + "/composite", "{\"compositeRequest\":[" + subs + "]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get(0).get("errorCode").asText()).isEqualTo("LIMIT_EXCEEDED");
    }
}
