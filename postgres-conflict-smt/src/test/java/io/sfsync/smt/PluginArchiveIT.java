package io.sfsync.smt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The packaged plugin zip: one folder for plugin.path, Confluent Hub manifest, our jar and Caffeine only. */
class PluginArchiveIT {

    @Test
    void archiveHoldsManifestOurJarAndCaffeineButNoConnectJars() throws IOException {
        Path zip;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            zip = files.filter(p -> p.getFileName().toString().matches("postgres-conflict-smt-.*-plugin\\.zip"))
                    .findFirst().orElseThrow();
        }
        String folder = zip.getFileName().toString().replace("-plugin.zip", "");
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            List<String> names = Collections.list(archive.entries()).stream().map(ZipEntry::getName).toList();

            assertThat(names).allMatch(name -> name.startsWith(folder + "/"));
            assertThat(names).contains(folder + "/manifest.json", folder + "/lib/" + folder + ".jar");
            assertThat(names).anyMatch(name -> name.matches(".*/lib/caffeine-[0-9.]+\\.jar"));
            assertThat(names).noneMatch(name -> name.matches(".*/lib/(connect-|kafka-|slf4j-).*"));

            JsonNode manifest = new ObjectMapper().readTree(
                    archive.getInputStream(archive.getEntry(folder + "/manifest.json")));
            assertThat(manifest.path("name").asText()).isEqualTo("postgres-conflict-smt");
            assertThat(manifest.path("version").asText()).isEqualTo(folder.substring("postgres-conflict-smt-".length()));
            assertThat(manifest.path("component_types").get(0).asText()).isEqualTo("transform");
        }
    }
}
