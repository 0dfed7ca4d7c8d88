package io.sfsync.examples;

import io.sfsync.examples.LoopFixture.Activity;
import io.sfsync.testkit.Polling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole loop with the example connector files, one change at a time: each change reaches the other side, and
 * once it has settled the loop is quiet, with exactly the writes the change needs (no echo): a Salesforce edit
 * costs one Postgres write and no Salesforce write; a Postgres edit costs one Salesforce write and one Postgres
 * write (its echo, which confirms it and fills sfid and the markers).
 */
class SyncBothWaysIT {

    static LoopFixture loop;

    @RegisterExtension
    static final LoopExtension LOOP = new LoopExtension(started -> loop = started);

    @Test
    void aSalesforceEditReachesPostgresAndIsNeverWrittenBack() {
        Activity before = loop.awaitQuiet();
        String id = loop.salesforce.create("Account", Map.of("Name", "Edited in Salesforce", "Rating", "Hot"));
        loop.awaitRow("account", id, r -> "Hot".equals(r.get("rating")));
        loop.salesforce.update("Account", id, Map.of("Rating", "Cold", "Phone", "+1 555 0100"));
        Map<String, Object> row = loop.awaitRow("account", id, r -> "Cold".equals(r.get("rating")));
        assertThat(row).containsEntry("sfid", id).containsEntry("phone", "+1 555 0100")
                .containsEntry("name", "Edited in Salesforce");

        Activity after = loop.awaitQuiet();
        assertThat(after.salesforceWrites()).as("Salesforce API writes").isEqualTo(before.salesforceWrites());
        assertThat(loop.writes(id, LoopFixture.WRITER)).as("Postgres writes: the create and the update").isEqualTo(2);
    }

    @Test
    void aPostgresInsertCreatesExactlyOneRecordAndGetsItsSfid() {
        Activity before = loop.awaitQuiet();
        String key = loop.insert("account", Map.of("name", "Inserted in Postgres", "rating", "Warm",
                "phone", "+44 20 0000"));
        Map<String, Object> row = loop.awaitRow("account", key, r -> r.get("sfid") != null);

        Activity after = loop.awaitQuiet();
        List<Map<String, Object>> records = loop.salesforceByKey("Account", key);
        assertThat(records).hasSize(1);
        assertThat(records.get(0)).containsEntry("Id", row.get("sfid")).containsEntry("Name", "Inserted in Postgres")
                .containsEntry("Rating", "Warm").containsEntry("Phone", "+44 20 0000");
        assertThat(after.salesforceWrites() - before.salesforceWrites()).as("Salesforce API writes").isEqualTo(1);
        assertThat(loop.writes(key, LoopFixture.WRITER)).as("Postgres writes: the echo filling sfid").isEqualTo(1);
    }

    @Test
    void aPostgresUpdateWritesOnlyTheChangedFields() {
        String key = loop.insert("account", Map.of("name", "Partly updated", "rating", "Cold", "phone", "1"));
        String id = (String) loop.awaitRow("account", key, r -> r.get("sfid") != null).get("sfid");
        Activity before = loop.awaitQuiet();

        loop.update("account", key, Map.of("billingcity", "Lyon"));
        loop.awaitRecord("Account", id, r -> "Lyon".equals(r.get("BillingCity")));
        Activity after = loop.awaitQuiet();

        Map<?, ?> header = loop.lastChangeHeader("Account", id);
        // Compound fields are named by their component in changedFields, as Salesforce does.
        assertThat((List<?>) header.get("changedFields")).map(String::valueOf).contains("BillingAddress.City")
                .doesNotContain("Name", "Rating", "Phone", "External_Id__c");
        assertThat(String.valueOf(header.get("changeOrigin"))).contains("client=sfsync");
        assertThat(after.salesforceWrites() - before.salesforceWrites()).as("Salesforce API writes").isEqualTo(1);
        assertThat(loop.writes(key, LoopFixture.WRITER)).as("Postgres writes: two echoes").isEqualTo(2);
        assertThat(loop.row("account", key).orElseThrow()).containsEntry("billingcity", "Lyon")
                .containsEntry("name", "Partly updated");
    }

