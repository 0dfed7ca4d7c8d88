package io.sfsync.salesforce.streaming;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The typed model on the documented event shapes (samples from Salesforce's docs and EMP-Connector output). */
class CdcEventParsingTest {

    /** Salesforce's CDC guide, "Get Compound Fields in Change Events": an Account created with a BillingAddress. */
    static final String ACCOUNT_CREATE = """
            {"schema":"Jx8Hz9ElkIUaBf-heF1ShA","payload":{"BillingAddress":{"State":"CA","Street":"415 Mission Street",
            "PostalCode":"94105","Country":"United States","City":"San Francisco"},
            "LastModifiedDate":"2022-06-10T22:42:34.000Z","OwnerId":"005T1000000HjlbIAC","CreatedById":"005T1000000HjlbIAC",
            "ChangeEventHeader":{"commitNumber":72227828942,"commitUser":"005T1000000HjlbIAC","sequenceNumber":1,
            "entityName":"Account","changeType":"CREATE","changedFields":[],
            "changeOrigin":"com/salesforce/api/soap/55.0;client=SfdcInternalAPI/",
            "transactionKey":"000001d3-3d55-688b-98ea-39d0a21240f4","commitTimestamp":1654900954000,
            "recordIds":["001T1000001nI4jIAE"]},
            "CreatedDate":"2022-06-10T22:42:34.000Z","Website":"www.salesforce.com",
            "LastModifiedById":"005T1000000HjlbIAC","Name":"Acme"},"event":{"replayId":1398411}}""";

    @Test
    void createWithCompoundAddressIsTypedNestedAndFlattened() {
        ChangeEvent e = ChangeEventParser.parseJson("/data/AccountChangeEvent", ACCOUNT_CREATE);

        assertThat(e.replayId()).isEqualTo(1398411L);
        assertThat(e.schemaId()).isEqualTo("Jx8Hz9ElkIUaBf-heF1ShA");
        ChangeEventHeader h = e.header();
        assertThat(h.changeType()).isEqualTo(ChangeType.CREATE);
        assertThat(h.entityName()).isEqualTo("Account");
        assertThat(h.recordIds()).containsExactly("001T1000001nI4jIAE");
        assertThat(h.commitNumber()).isEqualTo(72227828942L);
        assertThat(h.commitTimestamp()).isEqualTo(Instant.ofEpochMilli(1654900954000L));
        assertThat(h.sequenceNumber()).isEqualTo(1);
        assertThat(h.transactionKey()).isEqualTo("000001d3-3d55-688b-98ea-39d0a21240f4");
        assertThat(h.changeOrigin()).isEqualTo("com/salesforce/api/soap/55.0;client=SfdcInternalAPI/");
        assertThat(h.commitUser()).isEqualTo("005T1000000HjlbIAC");
        assertThat(h.changedFields()).isEmpty();
        assertThat(h.nulledFields()).isEmpty();
        assertThat(h.diffFields()).isEmpty();

        assertThat(e.fields().nested()).doesNotContainKey("ChangeEventHeader");
        assertThat(e.fields().nested().get("BillingAddress")).isInstanceOf(Map.class);
        assertThat(e.fields().flattened())
                .containsEntry("BillingCity", "San Francisco")
                .containsEntry("BillingStreet", "415 Mission Street")
                .containsEntry("BillingPostalCode", "94105")
                .containsEntry("Name", "Acme")
                .doesNotContainKey("BillingAddress");
        assertThat(e.fields().get("BillingAddress.City")).isEqualTo("San Francisco");
        assertThat(e.fields().get("BillingCity")).isEqualTo("San Francisco");
        assertThat(e.fields().isPresent("Phone")).isFalse();
        assertThat(e.toString()).doesNotContain("Acme").contains("1398411");
    }

    @Test
    void updateDistinguishesNullFromAbsentIncludingCompoundParts() {
        String json = """
                {"schema":"s","payload":{"ChangeEventHeader":{"entityName":"Contact","recordIds":["003000000000001AAA"],
                "changeType":"UPDATE","changedFields":["Phone","Name.FirstName","MailingAddress.City","LastModifiedDate"],
                "nulledFields":["Phone","MailingAddress.City"],"commitTimestamp":1},
                "Phone":null,"Name":{"FirstName":"Ada"},"MailingAddress":{"City":null},
                "LastModifiedDate":"2024-01-01T00:00:00.000Z","AnnualRevenue":1234567.891},"event":{"replayId":7}}""";
        ChangeEvent e = ChangeEventParser.parseJson("/data/ContactChangeEvent", json);

        ChangeEventFields f = e.fields();
        assertThat(f.isPresent("Phone")).isTrue();
        assertThat(f.isNull("Phone")).isTrue();
        assertThat(f.isPresent("Email")).isFalse();
        assertThat(f.isNull("Email")).isFalse();
        assertThat(f.isPresent("MailingCity")).isTrue();
        assertThat(f.isNull("MailingCity")).isTrue();
        assertThat(f.isNull("MailingAddress.City")).isTrue();
        assertThat(f.isPresent("MailingStreet")).isFalse();
        assertThat(f.flattened()).containsEntry("FirstName", "Ada").containsKey("MailingCity")
                .doesNotContainKey("LastName");
        assertThat(f.get("AnnualRevenue")).isEqualTo(new BigDecimal("1234567.891"));
        assertThat(e.header().changedFields()).contains("Name.FirstName", "MailingAddress.City");
        assertThat(e.header().nulledFields()).containsExactly("Phone", "MailingAddress.City");
    }

    @Test
    void flatteningRuleCoversAddressesNamesAndGeolocations() {
        assertThat(ChangeEventFields.flatName("BillingAddress", "City")).isEqualTo("BillingCity");
        assertThat(ChangeEventFields.flatName("ShippingAddress", "CountryCode")).isEqualTo("ShippingCountryCode");
        assertThat(ChangeEventFields.flatName("Address", "PostalCode")).isEqualTo("PostalCode");
        assertThat(ChangeEventFields.flatName("Name", "Salutation")).isEqualTo("Salutation");
        assertThat(ChangeEventFields.flatName("Location__c", "Latitude")).isEqualTo("Location__Latitude__s");
    }

    @Test
    void gapAndOverflowEventsAreHeaderOnly() {
        ChangeEvent gap = ChangeEventParser.parseJson("/data/ChangeEvents", """
                {"schema":"s","payload":{"ChangeEventHeader":{"entityName":"Account","recordIds":["001000000000001AAA",
                "001000000000002AAA"],"changeType":"GAP_UPDATE","changeOrigin":"","transactionKey":"k",
                "sequenceNumber":1,"commitTimestamp":1700000000000,"commitNumber":5,"commitUser":"005000000000001AAA",
                "changedFields":[]}},"event":{"replayId":11}}""");
        assertThat(gap.changeType()).isEqualTo(ChangeType.GAP_UPDATE);
        assertThat(gap.changeType().isGap()).isTrue();
        assertThat(gap.recordIds()).hasSize(2);
        assertThat(gap.fields().isEmpty()).isTrue();

        ChangeEvent overflow = ChangeEventParser.parseJson("/data/ChangeEvents", """
                {"payload":{"ChangeEventHeader":{"entityName":"Account","recordIds":["000000000000000AAA"],
                "changeType":"GAP_OVERFLOW"}},"event":{"replayId":"12"}}""");
        assertThat(overflow.changeType()).isEqualTo(ChangeType.GAP_OVERFLOW);
        assertThat(overflow.replayId()).isEqualTo(12L);
        assertThat(overflow.schemaId()).isNull();
        assertThat(overflow.header().commitTimestamp()).isNull();
        assertThat(overflow.header().sequenceNumber()).isNull();
    }

    @Test
    void missingHeaderFieldsAndUnknownTypesAreTolerated() {
        ChangeEvent e = ChangeEventParser.parseJson("/data/X__ChangeEvent", """
                {"payload":{"ChangeEventHeader":{"changeType":"SOMETHING_NEW","isTransactionEnd":true},"X__c":1},
                "event":{"replayId":3}}""");
        assertThat(e.changeType()).isEqualTo(ChangeType.UNKNOWN);
        assertThat(e.header().rawChangeType()).isEqualTo("SOMETHING_NEW");
        assertThat(e.header().recordIds()).isEmpty();
        assertThat(e.header().transactionEnd()).isTrue();
        assertThat(e.fields().get("X__c")).isEqualTo(1);
    }

    @Test
    void aMessageWithoutReplayIdOrPayloadIsRejected() {
        assertThatThrownBy(() -> ChangeEventParser.parseJson("/data/ChangeEvents", "{\"payload\":{}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replayId");
        assertThatThrownBy(() -> ChangeEventParser.parseJson("/data/ChangeEvents", "{\"event\":{\"replayId\":1}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload");
        assertThat(ChangeEventParser.parse("/data/ChangeEvents",
                Map.of("event", Map.of("replayId", 1), "payload", Map.of("ChangeEventHeader",
                        Map.of("recordIds", new Object[] {"a"}), "L", List.of(1, 2))))
                .recordIds()).containsExactly("a");
    }
}
