package io.sfsync.sink;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed configuration reference is generated from the ConfigDef; this fails when they drift. Regenerate
 * with {@code mvn -pl salesforce-sink test -Dtest=ConfigurationReferenceTest -Dsfsync.regenerate=true}.
 */
class ConfigurationReferenceTest {

    static final Path REFERENCE = Path.of("CONFIGURATION.rst");

    static String generated() {
        return "Salesforce sink connector configuration\n"
                + "=======================================\n\n"
                + "Generated from ``SalesforceSinkConfig.CONFIG_DEF``; do not edit by hand.\n\n"
                + SalesforceSinkConfig.CONFIG_DEF.toEnrichedRst();
    }

    @Test
    void committedReferenceMatchesTheConfigDef() throws IOException {
        if (Boolean.getBoolean("sfsync.regenerate")) {
            Files.writeString(REFERENCE, generated());
        }
        assertThat(REFERENCE).as("run with -Dsfsync.regenerate=true to regenerate").exists();
        assertThat(Files.readString(REFERENCE)).as("CONFIGURATION.rst is stale: regenerate it").isEqualTo(generated());
    }
}
