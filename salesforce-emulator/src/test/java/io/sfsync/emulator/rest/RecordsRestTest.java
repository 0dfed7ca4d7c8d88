package io.sfsync.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.model.SalesforceIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Single-record REST resources, upsert by External ID, and their error bodies. */
class RecordsRestTest {

    static SalesforceEmulator emulator;
    static EmulatorHttp http;
    static final String V = "/services/data/v62.0";

    @BeforeAll
    static void start() {
        emulator = SalesforceEmulator.builder().start();
        http = new EmulatorHttp(emulator.baseUrl(), emulator.accessToken());
    }

    @AfterAll
    static void stop() {
        emulator.stop();
    }

    @Test
    void createReadUpdateDeleteRoundTrip() {
        EmulatorHttp.Reply created = http.post(V + "/sobjects/Account",
                "{\"Name\":\"Acme\",\"BillingCity\":\"Paris\",\"AnnualRevenue\":1200000,\"Rating\":\"Hot\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().fieldNames()).toIterable().containsExactly("id", "success", "errors");
        String id = created.json().get("id").asText();
        assertThat(id).hasSize(18).startsWith("001");
        assertThat(SalesforceIds.normalize(id.substring(0, 15))).isEqualTo(id);
        assertThat(created.header("Sforce-Limit-Info")).matches("api-usage=\\d+/100000");

        JsonNode rec = http.get(V + "/sobjects/Account/" + id).json();
        assertThat(rec.get("attributes").get("url").asText()).isEqualTo(V + "/sobjects/Account/" + id);
        assertThat(rec.get("Name").asText()).isEqualTo("Acme");
        assertThat(rec.get("BillingAddress").get("city").asText()).isEqualTo("Paris");
        assertThat(rec.get("AnnualRevenue").isNumber()).isTrue();
        assertThat(rec.get("CreatedDate").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000\\+0000");
        assertThat(rec.get("OwnerId").asText()).isEqualTo(SalesforceEmulator.INTEGRATION_USER_ID);
        assertThat(rec.has("Description")).isTrue();
        assertThat(rec.get("Description").isNull()).isTrue();

        assertThat(http.patch(V + "/sobjects/Account/" + id, "{\"Name\":\"Acme 2\",\"BillingCity\":null}").status())
                .isEqualTo(204);
        JsonNode after = http.get(V + "/sobjects/Account/" + id + "?fields=Name,BillingCity").json();
        assertThat(after.get("Name").asText()).isEqualTo("Acme 2");
        assertThat(after.get("BillingCity").isNull()).isTrue();
        assertThat(after.has("Industry")).isFalse();

        assertThat(http.delete(V + "/sobjects/Account/" + id).status()).isEqualTo(204);
        EmulatorHttp.Reply again = http.delete(V + "/sobjects/Account/" + id);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get(0).get("errorCode").asText()).isEqualTo("ENTITY_IS_DELETED");
    }

    @Test
    void validationErrorsUseSalesforceCodesAndMessages() {
        EmulatorHttp.Reply missing = http.post(V + "/sobjects/Account", "{\"Phone\":\"1\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get(0).get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(missing.json().get(0).get("message").asText()).isEqualTo("Required fields are missing: [Name]");
        assertThat(missing.json().get(0).get("fields").get(0).asText()).isEqualTo("Name");

        EmulatorHttp.Reply tooLong = http.post(V + "/sobjects/Account", "{\"Name\":\"" + "x".repeat(256) + "\"}");
        assertThat(tooLong.json().get(0).get("errorCode").asText()).isEqualTo("STRING_TOO_LONG");
        assertThat(tooLong.json().get(0).get("message").asText()).endsWith("(max length=255)");

        EmulatorHttp.Reply picklist = http.post(V + "/sobjects/Account", "{\"Name\":\"a\",\"Rating\":\"Lukewarm\"}");
        assertThat(picklist.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(picklist.json().get(0).get("message").asText())
                .isEqualTo("Account Rating: bad value for restricted picklist field: Lukewarm");

        EmulatorHttp.Reply unknown = http.post(V + "/sobjects/Account", "{\"Name\":\"a\",\"Nope__c\":1}");
        assertThat(unknown.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(unknown.json().get(0).get("message").asText())
                .isEqualTo("No such column 'Nope__c' on sobject of type Account");

        EmulatorHttp.Reply readOnly = http.post(V + "/sobjects/Account", "{\"Name\":\"a\",\"CreatedDate\":\"2020-01-01T00:00:00Z\"}");
        assertThat(readOnly.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");

        EmulatorHttp.Reply badRef = http.post(V + "/sobjects/Contact", "{\"LastName\":\"a\",\"AccountId\":\"nope\"}");
        assertThat(badRef.json().get(0).get("errorCode").asText()).isEqualTo("MALFORMED_ID");

        EmulatorHttp.Reply badId = http.get(V + "/sobjects/Account/001000000000000");
        assertThat(badId.status()).isEqualTo(404);
        assertThat(badId.json().get(0).get("errorCode").asText()).isEqualTo("NOT_FOUND");
        assertThat(badId.json().get(0).get("message").asText()).isEqualTo("The requested resource does not exist");
    }

    @Test
    void upsertByExternalIdCreatesUpdatesAndReportsAmbiguity() {
        EmulatorHttp.Reply created = http.patch(V + "/sobjects/Contact/External_Id__c/pg-1",
                "{\"LastName\":\"Lovelace\",\"FirstName\":\"Ada\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("created").asBoolean()).isTrue();
        String id = created.json().get("id").asText();

        EmulatorHttp.Reply updated = http.patch(V + "/sobjects/Contact/External_Id__c/PG-1", "{\"Title\":\"Countess\"}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("created").asBoolean()).isFalse();
        assertThat(updated.json().get("id").asText()).isEqualTo(id);

        assertThat(http.patch("/services/data/v45.0/sobjects/Contact/External_Id__c/pg-1", "{\"Title\":\"x\"}").status())
                .isEqualTo(204);

        EmulatorHttp.Reply unknownField = http.patch(V + "/sobjects/Contact/Nope__c/1", "{\"LastName\":\"x\"}");
        assertThat(unknownField.status()).isEqualTo(404);
        assertThat(unknownField.json().get(0).get("errorCode").asText()).isEqualTo("NOT_FOUND");

        // Email is not unique: two records share a value, and Id-less lookups by it are ambiguous.
        http.post(V + "/sobjects/Lead", "{\"LastName\":\"a\",\"Company\":\"c\",\"External_Id__c\":\"L-1\"}");
        EmulatorHttp.Reply dup = http.post(V + "/sobjects/Lead", "{\"LastName\":\"b\",\"Company\":\"c\",\"External_Id__c\":\"l-1\"}");
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.json().get(0).get("errorCode").asText()).isEqualTo("DUPLICATE_VALUE");
        assertThat(dup.json().get(0).get("message").asText()).startsWith("duplicate value found: External_Id__c duplicates value on record with id: 00Q");
    }

    @Test
    void unauthenticatedCallsGetInvalidSession() {
        EmulatorHttp anonymous = new EmulatorHttp(emulator.baseUrl(), "00Dbogus!token");
        EmulatorHttp.Reply r = anonymous.get(V + "/sobjects");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        assertThat(r.json().get(0).get("message").asText()).isEqualTo("Session expired or invalid");
        EmulatorHttp.Reply versions = anonymous.get("/services/data/");
        assertThat(versions.status()).isEqualTo(200);
        assertThat(versions.json().get(0).fieldNames()).toIterable().containsExactly("label", "url", "version");
    }
}
