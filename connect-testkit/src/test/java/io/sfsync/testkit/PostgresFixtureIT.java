package io.sfsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresFixtureIT {

    private static PostgresFixture postgres;

    @BeforeAll
    static void start() {
        postgres = PostgresFixture.start();
        System.out.printf("[testkit] PostgreSQL start: %d ms%n", postgres.startupMillis());
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void serverIsPostgres18SetUpForLogicalDecoding() {
        assertThat(setting("server_version")).startsWith("18.");
        assertThat(setting("wal_level")).isEqualTo("logical");
        assertThat(setting("synchronous_commit")).isEqualTo("on");
        assertThat(Integer.parseInt(setting("max_replication_slots"))).isPositive();
        assertThat(Integer.parseInt(setting("max_wal_senders"))).isPositive();
    }

    @Test
    void pgoutputSlotCanBeCreated() {
        postgres.execute("CREATE TABLE slot_probe (id int PRIMARY KEY)");
        postgres.execute("CREATE PUBLICATION slot_probe_pub FOR TABLE slot_probe");
        postgres.query("SELECT * FROM pg_create_logical_replication_slot('slot_probe', 'pgoutput')");
        try {
            assertThat(postgres.query("SELECT plugin FROM pg_replication_slots WHERE slot_name = 'slot_probe'"))
                    .containsExactly(Map.of("plugin", "pgoutput"));
        } finally {
            postgres.query("SELECT pg_drop_replication_slot('slot_probe')");
        }
    }

    @Test
    void helpersRunStatementsAndReadRowsAsMaps() {
        postgres.executeScript("CREATE SCHEMA kit; CREATE TABLE kit.account (id int PRIMARY KEY, Name text)");
        assertThat(postgres.execute("INSERT INTO kit.account VALUES (?, ?), (?, ?)", 1, "Acme", 2, "Globex"))
                .isEqualTo(2);

        assertThat(postgres.query("SELECT id, name FROM kit.account ORDER BY id"))
                .containsExactly(Map.of("id", 1, "name", "Acme"), Map.of("id", 2, "name", "Globex"));
        assertThat(postgres.queryOne("SELECT name FROM kit.account WHERE id = ?", 3)).isEmpty();
        assertThat(postgres.columns("kit.account")).containsExactly("id", "name");
        assertThat(postgres.tableExists("kit.absent")).isFalse();
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + postgres.port() + "/postgres");
    }

    private static String setting(String name) {
        return (String) postgres.queryOne("SELECT current_setting(?) AS value", name).orElseThrow().get("value");
    }
}
