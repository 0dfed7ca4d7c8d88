package io.sfsync.source;

import io.sfsync.connect.ConfigReference;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed CONFIGURATION.md is generated from the ConfigDef; this fails when they drift. Regenerate with
 * {@code mvn -o -pl salesforce-source -am test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsfsync.regenerate=true}.
 */
class ConfigReferenceTest {

    static final Path REFERENCE = Path.of("CONFIGURATION.md");

    static String generated() {
        return ConfigReference.markdown("salesforce-source", "SalesforceSourceConfig.CONFIG_DEF",
                SalesforceSourceConfig.CONFIG_DEF);
    }

    @Test
    void committedReferenceMatchesTheConfigDef() throws IOException {
        assertThat(ConfigReference.drift(REFERENCE, generated())).isEmpty();
    }

    @Test
    void everyPublicKeyIsInTheReference() {
        String md = generated();
        SalesforceSourceConfig.CONFIG_DEF.configKeys().values().stream().filter(k -> !k.internalConfig)
                .forEach(k -> assertThat(md).contains("`" + k.name + "`"));
    }
}
