package io.sfsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Connect fixture on its own: plugin discovery, Kafka helpers, REST helpers, the exactly-once switch. */
class ConnectFixtureIT {

    private static ConnectFixture connect;

    @BeforeAll
    static void start() {
        connect = ConnectFixture.builder()
                .pluginPath(PluginPath.debezium())
                .exactlyOnceSourceSupport(true)
                .start();
        System.out.printf("[testkit] Connect cluster start (exactly-once source support enabled): %d ms%n",
                connect.startupMillis());
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
    }

    @Test
    void debeziumIsFoundOnThePluginPathThroughServiceLoading() {
        assertThat(connect.pluginClasses()).contains(
                "io.debezium.connector.postgresql.PostgresConnector",
                "io.debezium.connector.jdbc.JdbcSinkConnector",
                "org.apache.kafka.connect.transforms.RegexRouter",
                "org.apache.kafka.connect.json.JsonConverter");
        assertThat(connect.restUrl().toString()).startsWith("http://").endsWith("/");
    }

    @Test
    void recordsWithHeadersRoundTripThroughTheBroker() {
        connect.createTopic("kit.roundtrip", 2);
        connect.produce("kit.roundtrip", "k1", "{\"a\":1}", Map.of("sync.origin", "postgres"));
        connect.produce("kit.roundtrip", "k2", null);

        List<ConsumerRecord<byte[], byte[]>> records = connect.consume(2, Duration.ofSeconds(30), "kit.roundtrip");

        assertThat(records).hasSize(2);
        ConsumerRecord<byte[], byte[]> first = records.stream()
                .filter(record -> "k1".equals(new String(record.key()))).findFirst().orElseThrow();
        assertThat(ConnectFixture.valueAsString(first)).isEqualTo("{\"a\":1}");
        assertThat(ConnectFixture.headerAsString(first, "sync.origin")).isEqualTo("postgres");
        assertThat(records).anySatisfy(record -> assertThat(ConnectFixture.valueAsString(record)).isNull());
    }

    @Test
    void exactlyOnceSupportCanBeRequiredOfASourceConnector() {
        assertThat(ExactlyOnceProbe.errorsWhenRequired(connect)).isEmpty();
    }

    @Test
    void aFailedTaskEndsTheWaitAtOnceWithTheWorkersStackTrace() {
        Map<String, String> config = Map.of(
                "connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector",
                "topics", "kit.broken",
                "connection.url", "jdbc:postgresql://localhost:1/none",
                "connection.username", "nobody",
                "connection.password", "none");
        connect.createConnector("broken-sink", config);
        try {
            assertThatThrownBy(() -> connect.awaitRunning("broken-sink", 1, Duration.ofSeconds(90)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Connector broken-sink failed: task 0: ");
        } finally {
            connect.deleteConnector("broken-sink");
        }
        assertThat(connect.connectors()).doesNotContain("broken-sink");
    }

    @Test
    void waitingForAnUnknownConnectorIsBoundedAndSaysWhatItWaitedFor() {
        assertThat(connect.connectorStatus("absent")).isNull();
        assertThatThrownBy(() -> connect.awaitRunning("absent", 1, Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("connector absent and 1 task(s) RUNNING");
        connect.deleteConnector("absent");
    }
}
