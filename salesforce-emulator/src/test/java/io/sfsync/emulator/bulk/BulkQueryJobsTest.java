package io.sfsync.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Query jobs over HTTP: JobInfo, what Bulk query refuses, bad locators, abort and delete, API call counting. */
class BulkQueryJobsTest extends BulkQueryTestBase {

    @Test
    void jobInfoFromCreationToCompletion() {
        createAccount("{\"Name\":\"Info Account\"}");
        EmulatorHttp.Reply created = http.post(QUERY, jobBody("query", "SELECT Id, Name FROM Account"));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
        JsonNode info = created.json();
        List<String> keys = new ArrayList<>();
        info.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("id", "operation", "object", "createdById", "createdDate",
                "systemModstamp", "state", "concurrencyMode", "contentType", "apiVersion", "lineEnding",
                "columnDelimiter");
        String id = info.get("id").asText();
        assertThat(id).hasSize(18).startsWith("750");
        assertThat(info.get("operation").asText()).isEqualTo("query");
        assertThat(info.get("object").asText()).isEqualTo("Account");
        assertThat(info.get("createdById").asText()).isEqualTo(SalesforceEmulator.INTEGRATION_USER_ID);
        assertThat(info.get("createdDate").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000\\+0000");
        assertThat(info.get("state").asText()).isEqualTo("UploadComplete");
        assertThat(info.get("concurrencyMode").asText()).isEqualTo("Parallel");
        assertThat(info.get("contentType").asText()).isEqualTo("CSV");
        assertThat(info.get("apiVersion").isNumber()).isTrue();
        assertThat(info.get("apiVersion").asDouble()).isEqualTo(62.0);
        assertThat(info.get("lineEnding").asText()).isEqualTo("LF");
        assertThat(info.get("columnDelimiter").asText()).isEqualTo("COMMA");

        JsonNode done = awaitTerminal(QUERY + "/" + id);
        assertThat(done.get("state").asText()).isEqualTo("JobComplete");
        assertThat(done.get("jobType").asText()).isEqualTo("V2Query");
        assertThat(done.get("numberRecordsProcessed").asInt())
                .isEqualTo(emulator.org().count(emulator.schema().find("Account").orElseThrow()));
        assertThat(done.get("retries").asInt()).isZero();
        assertThat(done.get("totalProcessingTime").isIntegralNumber()).isTrue();
        assertThat(done.has("errorMessage")).isFalse();

        JsonNode listed = http.get(QUERY).json();
        assertThat(listed.get("done").asBoolean()).isTrue();
        JsonNode entry = null;
        for (JsonNode r : listed.get("records")) {
            if (r.get("id").asText().equals(id)) {
                entry = r;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.get("jobType").asText()).isEqualTo("V2Query");
        assertThat(entry.get("state").asText()).isEqualTo("JobComplete");
        assertThat(http.get(QUERY + "?jobType=V2Ingest").json().get("records")).isEmpty();
        // Ingest and query jobs live in separate lists, and one kind's id is unknown to the other.
        assertThat(http.get(V + "/jobs/ingest/" + id).status()).isEqualTo(404);
    }

    @Test
    void rejectsWhatBulkQueryDoesNotSupport() {
        int jobsBefore = http.get(QUERY).json().get("records").size();
        assertApiError(http.post(QUERY, jobBody("query", "SELECT COUNT() FROM Account")),
                BulkQueryResource.AGGREGATE_NOT_SUPPORTED);
        assertApiError(http.post(QUERY, jobBody("query", "SELECT Id FROM Account ORDER BY Name LIMIT 10 OFFSET 5")),
                BulkQueryResource.OFFSET_NOT_SUPPORTED);
        assertApiError(http.post(QUERY, jobBody("query", "SELECT Id, BillingAddress FROM Account")),
                "Selecting compound data not supported in Bulk Query");
        assertApiError(http.post(QUERY, jobBody("queryAll", "SELECT Id, Account.ShippingAddress FROM Contact")),
                "Selecting compound data not supported in Bulk Query");
        assertApiError(http.post(QUERY, jobBody("query", "SELECT FIELDS(CUSTOM) FROM Account LIMIT 200")),
                "Selecting compound data not supported in Bulk Query");
        // The components of a compound field are fine.
        assertThat(http.post(QUERY, jobBody("query", "SELECT Id, BillingCity FROM Account")).status()).isEqualTo(200);
        assertThat(http.get(QUERY).json().get("records").size()).isEqualTo(jobsBefore + 1);
    }

    @Test
    void malformedSoqlIsRejectedWithItsErrorText() {
        for (String soql : List.of("SELECT Id FROM", "SELECT Nope__c FROM Account", "SELECT Id FROM Nothing__c",
                "")) {
            EmulatorHttp.Reply bulk = http.post(QUERY, jobBody("query", soql));
            EmulatorHttp.Reply rest = http.get(V + "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8));
            assertThat(rest.status()).isEqualTo(400);
            assertApiError(bulk, error(rest).get("message").asText());
        }
        EmulatorHttp.Reply noQuery = http.post(QUERY, "{\"operation\":\"query\"}");
        assertApiError(noQuery, "SOQL statements cannot be empty or null");

        EmulatorHttp.Reply badOperation = http.post(QUERY, jobBody("insert", "SELECT Id FROM Account"));
        assertApiError(badOperation, "Invalid value: 'insert' supplied for property: 'operation'");
        EmulatorHttp.Reply badDelimiter = http.post(QUERY, "{\"operation\":\"query\",\"query\":\"SELECT Id FROM "
                + "Account\",\"columnDelimiter\":\"COLON\"}");
        assertApiError(badDelimiter, "Invalid value: 'COLON' supplied for property: 'columnDelimiter'");
        EmulatorHttp.Reply badJson = http.post(QUERY, "{\"operation\":");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(error(badJson).get("errorCode").asText()).isEqualTo("JSON_PARSER_ERROR");
    }

    @Test
    void invalidLocatorsAndPageSizesAreRejected() {
        createAccount("{\"Name\":\"Locator Account\"}");
        String id = runQuery("query", "SELECT Id FROM Account").get("id").asText();
        String beyond = Base64.getUrlEncoder().withoutPadding().encodeToString("999999".getBytes(StandardCharsets.US_ASCII));
        for (String locator : List.of("not-a-locator!", "null", beyond)) {
            EmulatorHttp.Reply r = resultsPage(id, locator, null);
            assertThat(r.status()).as(locator).isEqualTo(400);
            assertThat(error(r).get("errorCode").asText()).isEqualTo("INVALID_QUERY_LOCATOR");
        }
        EmulatorHttp.Reply zero = resultsPage(id, null, 0);
        assertApiError(zero, "Invalid value: '0' supplied for property: 'maxRecords'");
        assertThat(resultsPage(id, null, 1).header("Sforce-NumberOfRecords")).isEqualTo("1");
    }

    @Test
    void completedJobsCannotBeAbortedAndDeletedJobsAreGone() {
        String id = runQuery("query", "SELECT Id FROM User").get("id").asText();
        EmulatorHttp.Reply abort = http.patch(QUERY + "/" + id, "{\"state\":\"Aborted\"}");
        assertThat(abort.status()).isEqualTo(400);
        assertThat(error(abort).get("errorCode").asText()).isEqualTo("INVALIDJOBSTATE");
        assertThat(error(abort).get("message").asText()).isEqualTo("Aborting already Completed Job not allowed");
        EmulatorHttp.Reply badState = http.patch(QUERY + "/" + id, "{\"state\":\"Finished\"}");
        assertApiError(badState, "Invalid value: 'Finished' supplied for property: 'state'");

        EmulatorHttp.Reply deleted = http.delete(QUERY + "/" + id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.raw().body()).isEmpty();
        for (EmulatorHttp.Reply gone : List.of(http.get(QUERY + "/" + id), resultsPage(id, null, null),
                http.delete(QUERY + "/" + id), http.patch(QUERY + "/" + id, "{\"state\":\"Aborted\"}"))) {
            assertThat(gone.status()).isEqualTo(404);
            assertThat(error(gone).get("errorCode").asText()).isEqualTo("NOT_FOUND");
            assertThat(error(gone).get("message").asText()).isEqualTo("The requested resource does not exist");
        }
        List<String> listed = new ArrayList<>();
        http.get(QUERY).json().get("records").forEach(r -> listed.add(r.get("id").asText()));
        assertThat(listed).doesNotContain(id);
    }

    @Test
    void everyHttpRequestCountsAsOneApiCall() {
        EmulatorHttp.Reply created = http.post(QUERY, jobBody("query", "SELECT Id FROM User"));
        long used = apiUsage(created);
        String id = created.json().get("id").asText();
        awaitTerminal(QUERY + "/" + id);
        EmulatorHttp.Reply info = http.get(QUERY + "/" + id);
        long afterPolling = apiUsage(info);
        assertThat(afterPolling).isGreaterThan(used);
        EmulatorHttp.Reply results = resultsPage(id, null, 1);
        assertThat(apiUsage(results)).isEqualTo(afterPolling + 1);
        EmulatorHttp.Reply next = resultsPage(id, results.header("Sforce-Locator"), 1);
        assertThat(apiUsage(next)).isEqualTo(afterPolling + 2);
        EmulatorHttp.Reply list = http.get(QUERY);
        assertThat(apiUsage(list)).isEqualTo(afterPolling + 3);
        EmulatorHttp.Reply rejected = http.post(QUERY, jobBody("query", "SELECT COUNT() FROM User"));
        assertThat(apiUsage(rejected)).isEqualTo(afterPolling + 4);
        EmulatorHttp.Reply deleted = http.delete(QUERY + "/" + id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(emulator.limits().used()).isEqualTo(afterPolling + 5);
    }

    private static void assertApiError(EmulatorHttp.Reply r, String message) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
        assertThat(error(r).get("errorCode").asText()).isEqualTo("API_ERROR");
        assertThat(error(r).get("message").asText()).isEqualTo(message);
    }
}
