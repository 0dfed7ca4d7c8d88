package io.sfsync.source.mapping;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.auth.SalesforceCredentials;
import io.sfsync.salesforce.auth.Secret;
import io.sfsync.salesforce.metadata.SObjectDescribe;
import io.sfsync.salesforce.streaming.ChangeEvent;
import io.sfsync.salesforce.streaming.ChangeEventParser;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Mapping from the emulator's real Account describe and change events in Salesforce's wire shape. */
class RecordMapperTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = new SalesforceEmulatorExtension();

    static ObjectSchema account;
    final RecordMapper mapper = new RecordMapper("sfsync", RecordMapper.DeleteMode.DELETE);

    @BeforeAll
    static void describe() {
        SalesforceEmulator e = SALESFORCE.emulator();
        try (SalesforceClient sf = SalesforceClient.builder(new SalesforceCredentials.ClientCredentials(
                URI.create(e.baseUrl()), SalesforceEmulator.CLIENT_ID, Secret.of(SalesforceEmulator.CLIENT_SECRET)),
                "test").build()) {
            SObjectDescribe d = sf.describe().describe("Account");
            account = ObjectSchema.of(d, Set.of(), Set.of("Description"), "External_Id__c", "sync_key", "sf.Account");
        }
    }

    @Test
    void columnsAreLowerCaseApiNamesWithSfidAndComponentsOfCompoundFields() {
        List<String> names = account.valueSchema().fields().stream().map(Field::name).toList();
        assertThat(names).contains("sfid", "name", "billingcity", "billingstreet", "billingpostalcode",
                "external_id__c", "annualrevenue", "systemmodstamp", "regions__c");
        assertThat(names).doesNotContain("id", "billingaddress", "description", "sync_key");
        assertThat(names).allMatch(n -> n.equals(n.toLowerCase()));
        assertThat(names).endsWith("_sync_version", "_sync_modified_at", "_sync_fields", "_sync_deleted");
        assertThat(account.externalIdField()).isEqualTo("External_Id__c");
        assertThat(account.keySchema().fields()).extracting(Field::name).containsExactly("sync_key");
    }

    @Test
    void typesAreMappedWithoutPrecisionLoss() {
        Schema revenue = account.valueSchema().field("annualrevenue").schema();
        assertThat(revenue.name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(revenue.parameters()).containsEntry(Decimal.SCALE_FIELD, "0")
                .containsEntry(ObjectSchema.PRECISION_PARAMETER, "18");
        Schema health = account.valueSchema().field("health_score__c").schema();
        assertThat(health.name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(health.parameters()).containsEntry(Decimal.SCALE_FIELD, "2");
        assertThat(account.valueSchema().field("customer_since__c").schema().name()).isEqualTo(Date.LOGICAL_NAME);
        assertThat(account.valueSchema().field("systemmodstamp").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(account.valueSchema().field("is_strategic__c").schema().type()).isEqualTo(Schema.Type.BOOLEAN);
        assertThat(account.valueSchema().field("numberofemployees").schema().type()).isEqualTo(Schema.Type.INT32);
        assertThat(account.valueSchema().field("regions__c").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(account.valueSchema().fields()).allMatch(f -> f.schema().isOptional());
    }

    @Test
    void createCarriesTheFullRowKeyedByExternalId() {
        ChangeEvent e = event("CREATE", List.of("001000000000001AAA"), List.of(), List.of(), """
                "Name":"Acme","BillingAddress":{"City":"Paris","Street":"1 rue"},"External_Id__c":"pg-1",
                "AnnualRevenue":12345678901234567.0,"Health_Score__c":98.76,"Customer_Since__c":"2024-02-29",
                "Regions__c":"EMEA;APAC","Is_Strategic__c":true,"CreatedDate":"2026-01-01T10:00:00.123Z\"""");
        RecordMapper.Mapped m = mapper.change(account, e, Map.of("001000000000001AAA", "pg-1")).get(0);
        assertThat(m.key().getString("sync_key")).isEqualTo("pg-1");
        assertThat(m.valueSchema()).isSameAs(account.valueSchema());
        assertThat(m.value().getString("sfid")).isEqualTo("001000000000001AAA");
        assertThat(m.value().getString("billingcity")).isEqualTo("Paris");
        assertThat(m.value().get("annualrevenue")).isEqualTo(new BigDecimal("12345678901234567"));
        assertThat(m.value().get("health_score__c")).isEqualTo(new BigDecimal("98.76"));
        assertThat(m.value().get("customer_since__c")).isEqualTo(new java.util.Date(
                java.time.LocalDate.parse("2024-02-29").toEpochDay() * 86_400_000L));
        assertThat(m.value().get("createddate")).isEqualTo(java.util.Date.from(
                Instant.parse("2026-01-01T10:00:00.123Z")));
        assertThat(m.value().getString("regions__c")).isEqualTo("EMEA;APAC");
        assertThat(m.value().getBoolean("is_strategic__c")).isTrue();
        assertThat(m.value().get("phone")).isNull();
        assertThat(m.value().getString("_sync_version")).isEqualTo("cdc:77");
        assertThat(m.value().get("_sync_modified_at")).isEqualTo(new java.util.Date(1_767_261_600_000L));
        assertThat(m.value().getString("_sync_fields")).isEqualTo("*");
        assertThat(m.value().getBoolean("_sync_deleted")).isFalse();
        m.value().validate();
    }

    @Test
    void updateCarriesOnlyChangedAndNulledFieldsPlusSfid() {
        ChangeEvent e = event("UPDATE", List.of("001000000000001AAA"), List.of("BillingAddress.City", "Phone"),
                List.of("Phone"), """
                "BillingAddress":{"City":"Lyon"},"Phone":null,"LastModifiedDate":"2026-01-01T10:00:00.000Z\"""");
        RecordMapper.Mapped m = mapper.change(account, e, Map.of()).get(0);
        assertThat(m.valueSchema().fields()).extracting(Field::name)
                .containsExactlyInAnyOrder("sfid", "billingcity", "phone", "lastmodifieddate", "_sync_version",
                        "_sync_modified_at", "_sync_fields");
        assertThat(m.value().getString("_sync_version")).isEqualTo("cdc:77");
        assertThat(m.value().get("_sync_modified_at")).isEqualTo(new java.util.Date(1_767_261_600_000L));
        // Describe order, lower case, without sfid and the markers: what the SMT compares per column.
        assertThat(m.value().getString("_sync_fields")).isEqualTo("lastmodifieddate,billingcity,phone");
        assertThat(m.value().getString("billingcity")).isEqualTo("Lyon");
        assertThat(m.value().get("phone")).isNull();
        assertThat(m.key().getString("sync_key")).isEqualTo("001000000000001AAA");
        assertThat(header(m, RecordMapper.H_CHANGED_FIELDS)).isEqualTo("BillingAddress.City,Phone");
        assertThat(header(m, RecordMapper.H_CHANGE_TYPE)).isEqualTo("UPDATE");
        assertThat(header(m, RecordMapper.H_ORIGIN)).isEqualTo("salesforce");
        assertThat(header(m, RecordMapper.H_REPLAY_ID)).isEqualTo(77L);
        assertThat(header(m, RecordMapper.H_TRANSACTION_KEY)).isEqualTo("tx-1");
        assertThat(header(m, RecordMapper.H_COMMIT_TS)).isEqualTo(1_767_261_600_000L);
        assertThat(header(m, RecordMapper.H_ECHO)).isNull();
    }

    @Test
    void nulledFieldsOnlyInTheHeaderStillBecomeNull() {
        ChangeEvent e = event("UPDATE", List.of("001000000000001AAA"), List.of("Website"), List.of("Website"), """
                "LastModifiedDate":"2026-01-01T10:00:00.000Z\"""");
        RecordMapper.Mapped m = mapper.change(account, e, Map.of()).get(0);
        assertThat(m.valueSchema().field("website")).isNotNull();
        assertThat(m.value().get("website")).isNull();
    }

    @Test
    void oneEventForManyRecordsBecomesOneRecordEach() {
        ChangeEvent e = event("UPDATE", List.of("001000000000001AAA", "001000000000002AAA", "001000000000003AAA"),
                List.of("Rating"), List.of(), "\"Rating\":\"Hot\"");
        List<RecordMapper.Mapped> all = mapper.change(account, e, Map.of("001000000000002AAA", "pg-2"));
        assertThat(all).extracting(RecordMapper.Mapped::recordId)
                .containsExactly("001000000000001AAA", "001000000000002AAA", "001000000000003AAA");
        assertThat(all).extracting(m -> m.value().getString("sfid"))
                .containsExactly("001000000000001AAA", "001000000000002AAA", "001000000000003AAA");
        assertThat(all).extracting(m -> m.key().getString("sync_key"))
                .containsExactly("001000000000001AAA", "pg-2", "001000000000003AAA");
        assertThat(all).allMatch(m -> "Hot".equals(m.value().getString("rating")));
    }

    @Test
    void partialSchemasAreCachedPerFieldSet() {
        ChangeEvent a = event("UPDATE", List.of("001000000000001AAA"), List.of("Rating", "Phone"), List.of(),
                "\"Rating\":\"Hot\",\"Phone\":\"1\"");
        ChangeEvent b = event("UPDATE", List.of("001000000000002AAA"), List.of("Phone", "Rating"), List.of(),
                "\"Phone\":\"2\",\"Rating\":\"Cold\"");
        ChangeEvent c = event("UPDATE", List.of("001000000000002AAA"), List.of("Rating"), List.of(),
                "\"Rating\":\"Cold\"");
        Schema first = mapper.change(account, a, Map.of()).get(0).valueSchema();
        assertThat(mapper.change(account, b, Map.of()).get(0).valueSchema()).isSameAs(first);
        assertThat(mapper.change(account, c, Map.of()).get(0).valueSchema()).isNotSameAs(first);
    }

    @Test
    void deleteIsADeleteMarkerThenATombstone() {
        ChangeEvent e = event("DELETE", List.of("001000000000001AAA"), List.of(), List.of(), "");
        List<RecordMapper.Mapped> all = mapper.change(account, e, Map.of("001000000000001AAA", "pg-1"));
        assertThat(all).hasSize(2);
        RecordMapper.Mapped marker = all.get(0);
        assertThat(marker.key().getString("sync_key")).isEqualTo("pg-1");
        assertThat(marker.valueSchema().fields()).extracting(Field::name).containsExactly("sfid", "_sync_version",
                "_sync_modified_at", "_sync_fields", "_sync_deleted");
        assertThat(marker.value().getString("sfid")).isEqualTo("001000000000001AAA");
        assertThat(marker.value().getString("_sync_version")).isEqualTo("cdc:77");
        assertThat(marker.value().get("_sync_modified_at")).isEqualTo(new java.util.Date(1_767_261_600_000L));
        assertThat(marker.value().getString("_sync_fields")).isEmpty();
        assertThat(marker.value().getBoolean("_sync_deleted")).isTrue();
        assertThat(header(marker, RecordMapper.H_CHANGE_TYPE)).isEqualTo("DELETE");
        RecordMapper.Mapped tombstone = all.get(1);
        assertThat(tombstone.value()).isNull();
        assertThat(tombstone.valueSchema()).isNull();
        assertThat(tombstone.key().getString("sync_key")).isEqualTo("pg-1");
        assertThat(header(tombstone, RecordMapper.H_CHANGE_TYPE)).isEqualTo("DELETE");
        assertThat(tombstone.headers()).isNotSameAs(marker.headers());
    }

    @Test
    void markModeEmitsOnlyTheDeleteMarker() {
        RecordMapper marking = new RecordMapper("sfsync", RecordMapper.DeleteMode.MARK);
        ChangeEvent e = event("DELETE", List.of("001000000000001AAA"), List.of(), List.of(), "");
        List<RecordMapper.Mapped> all = marking.change(account, e, Map.of());
        assertThat(all).hasSize(1);
        assertThat(all.get(0).value().getBoolean("_sync_deleted")).isTrue();
    }

    @Test
    void echoOfTheSyncsOwnDeleteIsOnlyATombstone() {
        ChangeEvent e = event("DELETE", List.of("001000000000001AAA"), List.of(), List.of(), "",
                "com/salesforce/api/rest/62.0;client=sfsync");
        List<RecordMapper.Mapped> all = mapper.change(account, e, Map.of());
        assertThat(all).hasSize(1);
        assertThat(all.get(0).value()).isNull();
        assertThat(header(all.get(0), RecordMapper.H_ECHO)).isEqualTo("true");
    }

    @Test
    void deletedAndMissingRowsReadByQueryBecomeMarkersStampedByQuery() {
        Map<String, Object> row = new HashMap<>();
        row.put("id", "001000000000009AAA");
        row.put("systemmodstamp", "2026-01-01T10:00:00.000+0000");
        row.put("isdeleted", true);
        List<RecordMapper.Mapped> deleted = mapper.deletedRow(account, row, "001000000000009AAA", "k",
                RecordMapper.RESYNC);
        assertThat(deleted).hasSize(2);
        assertThat(deleted.get(0).value().getString("_sync_version")).matches("query:1767261600000:[0-9a-f]+");
        assertThat(deleted.get(0).value().get("_sync_modified_at")).isEqualTo(new java.util.Date(1_767_261_600_000L));
        assertThat(deleted.get(1).value()).isNull();
        List<RecordMapper.Mapped> gone = mapper.gone(account, "001000000000009AAA", "k", "GAP_UPDATE",
                Instant.ofEpochMilli(5_000));
        assertThat(gone.get(0).value().getString("_sync_version")).startsWith("query:5000:");
        assertThat(gone.get(0).value().getBoolean("_sync_deleted")).isTrue();
        assertThat(gone.get(1).value()).isNull();
    }

    @Test
    void echoOfTheSyncsOwnWriteIsFlaggedAndStillEmitted() {
        Map<String, Object> h = new HashMap<>();
        ChangeEvent echo = event("UPDATE", List.of("001000000000001AAA"), List.of("Rating"), List.of(),
                "\"Rating\":\"Hot\"", "com/salesforce/api/rest/62.0;client=sfsync");
        assertThat(header(mapper.change(account, echo, Map.of()).get(0), RecordMapper.H_ECHO)).isEqualTo("true");
        ChangeEvent other = event("UPDATE", List.of("001000000000001AAA"), List.of("Rating"), List.of(),
                "\"Rating\":\"Hot\"", "com/salesforce/api/rest/62.0;client=sfsync-other");
        assertThat(header(mapper.change(account, other, Map.of()).get(0), RecordMapper.H_ECHO)).isNull();
        assertThat(h).isEmpty();
    }

    @Test
    void snapshotRowFromQueryJson() throws Exception {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree("""
                {"attributes":{"type":"Account"},"Id":"001000000000009AAA","Name":"Zed","AnnualRevenue":1.5E3,
                 "SystemModstamp":"2026-01-01T10:00:00.000+0000","Is_Strategic__c":false}""");
        Map<String, Object> row = new HashMap<>();
        node.fields().forEachRemaining(e -> row.put(e.getKey().toLowerCase(), e.getValue()));
        RecordMapper.Mapped m = mapper.row(account, row, "001000000000009AAA", RecordMapper.SNAPSHOT);
        assertThat(m.value().getString("sfid")).isEqualTo("001000000000009AAA");
        assertThat(m.value().get("annualrevenue")).isEqualTo(new BigDecimal("1500"));
        assertThat(m.value().get("systemmodstamp")).isEqualTo(java.util.Date.from(
                Instant.parse("2026-01-01T10:00:00Z")));
        assertThat(m.value().getBoolean("is_strategic__c")).isFalse();
        assertThat(header(m, RecordMapper.H_CHANGE_TYPE)).isEqualTo("SNAPSHOT");
        assertThat(m.value().getString("_sync_version")).matches("query:1767261600000:[0-9a-f]+");
        assertThat(m.value().get("_sync_modified_at")).isEqualTo(java.util.Date.from(
                Instant.parse("2026-01-01T10:00:00Z")));
        assertThat(m.value().getString("_sync_fields")).isEqualTo("*");
        assertThat(m.value().getBoolean("_sync_deleted")).isFalse();
        // Every read of the same unchanged row is a new version: the SMT sees it as a write of the sync.
        assertThat(mapper.row(account, row, "001000000000009AAA", RecordMapper.SNAPSHOT).value()
                .getString("_sync_version")).isNotEqualTo(m.value().getString("_sync_version"));
        m.value().validate();
    }

    private static Object header(RecordMapper.Mapped m, String name) {
        return StreamSupport.stream(m.headers().spliterator(), false).filter(h -> h.key().equals(name))
                .map(Header::value).findFirst().orElse(null);
    }

    static ChangeEvent event(String type, List<String> ids, List<String> changed, List<String> nulled, String fields) {
        return event(type, ids, changed, nulled, fields, "com/salesforce/api/rest/62.0;client=other");
    }

    static ChangeEvent event(String type, List<String> ids, List<String> changed, List<String> nulled, String fields,
                             String origin) {
        String json = """
                {"schema":"s1","event":{"replayId":77},"payload":{"ChangeEventHeader":{"entityName":"Account",
                "recordIds":%s,"changeType":"%s","changeOrigin":"%s","transactionKey":"tx-1","sequenceNumber":1,
                "commitTimestamp":1767261600000,"commitNumber":1,"commitUser":"005","changedFields":%s,
                "nulledFields":%s,"diffFields":[]}%s}}""".formatted(list(ids), type, origin, list(changed),
                list(nulled), fields.isBlank() ? "" : "," + fields);
        return ChangeEventParser.parseJson("/data/AccountChangeEvent", json);
    }

    private static String list(List<String> l) {
        return l.stream().map(s -> "\"" + s + "\"").toList().toString();
    }
}
