package io.sfsync.examples;

import io.sfsync.testkit.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** sql/setup.sql on a real PostgreSQL 18: what it creates, the privileges it grants, and that it re-runs. */
class PostgresSetupIT {

    static PostgresFixture postgres;

    @BeforeAll
    static void setUp() throws SQLException {
        postgres = PostgresFixture.start();
        try (Connection admin = postgres.connect()) {
            ExamplePostgres.applySetup(admin);
        }
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void rerunningKeepsDataAndChangesNothing() throws SQLException {
        String key = (String) postgres.query("INSERT INTO salesforce.account (name) VALUES ('Kept') RETURNING sync_key")
                .get(0).get("sync_key");
        try (Connection admin = postgres.connect()) {
            ExamplePostgres.applySetup(admin);
        }
        assertThat(postgres.queryOne("SELECT name FROM salesforce.account WHERE sync_key = ?", key))
                .contains(Map.of("name", "Kept"));
        assertThat(postgres.query("SELECT tablename FROM pg_publication_tables WHERE pubname = 'sfsync' "
                + "ORDER BY tablename")).extracting(r -> r.get("tablename")).containsExactly("account", "contact");
    }

    @Test
    void anInsertWithoutAKeyGetsAUuidKey() {
        String key = (String) postgres.query("INSERT INTO salesforce.contact (lastname) VALUES ('Doe') "
                + "RETURNING sync_key").get(0).get("sync_key");
        assertThat(key).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void syncedTablesLogFullRowsAndAreOwnedByTheWriter() {
        assertThat(postgres.query("SELECT c.relname, c.relreplident, pg_get_userbyid(c.relowner) AS owner "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = 'salesforce' AND c.relkind = 'r' ORDER BY c.relname"))
                .extracting(r -> r.get("relname"), r -> r.get("relreplident"), r -> r.get("owner"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("account", "f", "sfsync_writer"),
                        org.assertj.core.groups.Tuple.tuple("contact", "f", "sfsync_writer"));
        assertThat(postgres.columns("salesforce.account")).contains("sync_key", "sfid", "_sync_version",
                "_sync_modified_at", "_sync_fields", "_sync_deleted");
    }

    @Test
    void thePublicationCarriesRowChangesButNotTruncates() {
        assertThat(postgres.queryOne("SELECT pubinsert, pubupdate, pubdelete, pubtruncate FROM pg_publication "
                + "WHERE pubname = 'sfsync'")).contains(Map.of("pubinsert", true, "pubupdate", true,
                "pubdelete", true, "pubtruncate", false));
    }

    @Test
    void neitherRoleIsASuperuserAndOnlyDebeziumsReplicates() {
        assertThat(postgres.query("SELECT rolname, rolsuper, rolreplication, rolcanlogin FROM pg_roles "
                + "WHERE rolname LIKE 'sfsync_%' ORDER BY rolname"))
                .extracting(r -> r.get("rolname"), r -> r.get("rolsuper"), r -> r.get("rolreplication"),
                        r -> r.get("rolcanlogin"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("sfsync_replication", false, true, true),
                        org.assertj.core.groups.Tuple.tuple("sfsync_writer", false, false, true));
    }

    @Test
    void theWriterEvolvesSchemasAndDebeziumReadsWhatTheWriterCreates() throws SQLException {
        asRole("sfsync_writer", "ALTER TABLE salesforce.account ADD COLUMN segment__c text",
                "CREATE TABLE salesforce.invoice__c (sync_key text PRIMARY KEY, amount__c numeric)",
                "INSERT INTO salesforce.invoice__c VALUES ('i-1', 10)");
        asRole("sfsync_replication", "SELECT segment__c FROM salesforce.account",
                "SELECT * FROM salesforce.invoice__c");
        assertThatThrownBy(() -> asRole("sfsync_replication",
                "UPDATE salesforce.account SET name = 'no' WHERE false"))
                .hasMessageContaining("permission denied");
        asRole("postgres", "DROP TABLE salesforce.invoice__c", "ALTER TABLE salesforce.account DROP COLUMN segment__c");
    }

    private static void asRole(String role, String... statements) throws SQLException {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE " + role);
            for (String sql : List.of(statements)) {
                statement.execute(sql);
            }
        }
    }
}
