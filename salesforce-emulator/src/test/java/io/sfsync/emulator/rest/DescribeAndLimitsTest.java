package io.sfsync.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.Samples;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.SObjectType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** Discovery, describe (checked against a real describe), If-Modified-Since, limits and their headers. */
class DescribeAndLimitsTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = new SalesforceEmulatorExtension(b -> b.dailyApiRequests(15_000));
    static final String V = "/services/data/v62.0";
    static final ObjectMapper MAPPER = new ObjectMapper();
    EmulatorHttp http;

    @BeforeEach
    void client() {
        http = new EmulatorHttp(SALESFORCE.emulator().baseUrl(), SALESFORCE.emulator().accessToken());
    }

    @Test
    void describeHasEveryKeyOfARealDescribe() throws Exception {
        JsonNode sample = Samples.json("describe-merchandise__c.trimmed.camel.json");
        JsonNode ours = http.get(V + "/sobjects/Invoice__c/describe").json();
        Set<String> missingTop = keys(sample);
        missingTop.removeAll(keys(ours));
        assertThat(missingTop).as("top-level describe keys").isEmpty();
        JsonNode sampleField = sample.get("fields").get(0);
        for (JsonNode field : ours.get("fields")) {
            Set<String> missing = keys(sampleField);
            missing.removeAll(keys(field));
            assertThat(missing).as("keys of field " + field.get("name")).isEmpty();
        }
        assertThat(ours.get("custom").asBoolean()).isTrue();
        assertThat(ours.get("keyPrefix").asText()).matches("a[0-9A-Za-z]{2}");
        JsonNode amount = field(ours, "Amount__c");
        assertThat(amount.get("type").asText()).isEqualTo("currency");
        assertThat(amount.get("soapType").asText()).isEqualTo("xsd:double");
        assertThat(amount.get("precision").asInt()).isEqualTo(16);
        assertThat(amount.get("scale").asInt()).isEqualTo(2);
        JsonNode id = field(ours, "Id");
        assertThat(id.get("type").asText()).isEqualTo("id");
        assertThat(id.get("soapType").asText()).isEqualTo("tns:ID");
        assertThat(id.get("createable").asBoolean()).isFalse();
    }

    @Test
    void standardObjectsHaveCompoundPicklistReferenceAndFormulaFields() {
        JsonNode account = http.get(V + "/sobjects/Account/describe").json();
        assertThat(field(account, "BillingAddress").get("type").asText()).isEqualTo("address");
        assertThat(field(account, "BillingCity").get("compoundFieldName").asText()).isEqualTo("BillingAddress");
        assertThat(field(account, "Rating").get("restrictedPicklist").asBoolean()).isTrue();
        assertThat(field(account, "Industry").get("restrictedPicklist").asBoolean()).isFalse();
        assertThat(field(account, "Regions__c").get("type").asText()).isEqualTo("multipicklist");
        assertThat(field(account, "SystemModstamp").get("updateable").asBoolean()).isFalse();
        assertThat(field(account, "External_Id__c").get("externalId").asBoolean()).isTrue();
        JsonNode contact = http.get(V + "/sobjects/Contact/describe").json();
        assertThat(field(contact, "AccountId").get("referenceTo").get(0).asText()).isEqualTo("Account");
        assertThat(field(contact, "AccountId").get("relationshipName").asText()).isEqualTo("Account");
        assertThat(field(contact, "FirstName").get("compoundFieldName").asText()).isEqualTo("Name");
        JsonNode opp = http.get(V + "/sobjects/Opportunity/describe").json();
        assertThat(field(opp, "ExpectedRevenue").get("calculated").asBoolean()).isTrue();
        assertThat(field(opp, "StageName").get("nillable").asBoolean()).isFalse();
        assertThat(field(opp, "CloseDate").get("type").asText()).isEqualTo("date");
        JsonNode global = http.get(V + "/sobjects").json();
        assertThat(global.get("maxBatchSize").asInt()).isEqualTo(200);
        assertThat(global.get("sobjects").findValuesAsText("name")).contains("Account", "Contact", "Lead",
                "Opportunity", "User", "Invoice__c");
    }

    @Test
    void describeAnswers304UntilTheSchemaChanges() {
        EmulatorHttp.Reply first = http.get(V + "/sobjects/Lead/describe");
        String lastModified = first.header("Last-Modified");
        assertThat(lastModified).isNotNull();
        EmulatorHttp.Reply unchanged = http.send("GET", V + "/sobjects/Lead/describe", null, null,
                "If-Modified-Since", lastModified);
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.raw().body()).isEmpty();

        SObjectType lead = SALESFORCE.emulator().schema().find("Lead").orElseThrow();
        lead.putField(FieldDef.builder("Score__c", FieldType.DOUBLE).custom(true).build(),
                SALESFORCE.emulator().clock().instant());
        EmulatorHttp.Reply changed = http.send("GET", V + "/sobjects/Lead/describe", null, null,
                "If-Modified-Since", lastModified);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("fields").findValuesAsText("name")).contains("Score__c");
    }

    @Test
    void limitsReportUsageAndEveryCallCarriesTheHeader() throws Exception {
        EmulatorHttp.Reply limits = http.get(V + "/limits");
        JsonNode daily = limits.json().get("DailyApiRequests");
        assertThat(daily.get("Max").asLong()).isEqualTo(15_000);
        long used = 15_000 - daily.get("Remaining").asLong();
        assertThat(limits.header("Sforce-Limit-Info")).isEqualTo("api-usage=" + used + "/15000");
        JsonNode sample = Samples.json("limits.camel.json");
        Set<String> missing = keys(sample);
        missing.removeAll(keys(limits.json()));
        assertThat(missing).isEmpty();
        EmulatorHttp.Reply next = http.get(V + "/sobjects");
        assertThat(next.header("Sforce-Limit-Info")).isEqualTo("api-usage=" + (used + 1) + "/15000");
        assertThat(http.get("/services/data/").header("Sforce-Limit-Info")).as("Versions is not counted").isNull();
    }

    @Test
    void exhaustedDailyAllocationRejectsCallsUntilRaised() {
        long used = SALESFORCE.emulator().limits().used();
        SALESFORCE.emulator().limits().setDailyMax(used + 2);
        try {
            assertThat(http.get(V + "/sobjects").status()).isEqualTo(200);
            assertThat(http.get(V + "/sobjects").status()).isEqualTo(200);
            EmulatorHttp.Reply refused = http.get(V + "/sobjects");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
            assertThat(refused.json().get(0).get("message").asText()).isEqualTo("TotalRequests Limit exceeded.");
            assertThat(refused.header("Sforce-Limit-Info")).isEqualTo("api-usage=" + (used + 2) + "/" + (used + 2));
        } finally {
            SALESFORCE.emulator().limits().setDailyMax(15_000);
        }
        assertThat(http.get(V + "/sobjects").status()).isEqualTo(200);
    }

    private static JsonNode field(JsonNode describe, String name) {
        for (JsonNode f : describe.get("fields")) {
            if (f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no field " + name);
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
