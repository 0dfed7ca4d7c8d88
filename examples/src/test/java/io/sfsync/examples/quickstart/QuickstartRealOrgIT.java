package io.sfsync.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.testkit.Polling;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-org path of the quickstart, with an org that is not the quickstart's own: a separately started emulator
 * that accepts only JWT bearer assertions signed by a key the test made. The connection (JWT bearer, consumer key,
 * username, private key) comes from a properties file, as a user gives it; the private key reaches the connectors
 * only as a {@code ${file:...}} reference resolved by the worker, never in their stored configuration. Nothing is
 * seeded; records made in the org arrive in Postgres and a Postgres INSERT arrives in the org.
 */
class QuickstartRealOrgIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private SalesforceEmulator org;
    private Quickstart quickstart;

    @AfterEach
    void stop() {
        if (quickstart != null) {
            quickstart.close();
        }
        if (org != null) {
            org.close();
        }
    }

    @Test
    void aConfiguredOrgIsUsedWithJwtBearerAndTheKeyStaysAReference() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        org = SalesforceEmulator.builder().jwtPublicKey(keys.getPublic()).start();
        SalesforceSide orgControl = SalesforceSide.controlOf(org);
        String existing = orgControl.create("Account", Map.of("Name", "Already in the org", "BillingCity", "Rome"));

        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Properties settings = new Properties();
        settings.setProperty("salesforce.login.url", org.baseUrl());
        settings.setProperty("salesforce.auth.type", "JWT_BEARER");
        settings.setProperty("salesforce.client.id", SalesforceEmulator.CLIENT_ID);
        settings.setProperty("salesforce.username", SalesforceEmulator.INTEGRATION_USERNAME);
        settings.setProperty("salesforce.jwt.private.key", pem);
        settings.setProperty("quickstart.data.dir", Path.of("target", "quickstart-real-org").toString());
        for (String port : new String[] {"kafka.port", "connect.rest.port", "postgres.port",
                "salesforce.emulator.port"}) {
            settings.setProperty(port, "0");
        }
        Path file = folder.resolve("quickstart.properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            settings.store(writer, "test");
        }

        QuickstartConfig config = QuickstartConfig.load(Map.of(), Optional.of(file));
        assertThat(config.realOrg()).isTrue();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        quickstart = Quickstart.start(config, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(quickstart.salesforce().emulated()).isFalse();
        assertThat(quickstart.seededAccounts()).isEmpty();
        String stored = restGet(quickstart.connectRestUrl() + "connectors/sfsync-salesforce-source/config");
        assertThat(stored).doesNotContain(Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
                .substring(0, 40)).contains("${file:" + file.toAbsolutePath() + ":salesforce.jwt.private.key}");
        assertThat(JSON.readTree(restGet(quickstart.connectRestUrl() + "connectors/sfsync-salesforce-sink/config"))
                .path("salesforce.auth.type").asText()).isEqualTo("JWT_BEARER");

        // The org's existing record is snapshotted into Postgres.
        QuickstartPostgres postgres = quickstart.postgres();
        Polling.await("the org's Account in Postgres", ARRIVAL, () -> city(postgres, existing).isPresent());
        assertThat(city(postgres, existing)).contains("Rome");

        // And a Postgres INSERT reaches the org.
        try (Connection connection = postgres.connect()) {
            connection.createStatement().execute(
                    "INSERT INTO salesforce.account (name, billingcity) VALUES ('Inserted in Postgres', 'Turin')");
        }
        Polling.await("the Postgres row in the org", ARRIVAL, () -> {
            for (JsonNode record : orgControl.records("Account").path("records")) {
                if ("Inserted in Postgres".equals(record.path("Name").asText())) {
                    return true;
                }
            }
            return false;
        });
        assertThat(Banner.render(quickstart)).contains("your org at " + org.baseUrl());
    }

    private static Optional<String> city(QuickstartPostgres postgres, String sfid) {
        try (Connection connection = postgres.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT billingcity FROM salesforce.account WHERE sfid = ?")) {
            statement.setString(1, sfid);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String restGet(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}
