package io.sfsync.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfsync.testkit.Polling;
import io.sfsync.testkit.PostgresFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code postgres.embedded=false}: the quickstart uses a server it did not start (here one the test starts), runs
 * setup.sql there, syncs into it, and on stop leaves the server running with its data but without the replication
 * slot, which would otherwise make the server keep WAL forever.
 */
class QuickstartExternalPostgresIT {

    private PostgresFixture users;
    private Quickstart quickstart;

    @AfterEach
    void stop() {
        if (quickstart != null) {
            quickstart.close();
        }
        if (users != null) {
            users.close();
        }
    }

    @Test
    void syncsIntoTheUsersServerAndLeavesItRunningWithoutTheSlot() {
        users = PostgresFixture.start();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(QuickstartConfig.DATA_DIR, Path.of("target", "quickstart-external-pg").toString());
        settings.put(QuickstartConfig.KAFKA_PORT, "0");
        settings.put(QuickstartConfig.CONNECT_REST_PORT, "0");
        settings.put(QuickstartConfig.EMULATOR_PORT, "0");
        settings.put(QuickstartConfig.POSTGRES_EMBEDDED, "false");
        settings.put(QuickstartConfig.POSTGRES_HOST, users.host());
        settings.put(QuickstartConfig.POSTGRES_PORT, Integer.toString(users.port()));
        settings.put(QuickstartConfig.POSTGRES_DATABASE, users.database());
        settings.put(QuickstartConfig.POSTGRES_USER, users.user());
        settings.put(QuickstartConfig.POSTGRES_PASSWORD, users.password());

        quickstart = Quickstart.start(QuickstartConfig.of(settings),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(quickstart.postgres().embedded()).isFalse();
        String acme = quickstart.seededAccounts().get("Acme Corporation");
        Polling.await("a seeded Account in the user's Postgres", Duration.ofSeconds(90), () ->
                users.queryOne("SELECT 1 FROM salesforce.account WHERE sfid = ?", acme).isPresent());
        assertThat(users.queryOne("SELECT 1 FROM pg_replication_slots WHERE slot_name = 'sfsync'")).isPresent();
        assertThat(Banner.render(quickstart)).contains("psql -h " + users.host() + " -p " + users.port())
                .doesNotContain("PGPASSWORD");

        quickstart.close();
        quickstart = null;

        assertThat(users.queryOne("SELECT 1 FROM salesforce.account WHERE sfid = ?", acme))
                .as("the user's server still runs and keeps the synced rows").isPresent();
        assertThat(users.query("SELECT slot_name FROM pg_replication_slots")).isEmpty();
    }
}
