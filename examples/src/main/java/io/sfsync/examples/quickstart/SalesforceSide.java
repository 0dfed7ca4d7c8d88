package io.sfsync.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.emulator.SalesforceEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Salesforce side: the emulator (a local org, nothing to sign up for), or a real org when its connected app is
 * configured. Connector code cannot tell them apart; only the connection keys given to the connectors differ.
 */
final class SalesforceSide implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SalesforceSide.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final SalesforceEmulator emulator;
    private final Map<String, String> connection;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
    private boolean stopped;

    private SalesforceSide(SalesforceEmulator emulator, Map<String, String> connection) {
        this.emulator = emulator;
        this.connection = connection;
    }

    /** Starts the emulator on 127.0.0.1 ({@code port} 0: any free port). */
    static SalesforceSide emulator(int port) {
        long started = System.nanoTime();
        SalesforceEmulator emulator = SalesforceEmulator.builder().host("127.0.0.1").port(port).start();
        Map<String, String> connection = new LinkedHashMap<>();
        connection.put("salesforce.login.url", emulator.baseUrl());
        // The emulator's connected app and integration user are public, seeded constants (not secrets), so the
        // simplest flow that needs no key file is used.
        connection.put("salesforce.auth.type", "CLIENT_CREDENTIALS");
        connection.put("salesforce.client.id", SalesforceEmulator.CLIENT_ID);
        connection.put("salesforce.client.secret", SalesforceEmulator.CLIENT_SECRET);
        log.info("Salesforce emulator started at {} in {} ms", emulator.baseUrl(),
                (System.nanoTime() - started) / 1_000_000);
        return new SalesforceSide(emulator, connection);
    }

    /**
     * The control API of an emulator started elsewhere (a test that plays a real org with one). Do not close it: it
     * would stop that emulator.
     */
    static SalesforceSide controlOf(SalesforceEmulator emulator) {
        return new SalesforceSide(emulator, Map.of());
    }

    /** A real org; {@code connection} holds the connectors' Salesforce keys (secrets as config provider references). */
    static SalesforceSide realOrg(Map<String, String> connection) {
        return new SalesforceSide(null, Map.copyOf(connection));
    }

    boolean emulated() {
        return emulator != null;
    }

    Optional<SalesforceEmulator> emulatorInstance() {
        return Optional.ofNullable(emulator);
    }

    /** The emulator's base URL (instance and login URL). */
    Optional<String> emulatorUrl() {
        return emulatorInstance().map(SalesforceEmulator::baseUrl);
    }

    /** The Salesforce connection keys both Salesforce connectors get. */
    Map<String, String> connectorConnection() {
        return connection;
    }

    /** A sample Account with two Contacts, per entry of {@code accounts}: {name, billing city, industry}. */
    static final List<List<String>> SAMPLE_ACCOUNTS = List.of(
            List.of("Acme Corporation", "Paris", "Manufacturing"),
            List.of("Globex", "Lyon", "Energy"),
            List.of("Initech", "Austin", "Technology"));

    /**
     * Creates the sample Accounts and Contacts as a person in the Salesforce UI would (the emulator's control API),
     * so they flow to Postgres as genuine Salesforce-side changes. Returns the Account ids by name.
     */
    Map<String, String> seed() {
        if (emulator == null) {
            throw new IllegalStateException("Sample data is only created in the emulator, never in a real org");
        }
        Map<String, String> accounts = new LinkedHashMap<>();
        int contact = 0;
        for (List<String> account : SAMPLE_ACCOUNTS) {
            String id = create("Account", Map.of("Name", account.get(0), "BillingCity", account.get(1),
                    "Industry", account.get(2)));
            accounts.put(account.get(0), id);
            for (String lastName : List.of("Smith", "Jones")) {
                contact++;
                create("Contact", Map.of("FirstName", "Sample" + contact, "LastName", lastName,
                        "Email", "sample" + contact + "@example.com", "AccountId", id));
            }
        }
        log.info("Seeded {} Accounts and {} Contacts in the emulator", accounts.size(), contact);
        return accounts;
    }

    /** Creates a record as a UI user (control API); returns its id. */
    String create(String object, Map<String, ?> fields) {
        JsonNode answer = control("POST", "records/" + object, fields);
        return answer.path("id").asText();
    }

    /** Updates a record as a UI user (control API). */
    void update(String object, String id, Map<String, ?> fields) {
        control("PATCH", "records/" + object + "/" + id, fields);
    }

    /** Every record of an object, as the control API dumps them ({@code records} array). */
    JsonNode records(String object) {
        return control("GET", "records/" + object, null);
    }

    private JsonNode control(String method, String path, Object body) {
        if (emulator == null) {
            throw new IllegalStateException("The control API exists only in the emulator");
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/emulator/" + path))
                    .timeout(CALL_TIMEOUT).header("Content-Type", "application/json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " /emulator/" + path + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " /emulator/" + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " /emulator/" + path, e);
        }
    }

    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (emulator != null) {
            emulator.close();
            log.info("Salesforce emulator stopped");
        }
    }
}
