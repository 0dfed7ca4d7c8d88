package io.sfsync.salesforce;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The client library is usable without Kafka Connect: no class of it may import Connect (or Kafka) types. */
class NoKafkaConnectImportsTest {

    @Test
    void mainSourcesImportNothingFromKafkaConnect() throws IOException {
        Path main = Path.of("src/main/java");
        assertThat(main).isDirectory();
        List<Path> offenders;
        List<Path> sources;
        try (Stream<Path> files = Files.walk(main)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        offenders = sources.stream().filter(p -> {
            try {
                return Files.readAllLines(p).stream().map(String::trim)
                        .anyMatch(l -> (l.startsWith("import ") && l.contains("org.apache.kafka"))
                                || l.contains("org.apache.kafka.connect."));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(sources).hasSizeGreaterThan(20);
        assertThat(offenders).as("sources importing Kafka").isEmpty();
    }

    @Test
    void compiledClassesReferenceNoKafkaConnectType() throws IOException {
        Path classes = Path.of("target/classes");
        assertThat(classes).isDirectory();
        try (Stream<Path> files = Files.walk(classes)) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".class")).filter(p -> {
                try {
                    // Class files hold referenced type names in their constant pool as org/apache/kafka/...
                    String bytes = new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
                    return bytes.contains("org/apache/kafka/connect");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertThat(offenders).isEmpty();
        }
    }
}
