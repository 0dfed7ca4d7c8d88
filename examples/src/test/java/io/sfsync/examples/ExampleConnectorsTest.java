package io.sfsync.examples;

import io.sfsync.examples.ExampleConnectors.ConnectorDefinition;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExampleConnectorsTest {

    static Map<String, String> everyValue() {
        Map<String, String> values = new HashMap<>();
        values.put(ExampleConnectors.SALESFORCE_LOGIN_URL, "https://example.my.salesforce.com");
        values.put(ExampleConnectors.SALESFORCE_CLIENT_ID, "id");
        values.put(ExampleConnectors.SALESFORCE_CLIENT_SECRET, "secret");
        values.put(ExampleConnectors.KAFKA_BOOTSTRAP_SERVERS, "kafka:9092");
        values.put(ExampleConnectors.POSTGRES_HOST, "db");
        values.put(ExampleConnectors.POSTGRES_PORT, "5432");
        values.put(ExampleConnectors.POSTGRES_DATABASE, "app");
        values.put(ExampleConnectors.POSTGRES_REPLICATION_PASSWORD, "r");
        values.put(ExampleConnectors.POSTGRES_WRITER_PASSWORD, "w");
        return values;
    }

    @Test
    void everyFileLoadsWithEveryPlaceholderFilledAndNoneLeft() {
        Set<String> used = new TreeSet<>();
        for (String file : ExampleConnectors.ALL) {
            ConnectorDefinition connector = ExampleConnectors.load(file, everyValue());
            assertThat(connector.name()).startsWith("sfsync-");
            assertThat(connector.config()).containsKey("connector.class");
            assertThat(connector.config().values()).noneMatch(v -> v.contains("{{"));
            used.addAll(ExampleConnectors.placeholders(file));
        }
        assertThat(used).isEqualTo(everyValue().keySet());
    }

    @Test
    void theFilesOnDiskAreTheOnesOnTheClassPath() {
        for (String file : ExampleConnectors.ALL) {
            assertThat(ExampleConnectors.load(Path.of("connectors", file), everyValue()))
                    .isEqualTo(ExampleConnectors.load(file, everyValue()));
        }
    }

    @Test
    void placeholdersInsideAValueAreFilledAndOtherReferencesKept() {
        ConnectorDefinition sink = ExampleConnectors.load(ExampleConnectors.POSTGRES_JDBC_SINK, everyValue());
        assertThat(sink.config()).containsEntry("connection.url", "jdbc:postgresql://db:5432/app")
                .containsEntry("collection.name.format", "salesforce.${topic}")
                .containsEntry("transforms.object.replacement", "$1");
    }

    @Test
    void aValueIsInsertedLiterally() {
        Map<String, String> values = everyValue();
        values.put(ExampleConnectors.SALESFORCE_CLIENT_SECRET, "${file:/etc/sfsync/secrets.properties:secret} $1 {{X}}");
        assertThat(ExampleConnectors.load(ExampleConnectors.SALESFORCE_SOURCE, values).config())
                .containsEntry("salesforce.client.secret", "${file:/etc/sfsync/secrets.properties:secret} $1 {{X}}");
    }

    @Test
    void anUnfilledPlaceholderIsAnErrorNamingIt() {
        Map<String, String> values = everyValue();
        values.remove(ExampleConnectors.POSTGRES_PORT);
        values.remove(ExampleConnectors.POSTGRES_HOST);
        assertThatThrownBy(() -> ExampleConnectors.load(ExampleConnectors.POSTGRES_SOURCE, values))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgres-source.json")
                .hasMessageContaining("[POSTGRES_HOST, POSTGRES_PORT]");
    }

    @Test
    void malformedFilesAreRejected() {
        assertThatThrownBy(() -> ExampleConnectors.parse("{\"config\":{}}", "x.json", Map.of()))
                .hasMessageContaining("x.json must be");
        assertThatThrownBy(() -> ExampleConnectors.parse("{\"name\":\"n\",\"config\":{\"a\":{}}}", "x.json",
                Map.of())).hasMessageContaining("config value of a");
        assertThatThrownBy(() -> ExampleConnectors.parse("{", "x.json", Map.of()))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ExampleConnectors.load("nope.json", Map.of())).hasMessageContaining("nope.json");
    }

    @Test
    void withOverridesKeysAndToJsonIsARestBody() {
        ConnectorDefinition source = ExampleConnectors.load(ExampleConnectors.POSTGRES_SOURCE, everyValue())
                .with(Map.of("transforms.conflicts.conflict.policy", "postgres-wins"));
        assertThat(source.config()).containsEntry("transforms.conflicts.conflict.policy", "postgres-wins");
        assertThat(source.toJson()).contains("\"name\":\"sfsync-postgres-source\"").contains("\"config\":{");
        assertThat(source.configJson()).startsWith("{\"connector.class\":");
    }
}