    @Test
    void contactsTravelBothWaysToo() {
        Activity before = loop.awaitQuiet();
        String key = loop.insert("contact", Map.of("firstname", "Ada", "lastname", "Lovelace",
                "email", "ada@example.com"));
        String id = (String) loop.awaitRow("contact", key, r -> r.get("sfid") != null).get("sfid");
        loop.salesforce.update("Contact", id, Map.of("Title", "Analyst"));
        loop.awaitRow("contact", key, r -> "Analyst".equals(r.get("title")));
        Activity after = loop.awaitQuiet();

        assertThat(loop.salesforceByKey("Contact", key)).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("Id", id).containsEntry("LastName", "Lovelace").containsEntry("Title", "Analyst")
                .containsEntry("Email", "ada@example.com"));
        assertThat(after.salesforceWrites() - before.salesforceWrites()).as("Salesforce API writes").isEqualTo(1);
        assertThat(loop.writes(key, LoopFixture.WRITER)).as("Postgres writes: the echo, the Title edit")
                .isEqualTo(2);
    }

    @Test
    void deletesTravelBothWays() {
        String key = loop.insert("account", Map.of("name", "Deleted in Postgres"));
        String fromPostgres = (String) loop.awaitRow("account", key, r -> r.get("sfid") != null).get("sfid");
        String fromSalesforce = loop.salesforce.create("Account", Map.of("Name", "Deleted in Salesforce"));
        loop.awaitRow("account", fromSalesforce, r -> true);
        Activity before = loop.awaitQuiet();

        loop.delete("account", key);
        loop.awaitNoRecord("Account", fromPostgres);
        loop.salesforce.delete("Account", fromSalesforce);
        loop.awaitNoRow("account", fromSalesforce);

        Activity after = loop.awaitQuiet();
        assertThat(after.salesforceWrites() - before.salesforceWrites()).as("Salesforce API writes: one delete")
                .isEqualTo(1);
        assertThat(loop.row("account", key)).isEmpty();
        assertThat(loop.salesforce.record("Account", fromPostgres)).isEmpty();
    }

    @Test
    void aFieldThatATriggerChangesWhenOurWriteLandsReachesPostgres() {
        String key = loop.insert("account", Map.of("name", "Triggered", "rating", "Cold"));
        String id = (String) loop.awaitRow("account", key, r -> r.get("sfid") != null).get("sfid");
        String rule = loop.salesforce.addRule("Account", "Rating", "Description", "rating changed by a trigger");
        try {
            Activity before = loop.awaitQuiet();
            loop.update("account", key, Map.of("rating", "Hot"));
            Map<String, Object> row = loop.awaitRow("account", key,
                    r -> "rating changed by a trigger".equals(r.get("description")));
            assertThat(row).containsEntry("rating", "Hot");
            Activity after = loop.awaitQuiet();
            assertThat(after.salesforceWrites() - before.salesforceWrites()).as("Salesforce API writes")
                    .isEqualTo(1);
            assertThat(loop.salesforce.record("Account", id).orElseThrow())
                    .containsEntry("Description", "rating changed by a trigger").containsEntry("Rating", "Hot");
        } finally {
            loop.salesforce.removeRule(rule);
        }
    }

    @Test
    void aRowSalesforceRejectsLandsInTheErrorsTable() {
        String key = loop.insert("account", Map.of("name", "Rejected", "rating", "Lukewarm"));
        Map<String, Object> error = Polling.awaitValue("the rejection in sfsync_errors",
                LoopFixture.ARRIVAL, Duration.ofMillis(50),
                () -> loop.postgres.tableExists("salesforce.sfsync_errors")
                        ? loop.postgres.queryOne("SELECT * FROM salesforce.sfsync_errors WHERE record_key = ?", key)
                        : Optional.empty(), loop::status);
        assertThat(error).containsEntry("error_code", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
                .containsEntry("sobject", "Account").containsEntry("source_topic", "pg.salesforce.account");
        loop.awaitQuiet();
        assertThat(loop.salesforceByKey("Account", key)).isEmpty();
    }

    /**
     * Known gap (salesforce-sink with postgres-conflict-smt): a row whose INSERT Salesforce rejected has no record
     * and no sfid; fixing it in SQL is an UPDATE, whose changed-columns header names only the fixed column, so the
     * sink upserts by External ID with that column alone and Salesforce rejects it again
     * ({@code REQUIRED_FIELD_MISSING: Required fields are missing: [Name]}, operation UPSERT, in sfsync_errors).
     * The row never reaches Salesforce until every required column is updated at once. Enable when an update of
     * a row without sfid sends the whole row.
     */
    @Test
    void fixingARejectedRowInSqlSendsTheWholeRow() {
        String key = loop.insert("account", Map.of("name", "Fixed later", "rating", "Lukewarm"));
        Polling.await("the rejection in sfsync_errors", LoopFixture.ARRIVAL,
                Duration.ofMillis(50), () -> loop.postgres.tableExists("salesforce.sfsync_errors")
                        && !loop.postgres.query("SELECT 1 FROM salesforce.sfsync_errors WHERE record_key = ?", key)
                        .isEmpty(), loop::status);

        loop.update("account", key, Map.of("rating", "Warm"));
        Polling.await("the fixed row created in Salesforce", LoopFixture.ARRIVAL,
                Duration.ofMillis(50), () -> !loop.salesforceByKey("Account", key).isEmpty(),
                () -> "errors: " + loop.postgres.query("SELECT * FROM salesforce.sfsync_errors WHERE record_key = ?",
                        key) + "; " + loop.status());
        loop.awaitRow("account", key, r -> r.get("sfid") != null);
        loop.awaitQuiet();
        assertThat(loop.salesforceByKey("Account", key)).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("Rating", "Warm").containsEntry("Name", "Fixed later"));
    }

    @Test
    void aCustomFieldAddedInSalesforceBecomesAColumn() {
        String key = loop.insert("account", Map.of("name", "Segmented"));
        String id = (String) loop.awaitRow("account", key, r -> r.get("sfid") != null).get("sfid");
        loop.salesforce.addField("Account", Map.of("name", "Segment__c", "type", "string", "length", 40,
                "label", "Segment"));
        Activity before = loop.awaitQuiet();
        loop.salesforce.update("Account", id, Map.of("Segment__c", "Enterprise"));
        loop.awaitRow("account", key, r -> "Enterprise".equals(r.get("segment__c")));
        Activity after = loop.awaitQuiet();
        assertThat(after.salesforceWrites()).as("Salesforce API writes").isEqualTo(before.salesforceWrites());
    }

    /**
     * Known gap (salesforce-sink): the sink maps columns through the client's describe cache, which revalidates
     * every 5 minutes; a column for a field added since is "maps to no field of Account: it is not written" (WARN
     * from FieldMapper) and the Postgres edit is dropped, not delayed. Enable when the sink re-describes an object
     * on an unknown column.
     */
    @Test
    void aValueWrittenInPostgresToANewCustomFieldReachesSalesforce() {
        String key = loop.insert("account", Map.of("name", "Segmented back"));
        String id = (String) loop.awaitRow("account", key, r -> r.get("sfid") != null).get("sfid");
        loop.salesforce.addField("Account", Map.of("name", "Region__c", "type", "string", "length", 40,
                "label", "Region"));
        loop.salesforce.update("Account", id, Map.of("Region__c", "North"));
        loop.awaitRow("account", key, r -> "North".equals(r.get("region__c")));
        loop.awaitQuiet();

        loop.update("account", key, Map.of("region__c", "South"));
        loop.awaitRecord("Account", id, r -> "South".equals(r.get("Region__c")));
        loop.awaitQuiet();
        assertThat(loop.row("account", key).orElseThrow()).containsEntry("region__c", "South");
    }
}
