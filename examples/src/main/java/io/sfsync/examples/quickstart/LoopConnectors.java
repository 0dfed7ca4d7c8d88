package io.sfsync.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.examples.ExampleConnectors;
import io.sfsync.examples.ExampleConnectors.ConnectorDefinition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's six connectors, created through the Connect REST API from the example files
 * ({@code examples/connectors/*.json}, read from disk so that an edited file takes effect on the next run, else from
 * the class path) with only their {@code {{PLACEHOLDERS}}} filled, exactly as a user submits them.
 */
final class LoopConnectors {

    private static final Logger log = LoggerFactory.getLogger(LoopConnectors.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Where the example files are, relative to the examples module (the quickstart's working directory). */
    static final Path CONNECTOR_FOLDER = Path.of("connectors");
    /** Topics the Salesforce sink (errors) and the conflict SMT (conflicts) produce to from their own producers. */
    static final List<String> SIDE_TOPICS = List.of("sfsync_errors", "sfsync_conflicts");

    private final URI restUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();

    LoopConnectors(URI restUrl) {
        this.restUrl = restUrl;
    }

    /** The connector definitions of {@link ExampleConnectors#ALL}, in creation order, placeholders filled. */
    static List<ConnectorDefinition> definitions(Map<String, String> placeholders,
                                                 Map<String, String> salesforceOverrides) {
        List<ConnectorDefinition> definitions = new ArrayList<>();
        for (String file : ExampleConnectors.ALL) {
            Path onDisk = CONNECTOR_FOLDER.resolve(file);
            ConnectorDefinition definition = Files.isRegularFile(onDisk)
                    ? ExampleConnectors.load(onDisk, placeholders) : ExampleConnectors.load(file, placeholders);
            String connectorClass = definition.config().getOrDefault("connector.class", "");
            if (connectorClass.startsWith("io.sfsync.") && !salesforceOverrides.isEmpty()) {
                definition = definition.with(salesforceOverrides);
            }
            definitions.add(definition);
        }
        return definitions;
    }

    /** Creates the side topics the connectors' own producers write to (the broker would create them on the fly
     *  with defaults, but topic creation belongs to setup, as in a real cluster). */
    static void createSideTopics(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (String topic : SIDE_TOPICS) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all()
                            .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + topic + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topics " + SIDE_TOPICS, e);
        }
    }

    /** {@code POST /connectors} with the definition's JSON. */
    void create(ConnectorDefinition connector) {
        HttpResponse<String> response = send("POST", "connectors", connector.toJson());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Connect refused connector " + connector.name() + " ("
                    + response.statusCode() + "): " + response.body());
        }
        log.info("Created connector {}", connector.name());
    }

    /**
     * Waits until the connector and its tasks run; fails at once with the worker's stack trace when one has
     * failed.
     */
    void awaitRunning(ConnectorDefinition connector, Duration timeout) {
        int tasks = expectedTasks(connector);
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no status yet";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = send("GET", "connectors/" + connector.name() + "/status", null);
            if (response.statusCode() == 200) {
                last = response.body();
                JsonNode status = readTree(response.body());
                String failure = failure(status);
                if (failure != null) {
                    throw new IllegalStateException("Connector " + connector.name() + " failed: " + failure);
                }
                int running = 0;
                for (JsonNode task : status.path("tasks")) {
                    running += "RUNNING".equals(task.path("state").asText()) ? 1 : 0;
                }
                if ("RUNNING".equals(status.path("connector").path("state").asText()) && running >= tasks) {
                    return;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + connector.name(), e);
            }
        }
        throw new IllegalStateException("Connector " + connector.name() + " not RUNNING with " + tasks
                + " task(s) after " + timeout.toSeconds() + " s; last status: " + last);
    }

    private static String failure(JsonNode status) {
        if ("FAILED".equals(status.path("connector").path("state").asText())) {
            return status.path("connector").path("trace").asText("(no trace)");
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                return "task " + task.path("id").asText() + ": " + task.path("trace").asText("(no trace)");
            }
        }
        return null;
    }

    /** The Salesforce source deals its objects over its tasks; every other connector of the loop runs one. */
    static int expectedTasks(ConnectorDefinition connector) {
        Map<String, String> config = connector.config();
        if (config.getOrDefault("connector.class", "").endsWith("SalesforceSourceConnector")) {
            int objects = config.getOrDefault("salesforce.objects", "").split(",").length;
            return Math.min(Integer.parseInt(config.getOrDefault("tasks.max", "1")), objects);
        }
        return 1;
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(restUrl.resolve(path)).timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + restUrl.resolve(path) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + path, e);
        }
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("Connect answered non-JSON: " + body, e);
        }
    }
}
