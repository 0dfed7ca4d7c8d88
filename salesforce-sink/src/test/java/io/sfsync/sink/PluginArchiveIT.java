package io.sfsync.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged plugin zip: our jars and the client's dependencies, a manifest, nothing of Connect's or the emulator. */
class PluginArchiveIT {

    @Test
    void archiveHoldsThePluginAndItsManifestOnly() throws IOException {
        Path zip;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            zip = files.filter(p -> p.getFileName().toString().matches("salesforce-sink-.*-plugin\\.zip"))
                    .findFirst().orElseThrow();
        }
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            List<String> names = Collections.list(archive.entries()).stream().map(ZipEntry::getName).toList();
            List<String> jars = names.stream().filter(n -> n.endsWith(".jar"))
                    .map(n -> n.substring(n.lastIndexOf('/') + 1)).toList();
            assertThat(jars).anyMatch(j -> j.startsWith("salesforce-sink-"))
                    .anyMatch(j -> j.startsWith("salesforce-client-"))
                    .anyMatch(j -> j.startsWith("salesforce-connect-common-"))
                    .anyMatch(j -> j.startsWith("jackson-databind-"))
                    .noneMatch(j -> j.startsWith("connect-") || j.startsWith("kafka-") || j.startsWith("slf4j-")
                            || j.startsWith("salesforce-emulator") || j.startsWith("junit"));
            String manifestName = names.stream().filter(n -> n.endsWith("/manifest.json")).findFirst().orElseThrow();
            JsonNode manifest = new ObjectMapper().readTree(archive.getInputStream(archive.getEntry(manifestName)));
            assertThat(manifest.path("name").asText()).isEqualTo("salesforce-sink");
            assertThat(manifest.path("version").asText()).isNotBlank().doesNotContain("${");
            assertThat(manifest.path("component_types").toString()).contains("sink");
        }
    }
}
