package io.sfsync.sink;

import io.sfsync.connect.ConfigReference;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed CONFIGURATION.md is generated from the ConfigDef; this fails when they drift. Regenerate with
 * {@code mvn -o -pl salesforce-sink -am test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsfsync.regenerate=true}.
 */
class ConfigReferenceTest {

    static final Path REFERENCE = Path.of("CONFIGURATION.md");

    static String generated() {
        return ConfigReference.markdown("salesforce-sink", "SalesforceSinkConfig.CONFIG_DEF",
                SalesforceSinkConfig.CONFIG_DEF);
    }

    @Test
    void committedReferenceMatchesTheConfigDef() throws IOException {
        ConfigReference.regenerateIfAsked(REFERENCE, generated());
        assertThat(REFERENCE).as("run with -Dsfsync.regenerate=true to generate it").exists();
        assertThat(Files.readString(REFERENCE)).as("CONFIGURATION.md is stale: run with -Dsfsync.regenerate=true")
                .isEqualTo(generated());
    }

    @Test
    void everyPublicKeyIsInTheReference() {
        String md = generated();
        SalesforceSinkConfig.CONFIG_DEF.configKeys().values().stream().filter(k -> !k.internalConfig)
                .forEach(k -> assertThat(md).contains("`" + k.name + "`"));
    }
}
