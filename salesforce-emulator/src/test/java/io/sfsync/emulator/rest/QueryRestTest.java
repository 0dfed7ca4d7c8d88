package io.sfsync.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.Samples;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.StringJoiner;

/** query / queryAll over REST: paging with nextRecordsUrl, deleted rows, errors, and the real response shape. */
class QueryRestTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = new SalesforceEmulatorExtension();
    static final String V = "/services/data/v62.0";
    static EmulatorHttp http;

    @BeforeAll
    static void seed() {
        http = new EmulatorHttp(SALESFORCE.emulator().baseUrl(), SALESFORCE.emulator().accessToken());
        for (int batch = 0; batch < 13; batch++) {
            StringJoiner records = new StringJoiner(",", "[", "]");
            for (int i = 0; i < 200; i++) {
                int n = batch * 200 + i;
                records.add("{\"attributes\":{\"type\":\"Lead\"},\"LastName\":\"L" + n + "\",\"Company\":\"Co"
                        + (n % 7) + "\",\"NumberOfEmployees\":" + n + "}");
            }
            http.post(V + "/composite/sobjects", "{\"records\":" + records + "}");
        }
    }

    private static String q(String soql) {
        return URLEncoder.encode(soql, StandardCharsets.UTF_8);
    }

    @Test
    void pagesThroughAllRowsWithNextRecordsUrlWithoutGapsOrRepeats() {
        EmulatorHttp.Reply first = http.get(V + "/query?q=" + q("SELECT Id, LastName FROM Lead"));
        assertThat(first.json().get("totalSize").asInt()).isEqualTo(2600);
        assertThat(first.json().get("done").asBoolean()).isFalse();
        assertThat(first.json().get("records")).hasSize(2000);
        String next = first.json().get("nextRecordsUrl").asText();
        assertThat(next).matches("/services/data/v62\\.0/query/01g[0-9A-Za-z]{15}-2000");
        Set<String> ids = new HashSet<>();
        first.json().get("records").forEach(r -> ids.add(r.get("Id").asText()));
        JsonNode second = http.get(next).json();
        assertThat(second.get("done").asBoolean()).isTrue();
        assertThat(second.has("nextRecordsUrl")).isFalse();
        second.get("records").forEach(r -> ids.add(r.get("Id").asText()));
        assertThat(ids).hasSize(2600);
    }

    @Test
    void batchSizeHeaderChangesThePageSize() {
        EmulatorHttp.Reply r = http.send("GET", V + "/query?q=" + q("SELECT Id FROM Lead WHERE Company = 'Co1'"),
                null, null, "Sforce-Query-Options", "batchSize=200");
        assertThat(r.json().get("records")).hasSize(200);
        assertThat(r.json().get("nextRecordsUrl").asText()).endsWith("-200");
        assertThat(http.get(V + "/query/01g000000000000AAA-200").json().get(0).get("errorCode").asText())
                .isEqualTo("INVALID_QUERY_LOCATOR");
    }

    @Test
    void queryAllSeesDeletedRows() {
        String id = http.post(V + "/sobjects/Lead", "{\"LastName\":\"Gone\",\"Company\":\"x\"}").json().get("id").asText();
        http.delete(V + "/sobjects/Lead/" + id);
        String soql = q("SELECT Id, IsDeleted FROM Lead WHERE LastName = 'Gone'");
        assertThat(http.get(V + "/query?q=" + soql).json().get("totalSize").asInt()).isZero();
        JsonNode all = http.get(V + "/queryAll?q=" + soql).json();
        assertThat(all.get("totalSize").asInt()).isEqualTo(1);
        assertThat(all.get("records").get(0).get("IsDeleted").asBoolean()).isTrue();
    }

    @Test
    void resultShapeMatchesTheRealSample() throws Exception {
        JsonNode sample = Samples.json("query-response.sfdocs.json")
                .get("first_page_GET_/services/data/v63.0/query/?q=SELECT+name,id+from+Account");
        http.post(V + "/sobjects/Account", "{\"Name\":\"Test 1\"}");
        JsonNode ours = http.get("/services/data/v63.0/query/?q=" + q("SELECT name, id FROM Account WHERE Name = 'Test 1'")).json();
        assertThat(ours.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(() -> sample.fieldNames());
        JsonNode record = ours.get("records").get(0);
        assertThat(record.get("attributes").get("type").asText()).isEqualTo("Account");
        assertThat(record.get("attributes").get("url").asText()).startsWith("/services/data/v63.0/sobjects/Account/001");
        assertThat(record.fieldNames()).toIterable().containsExactly("attributes", "Name", "Id");
    }

    @Test
    void malformedAndInvalidQueriesGetSalesforceErrors() {
        EmulatorHttp.Reply empty = http.get(V + "/query?q=");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get(0).get("errorCode").asText()).isEqualTo("MALFORMED_QUERY");
        assertThat(empty.json().get(0).get("message").asText()).isEqualTo("SOQL statements cannot be empty or null");
        EmulatorHttp.Reply field = http.get(V + "/query?q=" + q("SELECT Nope FROM Account"));
        assertThat(field.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(field.json().get(0).get("message").asText()).contains("No such column 'Nope' on entity 'Account'");
        EmulatorHttp.Reply type = http.get(V + "/query?q=" + q("SELECT Id FROM Nope"));
        assertThat(type.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_TYPE");
    }

    @Test
    void countAndFilters() {
        JsonNode count = http.get(V + "/query?q=" + q("SELECT COUNT() FROM Lead WHERE NumberOfEmployees < 100 AND Company IN ('Co0','Co1')")).json();
        assertThat(count.get("records")).isEmpty();
        assertThat(count.get("totalSize").asInt()).isEqualTo(30);
        JsonNode ordered = http.get(V + "/query?q=" + q("SELECT LastName FROM Lead WHERE LastName LIKE 'l25%' ORDER BY NumberOfEmployees DESC LIMIT 3")).json();
        assertThat(ordered.get("records").findValuesAsText("LastName")).containsExactly("L2599", "L2598", "L2597");
    }
}
