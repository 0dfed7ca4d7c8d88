package io.sfsync.sink;

import io.sfsync.connect.ConfigReference;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
        assertThat(ConfigReference.drift(REFERENCE, generated())).isEmpty();
    }
}
