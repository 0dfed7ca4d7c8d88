package io.sfsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Kafka's internal test harness changes between Kafka lines: only {@link ConnectFixture} may touch it, so that a Kafka
 * upgrade is fixed in one class (and no test of another module depends on it).
 */
class KitBoundaryTest {

    private static final List<String> KAFKA_TEST_PACKAGES = List.of(
            "org.apache.kafka.connect.util.clusters", "org.apache.kafka.test", "org.apache.kafka.common.test",
            "kafka.server", "kafka.testkit");

    @Test
    void onlyConnectFixtureImportsKafkasInternalTestCode() throws IOException {
        Path sources = Path.of("src/main/java/io/sfsync/testkit");
        try (Stream<Path> files = Files.list(sources)) {
            List<String> offenders = files
                    .filter(file -> !file.getFileName().toString().equals("ConnectFixture.java"))
                    .filter(KitBoundaryTest::usesKafkaTestCode)
                    .map(file -> file.getFileName().toString())
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }

    private static boolean usesKafkaTestCode(Path file) {
        try {
            String source = Files.readString(file);
            return KAFKA_TEST_PACKAGES.stream().anyMatch(source::contains);
        } catch (IOException e) {
            throw new AssertionError("Cannot read " + file, e);
        }
    }
}
