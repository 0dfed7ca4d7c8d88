package io.sfsync.source;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged plugin zip holds every jar of ours the connector needs at run time. The other ITs cannot tell: their
 * class path holds the same classes, so a jar missing from {@code lib/} would go unnoticed until deployment.
 */
class PluginArchiveIT {

    @Test
    void libHoldsOurJarsAndNothingOfConnectOrTheEmulator() throws IOException {
        try (ZipFile archive = new ZipFile(PostgresPipeline.pluginArchive().toFile())) {
            List<String> lib = Collections.list(archive.entries()).stream().map(ZipEntry::getName)
                    .filter(n -> n.contains("/lib/")).map(n -> n.substring(n.lastIndexOf('/') + 1)).toList();
            for (String ours : List.of("salesforce-source-", "salesforce-connect-common-", "salesforce-client-")) {
                assertThat(lib).as(ours).anyMatch(j -> j.startsWith(ours) && j.endsWith(".jar"));
            }
            assertThat(lib).noneMatch(j -> j.startsWith("connect-api") || j.startsWith("kafka-clients")
                    || j.startsWith("salesforce-emulator") || j.startsWith("postgres-conflict-smt"));
        }
    }
}
