package io.sfsync.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfsync.examples.ExampleConnectors;
import io.sfsync.examples.ExampleConnectors.ConnectorDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoopConnectorsTest {

    private static Map<String, String> placeholders() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(ExampleConnectors.SALESFORCE_LOGIN_URL, "http://127.0.0.1:18080");
        values.put(ExampleConnectors.SALESFORCE_CLIENT_ID, "client");
        values.put(ExampleConnectors.SALESFORCE_CLIENT_SECRET, "secret");
        values.put(ExampleConnectors.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:19092");
        values.put(ExampleConnectors.POSTGRES_HOST, "localhost");
        values.put(ExampleConnectors.POSTGRES_PORT, "15432");
        values.put(ExampleConnectors.POSTGRES_DATABASE, "postgres");
        values.put(ExampleConnectors.POSTGRES_WRITER_PASSWORD, "w");
        values.put(ExampleConnectors.POSTGRES_REPLICATION_PASSWORD, "r");
        return values;
    }

    @Test
    void everyExampleConnectorIsCreatedInTheLoadersOrderWithItsPlaceholdersFilled() {
        List<ConnectorDefinition> definitions = LoopConnectors.definitions(placeholders(), Map.of());

        assertThat(definitions).hasSize(ExampleConnectors.ALL.size());
        assertThat(definitions).allSatisfy(definition ->
                assertThat(definition.toJson()).doesNotContain("{{"));
        assertThat(definitions.get(0).name()).isEqualTo("sfsync-postgres-sink");
        assertThat(definitions).filteredOn(d -> d.name().equals("sfsync-salesforce-source")).singleElement()
                .satisfies(d -> assertThat(d.config()).containsEntry("salesforce.login.url", "http://127.0.0.1:18080"));
    }

    @Test
    void aRealOrgsKeysGoToBothSalesforceConnectorsAsGiven() {
        Map<String, String> org = new LinkedHashMap<>();
        org.put("salesforce.login.url", "https://acme.my.salesforce.com");
        org.put("salesforce.auth.type", "JWT_BEARER");
        org.put("salesforce.client.id", "3MVG9consumerKey");
        org.put("salesforce.username", "sync@acme.com");
        org.put("salesforce.jwt.private.key", "${env:SFSYNC_SALESFORCE_JWT_PRIVATE_KEY}");

        List<ConnectorDefinition> definitions = LoopConnectors.definitions(placeholders(), org);

        ConnectorDefinition source = named(definitions, "sfsync-salesforce-source");
        ConnectorDefinition sink = named(definitions, "sfsync-salesforce-sink");
        assertThat(source.config()).containsEntry("salesforce.auth.type", "JWT_BEARER")
                .containsEntry("salesforce.username", "sync@acme.com")
                .containsEntry("salesforce.jwt.private.key", "${env:SFSYNC_SALESFORCE_JWT_PRIVATE_KEY}")
                .containsEntry("salesforce.login.url", "https://acme.my.salesforce.com");
        assertThat(sink.config()).containsEntry("salesforce.auth.type", "JWT_BEARER")
                .containsEntry("salesforce.jwt.private.key", "${env:SFSYNC_SALESFORCE_JWT_PRIVATE_KEY}");
        // Debezium's connectors get none of it.
        assertThat(named(definitions, "sfsync-postgres-source").config()).doesNotContainKey("salesforce.username");
    }

    @Test
    void theSalesforceSourceRunsOneTaskPerObjectUpToTasksMax() {
        ConnectorDefinition source = new ConnectorDefinition("s", Map.of(
                "connector.class", "io.sfsync.source.SalesforceSourceConnector", "tasks.max", "4",
                "salesforce.objects", "Account,Contact"));

        assertThat(LoopConnectors.expectedTasks(source)).isEqualTo(2);
        assertThat(LoopConnectors.expectedTasks(source.with(Map.of("tasks.max", "1")))).isEqualTo(1);
        assertThat(LoopConnectors.expectedTasks(new ConnectorDefinition("j", Map.of(
                "connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector", "tasks.max", "3")))).isEqualTo(1);
    }

    private static ConnectorDefinition named(List<ConnectorDefinition> definitions, String name) {
        return definitions.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }
}
