package io.sfsync.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.testkit.Polling;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The quickstart's own entry point, in-process, on free ports: the seeded Salesforce records arrive in Postgres, a
 * Postgres INSERT arrives in the emulated org, a Salesforce edit arrives in Postgres; the banner and the status line
 * say so; then it stops and nothing it started is left (no listening port, no PostgreSQL process, no worker or
 * broker thread).
 */
class QuickstartSmokeIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(90);

    private Quickstart quickstart;

    @AfterEach
    void stop() {
        if (quickstart != null) {
            quickstart.close();
        }
    }

    @Test
    void bringsTheWholeLoopUpSyncsBothWaysAndLeavesNothingRunningWhenStopped() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(QuickstartConfig.DATA_DIR, Path.of("target", "quickstart-smoke").toString());
        // Free ports: a quickstart a developer runs on the default ports must not collide with this test.
        settings.put(QuickstartConfig.KAFKA_PORT, "0");
        settings.put(QuickstartConfig.CONNECT_REST_PORT, "0");
        settings.put(QuickstartConfig.POSTGRES_PORT, "0");
        settings.put(QuickstartConfig.EMULATOR_PORT, "0");

        quickstart = Quickstart.start(QuickstartConfig.of(settings), out);
        QuickstartPostgres postgres = quickstart.postgres();
        SalesforceSide salesforce = quickstart.salesforce();
        assertThat(postgres.embedded()).isTrue();
        assertThat(salesforce.emulated()).isTrue();

        // Salesforce -> Postgres: the seeded Accounts arrive with their Salesforce ids.
        Map<String, String> seeded = quickstart.seededAccounts();
        assertThat(seeded).containsOnlyKeys("Acme Corporation", "Globex", "Initech");
        String acme = seeded.get("Acme Corporation");
        Polling.await("the seeded Accounts in Postgres", ARRIVAL, () ->
                seeded.values().stream().allMatch(id -> account(postgres, "sfid", id).isPresent()));
        assertThat(account(postgres, "sfid", acme).orElseThrow().get("billingcity")).isEqualTo("Paris");
        Polling.await("the seeded Contacts in Postgres", ARRIVAL, () -> count(postgres,
                "SELECT count(*) FROM salesforce.contact WHERE sfid IS NOT NULL") == 6);

        // Postgres -> Salesforce: an application's INSERT creates the record in the org.
        execute(postgres, "INSERT INTO salesforce.account (name, billingcity) VALUES ('Made in Postgres', 'Oslo')");
        JsonNode created = Polling.awaitValue("the Postgres row as a Salesforce Account", ARRIVAL,
                () -> accountInSalesforce(salesforce, "Made in Postgres"));
        assertThat(created.path("BillingCity").asText()).isEqualTo("Oslo");
        Polling.await("the new record's Salesforce id back in Postgres", ARRIVAL, () ->
                account(postgres, "name", "Made in Postgres").map(row -> created.path("Id").asText()
                        .equals(row.get("sfid"))).orElse(false));

        // Salesforce -> Postgres: a user's edit in Salesforce changes the row.
        salesforce.update("Account", acme, Map.of("BillingCity", "Berlin"));
        Polling.await("the Salesforce edit in Postgres", ARRIVAL, () ->
                account(postgres, "sfid", acme).map(row -> "Berlin".equals(row.get("billingcity"))).orElse(false));

        // What the user sees.
        String banner = Banner.render(quickstart);
        assertThat(banner)
                .contains("psql -h localhost -p " + postgres.port() + " -U postgres postgres")
                .contains(quickstart.connectRestUrl())
                .contains(salesforce.emulatorUrl().orElseThrow() + "/emulator/records/Account/" + acme);
        List<StatusReporter.ConnectorLine> connectors = quickstart.status().connectors();
        assertThat(connectors).extracting(StatusReporter.ConnectorLine::name).containsExactlyInAnyOrder(
                "sfsync-postgres-sink", "sfsync-conflicts-sink", "sfsync-errors-sink", "sfsync-salesforce-source",
                "sfsync-postgres-source", "sfsync-salesforce-sink");
        assertThat(connectors).allSatisfy(line -> assertThat(line.state()).isEqualTo("RUNNING"));
        assertThat(connectors).filteredOn(line -> line.name().equals("sfsync-salesforce-source"))
                .singleElement().satisfies(line -> assertThat(line.records()).isPositive());
        String statusLine = quickstart.status().line();
        assertThat(statusLine).contains("sfsync-postgres-sink RUNNING").contains("conflicts=0 errors=0");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("==> Starting the Connect worker");

        // Stop: nothing left listening, no PostgreSQL process, no broker or worker thread.
        List<Integer> ports = List.of(quickstart.broker().port(), quickstart.broker().controllerPort(),
                quickstart.worker().restPort(), postgres.port(),
                Integer.parseInt(salesforce.emulatorUrl().orElseThrow().replaceAll(".*:", "")));
        ProcessHandle postmaster = postgres.serverProcess().orElseThrow();
        assertThat(postmaster.isAlive()).isTrue();
        assertThat(ports).allMatch(Ports::listening);

        quickstart.close();
        quickstart = null;

        assertThat(postmaster.isAlive()).as("PostgreSQL process %s", postmaster.pid()).isFalse();
        assertThat(ports).noneMatch(Ports::listening);
        Polling.await("no broker, controller or worker thread", Duration.ofSeconds(30), () ->
                runtimeThreads().isEmpty());
    }

    /** Threads of the broker, the controller and the Connect worker (they end with the pieces that own them). */
    private static List<String> runtimeThreads() {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (thread.isAlive() && (name.startsWith("DistributedHerder") || name.startsWith("kafka-1-raft")
                    || name.startsWith("quorum-controller") || name.startsWith("task-thread-")
                    || name.startsWith("data-plane-kafka"))) {
                names.add(name);
            }
        }
        return names;
    }

    private static Optional<Map<String, Object>> account(QuickstartPostgres postgres, String column, String value) {
        try (Connection connection = postgres.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT sfid, name, billingcity FROM salesforce.account WHERE " + column + " = ?")) {
            statement.setString(1, value);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("sfid", rows.getString("sfid"));
                row.put("name", rows.getString("name"));
                row.put("billingcity", rows.getString("billingcity"));
                return Optional.of(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(QuickstartPostgres postgres, String sql) {
        try (Connection connection = postgres.connect();
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(QuickstartPostgres postgres, String sql) throws SQLException {
        try (Connection connection = postgres.connect()) {
            connection.createStatement().execute(sql);
        }
    }

    private static Optional<JsonNode> accountInSalesforce(SalesforceSide salesforce, String name) {
        return StreamSupport.stream(salesforce.records("Account").path("records").spliterator(), false)
                .filter(record -> name.equals(record.path("Name").asText())).findFirst();
    }
}
