package io.sfsync.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.Samples;
import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.data.ChangeOrigin;
import io.sfsync.emulator.data.TriggerRule;
import io.sfsync.emulator.data.WriteContext;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Change events produced by writes through the REST API: bodies per change type, header fields, compound fields,
 * one event for many records, trigger side effects; and their shape against the real samples.
 */
class ChangeEventsFromWritesTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = new SalesforceEmulatorExtension();
    static final String V = "/services/data/v62.0";
    static final ObjectMapper MAPPER = new ObjectMapper();
    EmulatorHttp http;
    long mark;

    @BeforeEach
    void client() {
        http = new EmulatorHttp(SALESFORCE.emulator().baseUrl(), SALESFORCE.emulator().accessToken())
                .withClientId("sfsync-test");
        mark = SALESFORCE.emulator().events().lastReplayId();
    }

    private List<ChangeEvent> newEvents() {
        return SALESFORCE.emulator().events().after(mark, null, 10_000);
    }

    private static JsonNode json(ChangeEvent e) {
        return MAPPER.valueToTree(e.data());
    }

    @Test
    void createCarriesAllNonNullFieldsWithNestedAddressAndApiOrigin() throws Exception {
        String id = http.post(V + "/sobjects/Account", "{\"Name\":\"Acme\",\"Website\":\"www.salesforce.com\","
                + "\"BillingStreet\":\"415 Mission Street\",\"BillingCity\":\"San Francisco\",\"BillingState\":\"CA\"}")
                .json().get("id").asText();
        List<ChangeEvent> events = newEvents();
        assertThat(events).hasSize(1);
        JsonNode data = json(events.get(0));
        JsonNode payload = data.get("payload");
        JsonNode header = payload.get("ChangeEventHeader");
        assertThat(header.get("changeType").asText()).isEqualTo("CREATE");
        assertThat(header.get("entityName").asText()).isEqualTo("Account");
        assertThat(header.get("recordIds").get(0).asText()).isEqualTo(id);
        assertThat(header.get("changeOrigin").asText()).isEqualTo("com/salesforce/api/rest/62.0;client=sfsync-test");
        assertThat(header.get("changedFields")).isEmpty();
        assertThat(header.get("commitUser").asText()).isEqualTo(SalesforceEmulator.INTEGRATION_USER_ID);
        assertThat(payload.get("BillingAddress").get("City").asText()).isEqualTo("San Francisco");
        assertThat(payload.has("BillingCity")).isFalse();
        assertThat(payload.get("CreatedDate").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z");
        assertThat(payload.has("SystemModstamp")).isFalse();
        assertThat(payload.has("IsDeleted")).isFalse();
        assertThat(payload.has("Id")).isFalse();
        assertThat(payload.has("Description")).as("null fields are absent on create").isFalse();
        assertThat(data.get("event").get("replayId").asLong()).isEqualTo(events.get(0).replayId());

        // Same keys and value types as the real event in shared/samples, header included.
        JsonNode sample = Samples.json("cdc-event-account-create-compound-billingaddress.sfdocs.json");
        assertThat(keys(data)).isEqualTo(keys(sample));
        assertThat(keys(payload.get("ChangeEventHeader"))).containsAll(keys(sample.get("payload").get("ChangeEventHeader")));
        assertSameTypes(sample.get("payload").get("ChangeEventHeader"), header);
        assertThat(keys(payload)).containsAll(keys(sample.get("payload")));
        assertThat(data.get("schema").asText()).hasSize(sample.get("schema").asText().length());
    }

    @Test
    void updateCarriesOnlyChangedFieldsAndListsNulls() {
        String id = http.post(V + "/sobjects/Contact", "{\"LastName\":\"Lovelace\",\"FirstName\":\"Ada\","
                + "\"Title\":\"Countess\",\"MailingCity\":\"London\"}").json().get("id").asText();
        mark = SALESFORCE.emulator().events().lastReplayId();
        http.patch(V + "/sobjects/Contact/" + id, "{\"Title\":null,\"FirstName\":\"Augusta\",\"MailingCity\":\"London\"}");
        List<ChangeEvent> events = newEvents();
        assertThat(events).hasSize(1);
        JsonNode payload = json(events.get(0)).get("payload");
        JsonNode header = payload.get("ChangeEventHeader");
        assertThat(header.get("changeType").asText()).isEqualTo("UPDATE");
        assertThat(texts(header.get("changedFields"))).containsExactlyInAnyOrder("Name.FirstName", "Title", "LastModifiedDate");
        assertThat(texts(header.get("nulledFields"))).containsExactly("Title");
        assertThat(payload.get("Title").isNull()).isTrue();
        assertThat(payload.get("Name").get("FirstName").asText()).isEqualTo("Augusta");
        assertThat(payload.has("MailingAddress")).as("unchanged value is not a change").isFalse();
        assertThat(payload.has("LastModifiedDate")).isTrue();
        assertThat(payload.has("LastName")).isFalse();
    }

    @Test
    void deleteIsHeaderOnlyAndUndeleteCarriesAllFields() {
        String id = http.post(V + "/sobjects/Lead", "{\"LastName\":\"Doe\",\"Company\":\"Initech\"}").json().get("id").asText();
        mark = SALESFORCE.emulator().events().lastReplayId();
        http.delete(V + "/sobjects/Lead/" + id);
        SALESFORCE.emulator().org().write(new WriteContext(SalesforceEmulator.ADMIN_USER_ID, ChangeOrigin.UI),
                tx -> tx.undelete(id));
        List<ChangeEvent> events = newEvents();
        assertThat(events).extracting(ChangeEvent::changeType).containsExactly("DELETE", "UNDELETE");
        JsonNode delete = json(events.get(0)).get("payload");
        assertThat(keys(delete)).containsExactly("ChangeEventHeader");
        JsonNode undelete = json(events.get(1)).get("payload");
        assertThat(undelete.get("Company").asText()).isEqualTo("Initech");
        assertThat(undelete.get("ChangeEventHeader").get("changeOrigin").asText())
                .isEqualTo("com/salesforce/api/soap/60.0;client=SfdcInternalAPI/");
    }

    @Test
    void sameChangeToManyRecordsInOneCallIsOneEventWithManyRecordIds() {
        JsonNode created = http.post(V + "/composite/sobjects", "{\"records\":["
                + "{\"attributes\":{\"type\":\"Account\"},\"Name\":\"A\"},{\"attributes\":{\"type\":\"Account\"},\"Name\":\"B\"},"
                + "{\"attributes\":{\"type\":\"Account\"},\"Name\":\"C\"}]}").json();
        mark = SALESFORCE.emulator().events().lastReplayId();
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 3; i++) {
            body.append(i > 0 ? "," : "").append("{\"attributes\":{\"type\":\"Account\"},\"Id\":\"")
                    .append(created.get(i).get("id").asText()).append("\",\"Industry\":\"Energy\"}");
        }
        http.patch(V + "/composite/sobjects", body.append("]}").toString());
        List<ChangeEvent> events = newEvents();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).recordIds()).hasSize(3);
        JsonNode header = json(events.get(0)).get("payload").get("ChangeEventHeader");
        assertThat(header.get("recordIds")).hasSize(3);
        assertThat(header.get("sequenceNumber").asInt()).isEqualTo(1);
    }

    @Test
    void triggerSideEffectLandsInTheSameEventAsTheApiWrite() {
        SALESFORCE.emulator().org().addTriggerRule(new TriggerRule("t1", "Opportunity", "Amount", "NextStep",
                "Review pricing", null));
        String acct = http.post(V + "/sobjects/Account", "{\"Name\":\"Parent\"}").json().get("id").asText();
        String opp = http.post(V + "/sobjects/Opportunity", "{\"Name\":\"Deal\",\"StageName\":\"Prospecting\","
                + "\"CloseDate\":\"2026-12-31\",\"AccountId\":\"" + acct + "\"}").json().get("id").asText();
        mark = SALESFORCE.emulator().events().lastReplayId();
        http.patch(V + "/sobjects/Opportunity/" + opp, "{\"Amount\":5000,\"StageName\":\"Negotiation/Review\"}");
        List<ChangeEvent> events = newEvents();
        assertThat(events).hasSize(1);
        JsonNode payload = json(events.get(0)).get("payload");
        assertThat(texts(payload.get("ChangeEventHeader").get("changedFields")))
                .contains("Amount", "NextStep", "StageName", "Probability");
        assertThat(payload.get("NextStep").asText()).isEqualTo("Review pricing");
        assertThat(payload.get("Probability").asInt()).isEqualTo(90);
        assertThat(payload.has("ExpectedRevenue")).as("formula fields are never in change events").isFalse();
        assertThat(payload.get("ChangeEventHeader").get("changeOrigin").asText()).endsWith(";client=sfsync-test");
        SALESFORCE.emulator().org().removeTriggerRule("t1");
    }

    @Test
    void deletingAnAccountCascadesToItsContacts() {
        String acct = http.post(V + "/sobjects/Account", "{\"Name\":\"Doomed\"}").json().get("id").asText();
        String contact = http.post(V + "/sobjects/Contact", "{\"LastName\":\"Child\",\"AccountId\":\"" + acct + "\"}")
                .json().get("id").asText();
        mark = SALESFORCE.emulator().events().lastReplayId();
        http.delete(V + "/sobjects/Account/" + acct);
        assertThat(newEvents()).extracting(ChangeEvent::entityName, ChangeEvent::changeType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Account", "DELETE"),
                        org.assertj.core.groups.Tuple.tuple("Contact", "DELETE"));
        assertThat(http.get(V + "/sobjects/Contact/" + contact).json().get(0).get("errorCode").asText())
                .isEqualTo("ENTITY_IS_DELETED");
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> texts(JsonNode array) {
        return MAPPER.convertValue(array, MAPPER.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** Every key of the sample has a value of the same JSON type in ours. */
    private static void assertSameTypes(JsonNode sample, JsonNode ours) {
        Iterator<Map.Entry<String, JsonNode>> it = sample.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            assertThat(ours.get(e.getKey()).getNodeType()).as(e.getKey()).isEqualTo(e.getValue().getNodeType());
        }
    }
}
