package io.sfsync.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real in-process Kafka Connect cluster: one KRaft broker and one distributed worker, from Kafka's own
 * {@code EmbeddedConnectCluster}. This is the only class of ours that touches Kafka's internal test code, which
 * changes between Kafka lines; everything else talks to the cluster the way users do, through the Connect REST API
 * and Kafka clients.
 *
 * <p>The worker loads plugins from a {@link PluginPath} with {@code plugin.discovery=service_load}, so each plugin
 * must ship its {@code META-INF/services} files. Its default converters are {@code JsonConverter} with schemas, as in
 * Kafka's stock {@code connect-distributed.properties}.
 */
public final class ConnectFixture implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectFixture.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final EmbeddedConnectCluster cluster;
    private final URI restUrl;
    private final HttpClient http;
    private long startupMillis;

    private ConnectFixture(EmbeddedConnectCluster cluster) {
        this.cluster = cluster;
        this.restUrl = cluster.workers().iterator().next().url();
        this.http = HttpClient.newBuilder().connectTimeout(REST_TIMEOUT).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The broker's bootstrap servers, for clients and connector configurations. */
    public String bootstrapServers() {
        return cluster.kafka().bootstrapServers();
    }

    /** The worker's REST URL, e.g. {@code http://127.0.0.1:43817/} (with a trailing slash). */
    public URI restUrl() {
        return restUrl;
    }

    /** How long {@link Builder#start()} took until the worker answered, in milliseconds. */
    public long startupMillis() {
        return startupMillis;
    }

    // ---- connectors, through the REST API ----

    /** Creates (or reconfigures) a connector with {@code PUT /connectors/{name}/config}. */
    public void createConnector(String name, Map<String, String> config) {
        HttpResponse<String> response = send("PUT", "connectors/" + name + "/config", jsonBody(config));
        expectSuccess(response, "create connector " + name);
    }

    /**
     * Creates a connector from a JSON file in the Connect REST form {@code {"name": ..., "config": {...}}} with
     * {@code POST /connectors}, exactly as a user would submit it; returns its name.
     */
    public String createConnector(Path jsonFile) {
        return createConnector(jsonFile, Map.of());
    }

    /**
     * Creates a connector from a JSON file in the REST form, after applying {@code overrides} to its config (for
     * addresses known only at test time, such as the database port); returns its name.
     */
    public String createConnector(Path jsonFile, Map<String, String> overrides) {
        try {
            return createConnectorFromJson(Files.readString(jsonFile), overrides);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read connector file " + jsonFile, e);
        }
    }

    /**
     * Creates a connector from JSON in the REST form {@code {"name": ..., "config": {...}}}, after applying
     * {@code overrides} to its config (for addresses known only at test time); returns its name.
     */
    public String createConnectorFromJson(String json, Map<String, String> overrides) {
        ObjectNode request;
        try {
            request = (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("Not a connector JSON object: " + json, e);
        }
        String name = Objects.requireNonNull(request.path("name").textValue(), "connector JSON has no \"name\"");
        JsonNode existing = request.get("config");
        ObjectNode config = existing instanceof ObjectNode object ? object : request.putObject("config");
        overrides.forEach(config::put);
        HttpResponse<String> response = send("POST", "connectors", request.toString());
        expectSuccess(response, "create connector " + name);
        return name;
    }

    public String createConnectorFromJson(String json) {
        return createConnectorFromJson(json, Map.of());
    }

    /** Deletes a connector and waits (bounded) until the worker no longer lists it. */
    public void deleteConnector(String name) {
        HttpResponse<String> response = send("DELETE", "connectors/" + name, null);
        if (response.statusCode() != 404) {
            expectSuccess(response, "delete connector " + name);
        }
        await("connector " + name + " deleted", Duration.ofSeconds(30), () -> !connectors().contains(name));
    }

    public void pauseConnector(String name) {
        expectSuccess(send("PUT", "connectors/" + name + "/pause", null), "pause connector " + name);
    }

    public void resumeConnector(String name) {
        expectSuccess(send("PUT", "connectors/" + name + "/resume", null), "resume connector " + name);
    }

    /** Restarts the connector and all its tasks. */
    public void restartConnector(String name) {
        expectSuccess(send("POST", "connectors/" + name + "/restart?includeTasks=true", null),
                "restart connector " + name);
    }

    /** The names of the connectors the worker runs. */
    public List<String> connectors() {
        HttpResponse<String> response = send("GET", "connectors", null);
        expectSuccess(response, "list connectors");
        return readJson(response.body(), new TypeReference<List<String>>() { });
    }

    /** The connector's status, or {@code null} while the worker does not know it yet. */
    public ConnectorStatus connectorStatus(String name) {
        HttpResponse<String> response = send("GET", "connectors/" + name + "/status", null);
        if (response.statusCode() == 404) {
            return null;
        }
        expectSuccess(response, "status of connector " + name);
        return ConnectorStatus.parse(readJson(response.body(), JsonNode.class));
    }

    /**
     * Waits until the connector and at least {@code tasks} tasks are RUNNING; fails at once, with the worker's stack
     * trace, when the connector or a task has FAILED.
     */
    public ConnectorStatus awaitRunning(String name, int tasks, Duration timeout) {
        ConnectorStatus[] last = new ConnectorStatus[1];
        await("connector " + name + " and " + tasks + " task(s) RUNNING", timeout, () -> {
            ConnectorStatus status = connectorStatus(name);
            last[0] = status;
            if (status == null) {
                return false;
            }
            status.failure().ifPresent(trace -> {
                throw new IllegalStateException("Connector " + name + " failed: " + trace);
            });
            return status.isRunning(tasks);
        }, () -> "last status: " + last[0]);
        return last[0];
    }

    /** {@link #awaitRunning(String, int, Duration)} with one task and 60 s. */
    public ConnectorStatus awaitRunning(String name) {
        return awaitRunning(name, 1, Duration.ofSeconds(60));
    }

    /** Validates a connector configuration; returns the REST reply (with {@code error_count} and per-key errors). */
    public JsonNode validate(String connectorClass, Map<String, String> config) {
        Map<String, String> body = new LinkedHashMap<>(config);
        body.put("connector.class", connectorClass);
        String plugin = connectorClass.substring(connectorClass.lastIndexOf('.') + 1);
        HttpResponse<String> response = send("PUT", "connector-plugins/" + plugin + "/config/validate",
                jsonBody(body));
        expectSuccess(response, "validate " + connectorClass);
        return readJson(response.body(), JsonNode.class);
    }

    /** The worker's plugins, with {@code GET /connector-plugins?connectorsOnly=false}. */
    public List<String> pluginClasses() {
        HttpResponse<String> response = send("GET", "connector-plugins?connectorsOnly=false", null);
        expectSuccess(response, "list plugins");
        List<String> classes = new ArrayList<>();
        readJson(response.body(), JsonNode.class).forEach(plugin -> classes.add(plugin.path("class").asText()));
        return classes;
    }

    /** One REST call to the worker, for anything the helpers above do not cover; path is relative. */
    public HttpResponse<String> rest(String method, String path, String jsonBody) {
        return send(method, path, jsonBody);
    }

    // ---- Kafka ----

    public void createTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topic " + topic, e);
        }
    }

    /** An admin client of the broker; the caller closes it. */
    public Admin admin() {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(config);
    }

    /** Sends one record with string key and value (either may be null) and waits for the acknowledgement. */
    public void produce(String topic, String key, String value) {
        produce(topic, key, value, Map.of());
    }

    /** Sends one record with string key, value and headers, and waits for the acknowledgement. */
    public void produce(String topic, String key, String value, Map<String, String> headers) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, headerValue) ->
                    record.headers().add(name, headerValue == null ? null : headerValue.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while producing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot produce to " + topic, e);
        }
    }

    /**
     * Reads the topics from the beginning until at least {@code count} records arrived or the timeout passed, and
     * returns what arrived (possibly fewer: the caller asserts). Uses {@code read_committed}.
     */
    public List<ConsumerRecord<byte[], byte[]>> consume(int count, Duration timeout, String... topics) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "sfsync-testkit-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topics));
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(POLL_INTERVAL).forEach(records::add);
            }
        }
        return records;
    }

    /** A record's value as UTF-8 text (null for a tombstone). */
    public static String valueAsString(ConsumerRecord<byte[], byte[]> record) {
        return record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    }

    /** A record's last header of that name as UTF-8 text, or null. */
    public static String headerAsString(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        long started = System.nanoTime();
        cluster.stop();
        log.info("Connect cluster stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public String toString() {
        return "ConnectFixture[rest=" + restUrl + ", kafka=" + bootstrapServers() + "]";
    }

    // ---- internals ----

    private static String jsonBody(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write JSON", e);
        }
    }

    private static <T> T readJson(String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unexpected reply from Connect: " + body, e);
        }
    }

    private static <T> T readJson(String body, TypeReference<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unexpected reply from Connect: " + body, e);
        }
    }

    private HttpResponse<String> send(String method, String path, String jsonBody) {
        HttpRequest request = HttpRequest.newBuilder(restUrl.resolve(path))
                .timeout(REST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, jsonBody == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + request.uri(), e);
        }
    }

    private static void expectSuccess(HttpResponse<String> response, String what) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Cannot " + what + ": HTTP " + response.statusCode() + " "
                    + response.body());
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, condition, () -> "");
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> detail) {
        Polling.await(what, timeout, POLL_INTERVAL, condition, detail);
    }

    /** The state of a connector and its tasks, from {@code GET /connectors/{name}/status}. */
    public record ConnectorStatus(String name, String state, String trace, List<TaskStatus> tasks) {

        public boolean isRunning(int minTasks) {
            return "RUNNING".equals(state)
                    && tasks.stream().filter(task -> "RUNNING".equals(task.state())).count() >= minTasks;
        }

        /** The stack trace of the connector or of its first failed task, if either has FAILED. */
        public Optional<String> failure() {
            if ("FAILED".equals(state)) {
                return Optional.of("connector: " + trace);
            }
            return tasks.stream().filter(task -> "FAILED".equals(task.state())).findFirst()
                    .map(task -> "task " + task.id() + ": " + task.trace());
        }

        static ConnectorStatus parse(JsonNode status) {
            List<TaskStatus> tasks = new ArrayList<>();
            for (Iterator<JsonNode> it = status.path("tasks").elements(); it.hasNext(); ) {
                JsonNode task = it.next();
                tasks.add(new TaskStatus(task.path("id").asInt(), task.path("state").asText(),
                        task.path("trace").asText(null)));
            }
            JsonNode connector = status.path("connector");
            return new ConnectorStatus(status.path("name").asText(), connector.path("state").asText(),
                    connector.path("trace").asText(null), List.copyOf(tasks));
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(name).append(": ").append(state).append(", tasks [");
            tasks.forEach(task -> text.append(' ').append(task.id()).append('=').append(task.state()));
            return text.append(" ]").toString();
        }
    }

    public record TaskStatus(int id, String state, String trace) {
    }

    /** Worker and broker settings. */
    public static final class Builder {
        private final Map<String, String> workerConfig = new LinkedHashMap<>();
        private final Properties brokerConfig = new Properties();
        private String name = "sfsync-connect";
        private PluginPath pluginPath;

        private Builder() {
            workerConfig.put("plugin.discovery", "service_load");
            workerConfig.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
            workerConfig.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
            workerConfig.put("key.converter.schemas.enable", "true");
            workerConfig.put("value.converter.schemas.enable", "true");
            // Source offsets are flushed every second (default 60 s), so restart tests need not wait long.
            workerConfig.put("offset.flush.interval.ms", "1000");
            // A sink subscribed with topics.regex sees a topic created after it started within a second, not after
            // the consumer's default metadata refresh of 5 minutes.
            workerConfig.put("consumer.metadata.max.age.ms", "1000");
            // One partition per internal topic: creating Kafka's default 25 + 5 (Connect) and 50 + 50 (consumer
            // offsets, transactions) partitions costs seconds of start-up on a 2-core machine.
            workerConfig.put("offset.storage.partitions", "1");
            workerConfig.put("status.storage.partitions", "1");
            brokerConfig.put("offsets.topic.num.partitions", "1");
            brokerConfig.put("transaction.state.log.num.partitions", "1");
            brokerConfig.put("transaction.state.log.replication.factor", "1");
            brokerConfig.put("transaction.state.log.min.isr", "1");
            brokerConfig.put("group.initial.rebalance.delay.ms", "0");
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The plugins the worker loads; without one, only the class path's plugins (Kafka's own) exist. */
        public Builder pluginPath(PluginPath pluginPath) {
            this.pluginPath = Objects.requireNonNull(pluginPath, "pluginPath");
            return this;
        }

        /** A worker setting (overrides the defaults above). */
        public Builder workerConfig(String key, String value) {
            workerConfig.put(key, value);
            return this;
        }

        /** A broker setting. */
        public Builder brokerConfig(String key, String value) {
            brokerConfig.put(key, value);
            return this;
        }

        /** KIP-618 exactly-once source support on the worker ({@code exactly.once.source.support=enabled}). */
        public Builder exactlyOnceSourceSupport(boolean enabled) {
            workerConfig.put("exactly.once.source.support", enabled ? "enabled" : "disabled");
            return this;
        }

        /** Starts the broker and the worker, and waits (bounded) until the worker answers. */
        public ConnectFixture start() {
            Map<String, String> worker = new LinkedHashMap<>(workerConfig);
            if (pluginPath != null) {
                worker.put("plugin.path", pluginPath.directory().toString());
            }
            EmbeddedConnectCluster cluster = new EmbeddedConnectCluster.Builder()
                    .name(name)
                    .numWorkers(1)
                    .numBrokers(1)
                    .brokerProps(brokerConfig)
                    .workerProps(worker)
                    .maskExitProcedures(true)
                    .build();
            long started = System.nanoTime();
            try {
                cluster.start();
                ConnectFixture fixture = new ConnectFixture(cluster);
                Polling.await("Connect worker REST API up", Duration.ofSeconds(60), POLL_INTERVAL,
                        fixture::workerAnswers, () -> "");
                fixture.startupMillis = (System.nanoTime() - started) / 1_000_000;
                log.info("Connect cluster started in {} ms: REST {}, Kafka {}", fixture.startupMillis,
                        fixture.restUrl, fixture.bootstrapServers());
                return fixture;
            } catch (RuntimeException | Error e) {
                try {
                    cluster.stop();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    private boolean workerAnswers() {
        try {
            return send("GET", "connectors", null).statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }
}
