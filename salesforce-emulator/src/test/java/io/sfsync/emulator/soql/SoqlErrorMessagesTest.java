package io.sfsync.emulator.soql;

import static io.sfsync.emulator.soql.TestOrg.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.StandardObjects;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schema errors with Salesforce's exact messages. Where a test says "real", the expected text is a message
 * captured from a real org (public issue trackers, client test fixtures), with only the object or field names
 * adapted to this org where noted.
 */
class SoqlErrorMessagesTest {

    private static final String FIELD_HINT = " If you are attempting to use a custom field, be sure to append the "
            + "'__c' after the custom field name. Please reference your WSDL or the describe call for the "
            + "appropriate names.";

    private TestOrg org;
    private SoqlEngine engine;

    @BeforeEach
    void createOrg() {
        org = new TestOrg();
        engine = new SoqlEngine(org.schema, org, Clock.fixed(Instant.parse("2024-03-15T12:00:00Z"), ZoneOffset.UTC));
        org.add("Account", fields("Name", "Acme"));
    }

    private SoqlException failure(String soql) {
        return catchThrowableOfType(SoqlException.class, () -> engine.query(soql, false));
    }

    /** Real: a message from an org, caret line included. */
    @Test
    void unknownField() {
        SoqlException e = failure("SELECT Id,Invalid__x FROM Contact LIMIT 1");

        assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.INVALID_FIELD);
        assertThat(e.getMessage()).isEqualTo("\nSELECT Id,Invalid__x FROM Contact LIMIT 1\n          ^\n"
                + "ERROR at Row:1:Column:11\nNo such column 'Invalid__x' on entity 'Contact'." + FIELD_HINT);
    }

    /** Real ("ORG-VERIFIED" in its source): the excerpt stops at the last token within 30 characters. */
    @Test
    void excerptOfALongerQueryIsCutAfterTheError() {
        assertThat(failure("SELECT Id, DepProbeField__c FROM Account LIMIT 1").getMessage()).isEqualTo(
                "\nSELECT Id, DepProbeField__c FROM Account LIMIT\n           ^\nERROR at Row:1:Column:12\n"
                        + "No such column 'DepProbeField__c' on entity 'Account'." + FIELD_HINT);
    }

    /** Real, from a custom object; the excerpt starts at the first token within 30 characters. */
    @Test
    void excerptOfALongerQueryIsCutBeforeTheError() {
        List<FieldDef> f = StandardObjects.systemFields(true);
        f.add(FieldDef.builder("Name", FieldType.STRING).nameField(true).build());
        f.add(FieldDef.builder("OCE__ActualCap__c", FieldType.DOUBLE).custom(true).build());
        f.add(FieldDef.builder("OCE__JobId__c", FieldType.STRING).custom(true).build());
        org.schema.add(new SObjectType("OCE__ActivityPlan__c", "Activity Plan", "Activity Plans", "a01", true, f,
                TestOrg.CREATED));

        SoqlException e = failure("SELECT Id,CreatedById,OCE__ActualCap__c,TPI_Product__c,Name,OCE__JobId__c,"
                + "OwnerId FROM OCE__ActivityPlan__c");

        assertThat(e.getMessage()).isEqualTo("\nCreatedById,OCE__ActualCap__c,TPI_Product__c,Name,OCE__JobId__c\n"
                + "                              ^\nERROR at Row:1:Column:41\n"
                + "No such column 'TPI_Product__c' on entity 'OCE__ActivityPlan__c'." + FIELD_HINT);
    }

    /** Real, verbatim. */
    @Test
    void unknownObject() {
        SoqlException e = failure("Select Id, vlocity_cmt__GlobalKey__c from vlocity_cmt____VlocityTrackingGroup__c");

        assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.INVALID_TYPE);
        assertThat(e.getMessage()).isEqualTo("\nvlocity_cmt__GlobalKey__c from vlocity_cmt____VlocityTrackingGroup__c\n"
                + "                               ^\nERROR at Row:1:Column:43\n"
                + "sObject type 'vlocity_cmt____VlocityTrackingGroup__c' is not supported. If you are attempting to "
                + "use a custom object, be sure to append the '__c' after the entity name. Please reference your "
                + "WSDL or the describe call for the appropriate names.");
    }

    /** Real (Contact has no RecordType here either). */
    @Test
    void unknownRelationship() {
        SoqlException e = failure("SELECT COUNT() FROM Contact WHERE RecordType.Name = 'Volunteer'");

        assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.INVALID_FIELD);
        assertThat(e.getMessage()).isEqualTo("\nSELECT COUNT() FROM Contact WHERE RecordType.Name = 'Volunteer'\n"
                + " ".repeat(34) + "^\nERROR at Row:1:Column:35\nDidn't understand relationship 'RecordType' in "
                + "field path. If you are attempting to use a custom relationship, be sure to append the '__r' "
                + "after the custom relationship name. Please reference your WSDL or the describe call for the "
                + "appropriate names.");
    }

    @Test
    void unknownFieldOnAParentPointsAtThePath() {
        SoqlException e = failure("SELECT Id, Account.Foo__c FROM Contact");

        assertThat(e.getMessage()).isEqualTo("\nSELECT Id, Account.Foo__c FROM Contact\n           ^\n"
                + "ERROR at Row:1:Column:12\nNo such column 'Foo__c' on entity 'Account'." + FIELD_HINT);
    }

    /** Real (Product2.ProductCode there; Account.AccountNumber, another text field, here). */
    @Test
    void numberForATextField() {
        SoqlException e = failure("select Id, AccountNumber from Account where AccountNumber = 3999");

        assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.INVALID_FIELD);
        assertThat(e.getMessage()).isEqualTo("\nAccountNumber from Account where AccountNumber = 3999\n"
                + " ".repeat(33) + "^\nERROR at Row:1:Column:45\nvalue of filter criterion for field "
                + "'AccountNumber' must be of type string and should be enclosed in quotes");
    }

    @Test
    void quotedNumberAndQuotedBoolean() {
        assertThat(failure("SELECT Id FROM Account WHERE AnnualRevenue > '5'").getMessage()).endsWith(
                "\nvalue of filter criterion for field 'AnnualRevenue' must be of type double and should not be "
                        + "enclosed in quotes");
        assertThat(failure("SELECT Id FROM Account WHERE IsDeleted = 'true'").getMessage()).endsWith(
                "\nvalue of filter criterion for field 'IsDeleted' must be of type boolean and should not be "
                        + "enclosed in quotes");
    }

    @Test
    void malformedId() {
        SoqlException e = failure("SELECT Id FROM Account WHERE Id = 'abc'");

        assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
        assertThat(e.getMessage()).isEqualTo("\nSELECT Id FROM Account WHERE Id = 'abc'\n" + " ".repeat(34)
                + "^\nERROR at Row:1:Column:35\ninvalid ID field: abc");
    }

    @Test
    void likeOnAnIdField() {
        SoqlException e = failure("SELECT Id FROM Contact WHERE AccountId LIKE '001%'");

        assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
        assertThat(e.getMessage()).endsWith("ERROR at Row:1:Column:30\ninvalid operator on id field");
    }

    @Test
    void likeOnANumberField() {
        SoqlException e = failure("SELECT Id FROM Account WHERE NumberOfEmployees LIKE '1%'");

        assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
        assertThat(e.getMessage()).endsWith("ERROR at Row:1:Column:30\ninvalid operator on int field");
    }

    @Test
    void includesOnAFieldThatIsNotAMultiSelectPicklist() {
        SoqlException e = failure("SELECT Id FROM Account WHERE Industry INCLUDES ('Energy')");

        assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
        assertThat(e.getMessage()).endsWith("\nincludes or excludes operator only valid on multipicklist field");
    }

    @Test
    void longTextAreaCanBeNeitherFilteredNorSorted() {
        SoqlException filter = failure("SELECT Id FROM Account WHERE Description = 'x'");
        SoqlException sort = failure("SELECT Id FROM Account ORDER BY Description");

        assertThat(filter.errorCode()).isEqualTo(SoqlErrorCode.INVALID_FIELD);
        assertThat(filter.getMessage()).endsWith("\nfield 'Description' can not be filtered in query call");
        assertThat(sort.errorCode()).isEqualTo(SoqlErrorCode.INVALID_FIELD);
        assertThat(sort.getMessage()).endsWith("\nfield 'Description' can not be sorted in a query call");
    }

    @Test
    void multiSelectPicklistCannotBeSorted() {
        assertThat(failure("SELECT Id FROM Account ORDER BY Regions__c").getMessage())
                .endsWith("\nfield 'Regions__c' can not be sorted in a query call");
    }

    @Test
    void offsetAbove2000() {
        SoqlException e = failure("SELECT Id FROM Account ORDER BY Name LIMIT 10 OFFSET 2001");

        assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.NUMBER_OUTSIDE_VALID_RANGE);
        assertThat(e.getMessage()).isEqualTo("Maximum SOQL offset allowed is 2000");
        assertThat(engine.query("SELECT Id FROM Account OFFSET 2000", false).totalSize()).isZero();
    }

    @Test
    void objectIsCheckedBeforeFields() {
        assertThat(failure("SELECT Nope FROM Nothing__c").errorCode()).isEqualTo(SoqlErrorCode.INVALID_TYPE);
    }
}
