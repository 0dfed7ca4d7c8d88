package io.sfsync.emulator.soql;

import io.sfsync.emulator.model.WireValues;
import static io.sfsync.emulator.soql.TestOrg.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SoqlEngineTest {

    /** Friday 15 March 2024, noon UTC. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-15T12:00:00Z"), ZoneOffset.UTC);
    private static final String V = "63.0";

    private TestOrg org;
    private SoqlEngine engine;
    private String ada;
    private String acme;
    private String globex;
    private String initech;
    private String gone;
    private String lee;
    private String smith;
    private String obrien;
    private String ghost;

    @BeforeEach
    void createOrg() {
        org = new TestOrg();
        engine = new SoqlEngine(org.schema, org, CLOCK);
        ada = org.add("User", fields("FirstName", "Ada", "LastName", "Lovelace", "Username", "ada@example.com"));
        acme = org.add("Account", fields("Name", "Acme", "Industry", "Energy", "NumberOfEmployees",
                new BigDecimal("100"), "AnnualRevenue", new BigDecimal("50000000"), "OwnerId", ada,
                "Regions__c", "EMEA;APAC", "Site", "100%", "BillingCity", "Paris", "BillingCountry", "France",
                "CreatedDate", Instant.parse("2024-03-15T01:00:00Z"), "Description", "long text"));
        globex = org.add("Account", fields("Name", "Globex", "Industry", "Banking", "NumberOfEmployees",
                new BigDecimal("50"), "OwnerId", ada, "Regions__c", "AMER", "Site", "1000", "ParentId", acme,
                "CreatedDate", Instant.parse("2024-03-14T23:59:59Z")));
        initech = org.add("Account", fields("Name", "initech", "OwnerId", ada,
                "CreatedDate", Instant.parse("2024-01-10T08:00:00Z")));
        gone = org.add("Account", fields("Name", "Gone Corp", "OwnerId", ada,
                "CreatedDate", Instant.parse("2024-02-01T00:00:00Z")), true);
        lee = org.add("Contact", fields("FirstName", "Ann", "LastName", "Lee", "AccountId", acme,
                "Email", "ann@acme.example", "Birthdate", LocalDate.of(1990, 5, 1), "HasOptedOutOfEmail", true));
        smith = org.add("Contact", fields("LastName", "Smith", "HasOptedOutOfEmail", false));
        obrien = org.add("Contact", fields("LastName", "O'Brien", "AccountId", globex,
                "Birthdate", LocalDate.of(1985, 12, 31), "HasOptedOutOfEmail", false));
        ghost = org.add("Contact", fields("LastName", "Ghost", "AccountId", gone, "HasOptedOutOfEmail", false));
    }

    private QueryResult query(String soql) {
        return engine.query(soql, false);
    }

    private List<Object> column(String soql, String field) {
        return query(soql).records(V).stream().map(r -> r.get(field)).toList();
    }

    private List<Object> accountNames(String where) {
        return column("SELECT Name FROM Account WHERE " + where, "Name");
    }

    private SoqlException failure(String soql) {
        return catchThrowableOfType(SoqlException.class, () -> engine.query(soql, false));
    }

    private static Map<String, Object> attributes(String type, String id) {
        return Map.of("type", type, "url", "/services/data/v63.0/sobjects/" + type + "/" + id);
    }

    @Nested
    class RowShape {

        @Test
        void attributesFirstThenFieldsInSelectOrder() {
            Map<String, Object> row = query("SELECT Name, Id FROM Account WHERE Name = 'Acme'").records(V).get(0);

            assertThat(row.keySet()).containsExactly("attributes", "Name", "Id");
            assertThat(row.get("attributes")).isEqualTo(attributes("Account", acme));
            assertThat(row).containsEntry("Name", "Acme").containsEntry("Id", acme);
        }

        @Test
        void fieldNamesUseDescribeSpellingNotTheQuerys() {
            Map<String, Object> row = query("select name, ID, numberofemployees from account where name = 'acme'")
                    .records("v63.0").get(0);

            assertThat(row.keySet()).containsExactly("attributes", "Name", "Id", "NumberOfEmployees");
            assertThat(row.get("attributes")).isEqualTo(attributes("Account", acme));
        }

        @Test
        void parentFieldsNestUnderTheRelationshipWhereItFirstAppears() {
            Map<String, Object> row = query("SELECT LastName, Account.Name, AccountId, account.owner.name, "
                    + "Account.Industry FROM Contact WHERE LastName = 'Lee'").records(V).get(0);

            assertThat(row.keySet()).containsExactly("attributes", "LastName", "Account", "AccountId");
            @SuppressWarnings("unchecked")
            Map<String, Object> account = (Map<String, Object>) row.get("Account");
            assertThat(account.keySet()).containsExactly("attributes", "Name", "Owner", "Industry");
            assertThat(account.get("attributes")).isEqualTo(attributes("Account", acme));
            assertThat(account).containsEntry("Name", "Acme").containsEntry("Industry", "Energy");
            assertThat(account.get("Owner")).isEqualTo(Map.of("attributes", attributes("User", ada),
                    "Name", "Ada Lovelace"));
        }

        @Test
        void emptyLookupRendersAsNull() {
            Map<String, Object> row = query("SELECT LastName, Account.Name FROM Contact WHERE LastName = 'Smith'")
                    .records(V).get(0);

            assertThat(row).containsEntry("Account", null).containsKey("Account");
        }

        @Test
        void parentInRecycleBinIsNullUnlessQueryAll() {
            String soql = "SELECT Account.Name FROM Contact WHERE LastName = 'Ghost'";

            assertThat(engine.query(soql, false).records(V).get(0)).containsEntry("Account", null);
            assertThat(engine.query(soql, true).records(V).get(0).get("Account"))
                    .isEqualTo(Map.of("attributes", attributes("Account", gone), "Name", "Gone Corp"));
        }

        @Test
        void fieldsMayBeQualifiedWithTheQueriedObject() {
            assertThat(query("SELECT Account.Name FROM Account WHERE Account.Name = 'Acme'").records(V).get(0))
                    .containsEntry("Name", "Acme");
        }

        @Test
        void compoundAddressIsAssembledFromItsComponents() {
            Map<String, Object> row = query("SELECT BillingAddress FROM Account WHERE Name = 'Acme'").records(V)
                    .get(0);

            @SuppressWarnings("unchecked")
            Map<String, Object> address = (Map<String, Object>) row.get("BillingAddress");
            assertThat(address.keySet()).containsExactly("city", "country", "geocodeAccuracy", "latitude",
                    "longitude", "postalCode", "state", "street");
            assertThat(address).containsEntry("city", "Paris").containsEntry("country", "France")
                    .containsEntry("street", null);
            assertThat(query("SELECT BillingAddress FROM Account WHERE Name = 'Globex'").records(V).get(0))
                    .containsEntry("BillingAddress", null);
        }

        @Test
        void jsonRecordsCarryWireValues() {
            Map<String, Object> row = query("SELECT NumberOfEmployees, AnnualRevenue, CreatedDate, Account.Name "
                    + "FROM Account WHERE Name = 'Acme'").jsonRecords(V).get(0);

            assertThat(row.get("NumberOfEmployees")).isEqualTo(100L);
            assertThat(row.get("AnnualRevenue")).isEqualTo(5.0E7);
            assertThat(row.get("CreatedDate")).isEqualTo("2024-03-15T01:00:00.000+0000");
            Map<String, Object> contact = query("SELECT Birthdate, HasOptedOutOfEmail, Account.Name FROM Contact "
                    + "WHERE LastName = 'Lee'").jsonRecords(V).get(0);
            assertThat(contact).containsEntry("Birthdate", "1990-05-01").containsEntry("HasOptedOutOfEmail", true);
        }

        @Test
        void flatValuesAndColumnsForBulk() {
            QueryResult result = query("SELECT Id, Account.Name, LastName FROM Contact ORDER BY LastName");

            assertThat(result.columns()).extracting(ResolvedField::path)
                    .containsExactly("Id", "Account.Name", "LastName");
            assertThat(result.values()).containsExactly(
                    Arrays.asList(ghost, null, "Ghost"),
                    Arrays.asList(lee, "Acme", "Lee"),
                    Arrays.asList(obrien, "Globex", "O'Brien"),
                    Arrays.asList(smith, null, "Smith"));
        }

        @Test
        void withoutOrderByRowsComeInCreationOrder() {
            assertThat(column("SELECT Name FROM Account", "Name")).containsExactly("Acme", "Globex", "initech");
        }
    }

    @Nested
    class Filters {

        @Test
        void textEqualityIgnoresCase() {
            assertThat(accountNames("Name = 'ACME'")).containsExactly("Acme");
            assertThat(accountNames("Name = 'Initech'")).containsExactly("initech");
        }

        @Test
        void notEqualsIncludesNullsAsSoqlDoes() {
            assertThat(accountNames("Industry != 'Energy'")).containsExactly("Globex", "initech");
            assertThat(accountNames("Industry <> 'Energy'")).containsExactly("Globex", "initech");
        }

        @Test
        void nullComparisons() {
            assertThat(accountNames("Industry = null")).containsExactly("initech");
            assertThat(accountNames("Industry != null")).containsExactly("Acme", "Globex");
            assertThat(accountNames("NumberOfEmployees < 1000")).containsExactly("Acme", "Globex");
            assertThat(accountNames("NumberOfEmployees > null")).isEmpty();
        }

        @Test
        void emptyStringMeansNull() {
            assertThat(accountNames("Industry = ''")).containsExactly("initech");
        }

        @Test
        void numbers() {
            assertThat(accountNames("NumberOfEmployees > 60")).containsExactly("Acme");
            assertThat(accountNames("NumberOfEmployees <= 50")).containsExactly("Globex");
            assertThat(accountNames("NumberOfEmployees = 100.0")).containsExactly("Acme");
            assertThat(accountNames("AnnualRevenue >= 50000000")).containsExactly("Acme");
        }

        @Test
        void textOrdering() {
            assertThat(accountNames("Name > 'b'")).containsExactly("Globex", "initech");
        }

        @Test
        void like() {
            assertThat(accountNames("Name LIKE 'a%'")).containsExactly("Acme");
            assertThat(accountNames("Name LIKE '_LOBEX'")).containsExactly("Globex");
            assertThat(accountNames("Name LIKE '%e%'")).containsExactly("Acme", "Globex", "initech");
            assertThat(accountNames("Name LIKE 'acm'")).isEmpty();
            assertThat(accountNames("Site LIKE '100%'")).containsExactly("Acme", "Globex");
            assertThat(accountNames("Site LIKE '100\\%'")).containsExactly("Acme");
            assertThat(accountNames("Industry LIKE '%'")).containsExactly("Acme", "Globex");
        }

        @Test
        void inAndNotIn() {
            assertThat(accountNames("Industry IN ('energy', 'Banking')")).containsExactly("Acme", "Globex");
            assertThat(accountNames("Industry NOT IN ('Energy')")).containsExactly("Globex", "initech");
            assertThat(accountNames("Industry IN (null, 'Energy')")).containsExactly("Acme", "initech");
            assertThat(accountNames("Industry NOT IN (null, 'Energy')")).containsExactly("Globex");
        }

        @Test
        void includesAndExcludes() {
            assertThat(accountNames("Regions__c INCLUDES ('emea')")).containsExactly("Acme");
            assertThat(accountNames("Regions__c INCLUDES ('EMEA;AMER')")).isEmpty();
            assertThat(accountNames("Regions__c INCLUDES ('APAC;EMEA', 'AMER')")).containsExactly("Acme", "Globex");
            assertThat(accountNames("Regions__c EXCLUDES ('AMER')")).containsExactly("Acme", "initech");
            assertThat(accountNames("Regions__c = 'APAC;EMEA'")).containsExactly("Acme");
        }

        @Test
        void andOrNotAndParentheses() {
            assertThat(accountNames("(Industry = 'Energy' OR Industry = 'Banking') AND (NOT Name LIKE 'G%')"))
                    .containsExactly("Acme");
            assertThat(accountNames("Industry = 'Energy' OR (Industry = null AND Name = 'initech')"))
                    .containsExactly("Acme", "initech");
            assertThat(accountNames("NOT (Industry = 'Energy' OR Industry = 'Banking')")).containsExactly("initech");
        }

        @Test
        void booleansTreatNullAsFalse() {
            assertThat(column("SELECT LastName FROM Contact WHERE HasOptedOutOfEmail = true", "LastName"))
                    .containsExactly("Lee");
            assertThat(column("SELECT LastName FROM Contact WHERE HasOptedOutOfEmail = null", "LastName"))
                    .containsExactly("Smith", "O'Brien", "Ghost");
            assertThat(accountNames("IsDeleted = false")).containsExactly("Acme", "Globex", "initech");
        }

        @Test
        void idsMatchIn15Or18CharacterForm() {
            assertThat(accountNames("Id = '" + acme + "'")).containsExactly("Acme");
            assertThat(accountNames("Id = '" + acme.substring(0, 15) + "'")).containsExactly("Acme");
            assertThat(column("SELECT LastName FROM Contact WHERE AccountId IN ('" + globex.substring(0, 15)
                    + "', '" + acme + "')", "LastName")).containsExactly("Lee", "O'Brien");
            assertThat(accountNames("ParentId = '" + acme + "'")).containsExactly("Globex");
        }

        @Test
        void relationshipFieldsFilterAndAreNullWithoutParent() {
            assertThat(column("SELECT LastName FROM Contact WHERE Account.Industry = 'Banking'", "LastName"))
                    .containsExactly("O'Brien");
            assertThat(column("SELECT LastName FROM Contact WHERE Account.Name = null", "LastName"))
                    .containsExactly("Smith", "Ghost");
            assertThat(column("SELECT LastName FROM Contact WHERE Account.Owner.FirstName = 'ada'", "LastName"))
                    .containsExactly("Lee", "O'Brien");
        }

        @Test
        void stringEscapesInFilters() {
            assertThat(column("SELECT LastName FROM Contact WHERE LastName = 'O\\'Brien'", "LastName"))
                    .containsExactly("O'Brien");
        }
    }

    @Nested
    class Dates {

        @Test
        void dateTimeLiteralsOnDateTimeFields() {
            assertThat(accountNames("CreatedDate > 2024-03-14T23:59:59Z")).containsExactly("Acme");
            assertThat(accountNames("CreatedDate >= 2024-03-14T23:59:59.000+0000")).containsExactly("Acme", "Globex");
            assertThat(accountNames("CreatedDate = 2024-03-15T06:30:00+05:30")).containsExactly("Acme");
        }

        @Test
        void dateLiteralsOnDateFields() {
            assertThat(column("SELECT LastName FROM Contact WHERE Birthdate = 1990-05-01", "LastName"))
                    .containsExactly("Lee");
            assertThat(column("SELECT LastName FROM Contact WHERE Birthdate < 1990-01-01", "LastName"))
                    .containsExactly("O'Brien");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "CreatedDate = TODAY|Acme",
                "CreatedDate = YESTERDAY|Globex",
                "CreatedDate = LAST_N_DAYS:1|Acme,Globex",
                "CreatedDate < LAST_N_DAYS:1|initech",
                "CreatedDate > YESTERDAY|Acme",
                "CreatedDate <= YESTERDAY|Globex,initech",
                "CreatedDate >= YESTERDAY|Acme,Globex",
                "CreatedDate != TODAY|Globex,initech",
                "CreatedDate = THIS_MONTH|Acme,Globex",
                "CreatedDate = THIS_YEAR|Acme,Globex,initech",
                "CreatedDate = N_MONTHS_AGO:2|initech",
                "CreatedDate = LAST_90_DAYS|Acme,Globex,initech",
                "CreatedDate = THIS_WEEK|Acme,Globex"})
        void relativeDatesOnDateTimeFields(String where, String expected) {
            assertThat(accountNames(where)).containsExactly((Object[]) expected.split(","));
        }

        @Test
        void relativeDatesOnDateFields() {
            assertThat(column("SELECT LastName FROM Contact WHERE Birthdate < LAST_N_YEARS:30", "LastName"))
                    .containsExactly("Lee", "O'Brien");
            assertThat(column("SELECT LastName FROM Contact WHERE Birthdate = N_YEARS_AGO:34", "LastName"))
                    .containsExactly("Lee");
        }

        @Test
        void dateLiteralOnDateTimeFieldIsRejected() {
            SoqlException e = failure("SELECT Id FROM Account WHERE CreatedDate > 2024-01-01");

            assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.INVALID_FIELD);
            assertThat(e.getMessage()).isEqualTo("\nSELECT Id FROM Account WHERE CreatedDate > 2024-01-01\n"
                    + " ".repeat(29) + "^\nERROR at Row:1:Column:30\nvalue of filter criterion for field "
                    + "'CreatedDate' must be of type dateTime and should not be enclosed in quotes");
        }

        @Test
        void quotedOrDateTimeValueOnDateFieldIsRejected() {
            assertThat(failure("SELECT Id FROM Contact WHERE Birthdate = '1990-05-01'").getMessage()).endsWith(
                    "value of filter criterion for field 'Birthdate' must be of type date and should not be "
                            + "enclosed in quotes");
            assertThat(failure("SELECT Id FROM Contact WHERE Birthdate = 1990-05-01T00:00:00Z").errorCode())
                    .isEqualTo(SoqlErrorCode.INVALID_FIELD);
        }
    }

    @Nested
    class Ordering {

        @Test
        void textSortsIgnoringCase() {
            assertThat(column("SELECT Name FROM Account ORDER BY Name", "Name"))
                    .containsExactly("Acme", "Globex", "initech");
            assertThat(column("SELECT Name FROM Account ORDER BY Name DESC", "Name"))
                    .containsExactly("initech", "Globex", "Acme");
        }

        @Test
        void nullsComeFirstByDefaultInBothDirections() {
            assertThat(column("SELECT Name FROM Account ORDER BY NumberOfEmployees", "Name"))
                    .containsExactly("initech", "Globex", "Acme");
            assertThat(column("SELECT Name FROM Account ORDER BY NumberOfEmployees DESC", "Name"))
                    .containsExactly("initech", "Acme", "Globex");
        }

        @Test
        void nullsLastAndNullsFirst() {
            assertThat(column("SELECT Name FROM Account ORDER BY NumberOfEmployees ASC NULLS LAST", "Name"))
                    .containsExactly("Globex", "Acme", "initech");
            assertThat(column("SELECT Name FROM Account ORDER BY NumberOfEmployees DESC NULLS LAST", "Name"))
                    .containsExactly("Acme", "Globex", "initech");
            assertThat(column("SELECT Name FROM Account ORDER BY Industry DESC NULLS FIRST", "Name"))
                    .containsExactly("initech", "Acme", "Globex");
        }

        @Test
        void severalKeysAndRelationshipKeys() {
            assertThat(column("SELECT LastName FROM Contact ORDER BY Account.Name NULLS LAST, LastName DESC",
                    "LastName")).containsExactly("Lee", "O'Brien", "Smith", "Ghost");
            assertThat(column("SELECT LastName FROM Contact ORDER BY HasOptedOutOfEmail DESC, LastName",
                    "LastName")).containsExactly("Lee", "Ghost", "O'Brien", "Smith");
        }

        @Test
        void tiesKeepCreationOrder() {
            assertThat(column("SELECT Name FROM Account ORDER BY OwnerId", "Name"))
                    .containsExactly("Acme", "Globex", "initech");
        }

        @Test
        void limitAndOffsetApplyAfterSorting() {
            QueryResult result = query("SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1");

            assertThat(result.totalSize()).isEqualTo(2);
            assertThat(result.records(V)).extracting(r -> r.get("Name")).containsExactly("Globex", "initech");
            assertThat(query("SELECT Name FROM Account LIMIT 0").totalSize()).isZero();
            assertThat(query("SELECT Name FROM Account OFFSET 5").records(V)).isEmpty();
        }
    }

    @Nested
    class QueryAllAndCount {

        @Test
        void queryAllIncludesTheRecycleBin() {
            assertThat(engine.query("SELECT Name FROM Account", false).totalSize()).isEqualTo(3);
            QueryResult all = engine.query("SELECT Name, IsDeleted FROM Account WHERE IsDeleted = true", true);
            assertThat(all.records(V)).extracting(r -> r.get("Name"), r -> r.get("IsDeleted"))
                    .containsExactly(tuple("Gone Corp", true));
        }

        @Test
        void countReturnsOnlyTotalSize() {
            QueryResult result = query("SELECT COUNT() FROM Account WHERE Industry != null");

            assertThat(result.isCount()).isTrue();
            assertThat(result.totalSize()).isEqualTo(2);
            assertThat(result.records(V)).isEmpty();
            assertThat(result.columns()).isEmpty();
            assertThat(engine.query("SELECT count() FROM Account", true).totalSize()).isEqualTo(4);
            assertThat(query("SELECT COUNT() FROM Account LIMIT 1").totalSize()).isEqualTo(1);
        }

        @Test
        void preparedPlanRunsAgainstCurrentRecords() {
            QueryPlan plan = engine.prepare("SELECT Name FROM Account WHERE Name LIKE 'N%'");
            assertThat(engine.execute(plan, false).totalSize()).isZero();

            org.add("Account", fields("Name", "Newco"));

            assertThat(engine.execute(plan, false).records(V)).extracting(r -> r.get("Name"))
                    .containsExactly("Newco");
        }
    }

    @Nested
    class FieldsFunction {

        @Test
        void standardNeedsNoLimitAndLeavesOutCustomFields() {
            QueryPlan plan = engine.prepare("SELECT FIELDS(STANDARD) FROM Account");

            assertThat(plan.columns()).extracting(ResolvedField::path)
                    .startsWith("Id", "OwnerId", "IsDeleted").contains("BillingAddress", "Name")
                    .doesNotContain("Regions__c");
        }

        @Test
        void customAndAllNeedALimitOfAtMost200() {
            for (String soql : List.of("SELECT FIELDS(ALL) FROM Account", "SELECT FIELDS(CUSTOM) FROM Account",
                    "SELECT FIELDS(ALL) FROM Account LIMIT 201")) {
                SoqlException e = failure(soql);
                assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.MALFORMED_QUERY);
                assertThat(e.getMessage()).isEqualTo("The SOQL FIELDS function must have a LIMIT of at most 200");
            }
            assertThat(engine.prepare("SELECT FIELDS(CUSTOM) FROM Account LIMIT 200").columns())
                    .extracting(ResolvedField::path).containsExactly("Regions__c");
            assertThat(query("SELECT FIELDS(ALL) FROM Account LIMIT 1").records(V).get(0))
                    .containsEntry("Name", "Acme").containsEntry("Regions__c", "EMEA;APAC");
        }

        @Test
        void duplicateFieldIsRejected() {
            SoqlException e = failure("SELECT Id, FIELDS(ALL) FROM Account LIMIT 200");

            assertThat(e.errorCode()).isEqualTo(SoqlErrorCode.INVALID_FIELD);
            assertThat(e.getMessage()).isEqualTo("duplicate field selected: Id");
            assertThat(failure("SELECT Name, Account.Name, name FROM Account").getMessage())
                    .isEqualTo("duplicate field selected: Name");
        }
    }
}
