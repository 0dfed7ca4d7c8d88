package io.sfsync.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the example connector files ({@code examples/connectors/*.json}, the bodies a user POSTs to the Connect REST
 * API) and fills their environment-specific placeholders.
 *
 * <p>A placeholder is {@code {{NAME}}} (upper case, digits, underscores) anywhere inside a config value, e.g.
 * {@code "jdbc:postgresql://{{POSTGRES_HOST}}:{{POSTGRES_PORT}}/{{POSTGRES_DATABASE}}"}. The double braces keep it
 * apart from Kafka's {@code ${provider:path:key}} ConfigProvider references and Debezium's {@code ${topic}}, which
 * are passed through untouched for the worker to resolve. A user can replace placeholders by hand; the quickstart
 * and the end-to-end tests fill them from a map. A placeholder left without a value is an error, so a half-filled
 * connector is never submitted.
 */
public final class ExampleConnectors {

    /** Salesforce My Domain (or login) URL; the emulator's base URL in tests. */
    public static final String SALESFORCE_LOGIN_URL = "SALESFORCE_LOGIN_URL";
    /** Connected app consumer key. */
    public static final String SALESFORCE_CLIENT_ID = "SALESFORCE_CLIENT_ID";
    /** Connected app consumer secret (a ConfigProvider reference in production, see README.md). */
    public static final String SALESFORCE_CLIENT_SECRET = "SALESFORCE_CLIENT_SECRET";
    /** Kafka bootstrap servers for the producers inside the Salesforce sink (errors) and the SMT (conflicts). */
    public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String POSTGRES_HOST = "POSTGRES_HOST";
    public static final String POSTGRES_PORT = "POSTGRES_PORT";
    public static final String POSTGRES_DATABASE = "POSTGRES_DATABASE";
    /** Password of {@code sfsync_replication}, the role setup.sql creates for Debezium's Postgres source. */
    public static final String POSTGRES_REPLICATION_PASSWORD = "POSTGRES_REPLICATION_PASSWORD";
    /** Password of {@code sfsync_writer}, the role setup.sql creates for the JDBC sinks. */
    public static final String POSTGRES_WRITER_PASSWORD = "POSTGRES_WRITER_PASSWORD";

    /** Salesforce → Kafka: snapshot and CDC of Account and Contact into {@code sf.<Object>}. */
    public static final String SALESFORCE_SOURCE = "salesforce-source.json";
    /** {@code sf.<Object>} → {@code salesforce.<object>} tables (Debezium JDBC sink). */
    public static final String POSTGRES_JDBC_SINK = "postgres-jdbc-sink.json";
    /** Postgres tables → {@code pg.salesforce.<table>} through the conflict SMT (Debezium Postgres source). */
    public static final String POSTGRES_SOURCE = "postgres-source.json";
    /** {@code pg.salesforce.<table>} → Salesforce. */
    public static final String SALESFORCE_SINK = "salesforce-sink.json";
    /** {@code sfsync_conflicts} → {@code salesforce.sfsync_conflicts}. */
    public static final String CONFLICTS_JDBC_SINK = "conflicts-jdbc-sink.json";
    /** {@code sfsync_errors} → {@code salesforce.sfsync_errors}. */
    public static final String ERRORS_JDBC_SINK = "errors-jdbc-sink.json";

    /** Every connector of the loop, in the order to create them: the sinks into Postgres first, so the tables
     *  exist (and have their columns) before the Postgres source captures them. */
    public static final List<String> ALL = List.of(POSTGRES_JDBC_SINK, CONFLICTS_JDBC_SINK, ERRORS_JDBC_SINK,
            SALESFORCE_SOURCE, POSTGRES_SOURCE, SALESFORCE_SINK);

    static final String RESOURCE_FOLDER = "/io/sfsync/examples/connectors/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z][A-Z0-9_]*)}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExampleConnectors() {
    }

    /** A connector as the REST API takes it: its name and its config, every value a string. */
    public record ConnectorDefinition(String name, Map<String, String> config) {

        public ConnectorDefinition {
            Objects.requireNonNull(name, "name");
            config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        }

        /** A copy with some config keys set (or replaced), e.g. a test switching the conflict policy. */
        public ConnectorDefinition with(Map<String, String> overrides) {
            Map<String, String> changed = new LinkedHashMap<>(config);
            changed.putAll(overrides);
            return new ConnectorDefinition(name, changed);
        }

        /** The body for {@code POST /connectors}: {@code {"name": ..., "config": {...}}}. */
        public String toJson() {
            try {
                return JSON.writeValueAsString(Map.of("name", name, "config", config));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Cannot write connector " + name, e);
            }
        }

        /** The body for {@code PUT /connectors/<name>/config}: the config alone. */
        public String configJson() {
            try {
                return JSON.writeValueAsString(config);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Cannot write connector " + name, e);
            }
        }
    }

    /** Loads a connector file from disk (e.g. {@code examples/connectors/salesforce-source.json}). */
    public static ConnectorDefinition load(Path file, Map<String, String> values) {
        try {
            return parse(Files.readString(file), file.toString(), values);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read connector file " + file, e);
        }
    }

    /** Loads one of the example files by name (e.g. {@link #SALESFORCE_SOURCE}) from the class path. */
    public static ConnectorDefinition load(String fileName, Map<String, String> values) {
        return parse(resource(fileName), fileName, values);
    }

    /** The placeholder names a connector file uses, sorted. */
    public static Set<String> placeholders(String fileName) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(resource(fileName));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    static ConnectorDefinition parse(String json, String origin, Map<String, String> values) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.path("name").isTextual() || !root.path("config").isObject()) {
            throw new IllegalArgumentException(origin + " must be {\"name\": \"...\", \"config\": {...}}");
        }
        Map<String, String> config = new LinkedHashMap<>();
        Set<String> unfilled = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.get("config").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw new IllegalArgumentException(origin + ": config value of " + field.getKey()
                        + " must be a string");
            }
            config.put(field.getKey(), fill(value.asText(), values, unfilled));
        }
        String name = fill(root.get("name").asText(), values, unfilled);
        if (!unfilled.isEmpty()) {
            throw new IllegalArgumentException(origin + ": no value for placeholder(s) " + unfilled
                    + "; give them in the map or replace {{...}} in the file");
        }
        return new ConnectorDefinition(name, config);
    }

    /** Replaces the placeholders of one value; values are inserted literally (never scanned again). */
    private static String fill(String template, Map<String, String> values, Set<String> unfilled) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                unfilled.add(matcher.group(1));
                value = matcher.group();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String resource(String fileName) {
        try (InputStream in = ExampleConnectors.class.getResourceAsStream(RESOURCE_FOLDER + fileName)) {
            if (in == null) {
                throw new IllegalArgumentException("No example connector " + fileName + "; known: " + ALL);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read example connector " + fileName, e);
        }
    }
}
