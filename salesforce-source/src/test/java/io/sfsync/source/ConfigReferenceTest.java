package io.sfsync.source;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigReferenceTest {

    @Test
    void committedReferenceMatchesTheConfigDef() throws IOException {
        String generated = ConfigReference.markdown();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/CONFIGURATION.md"), generated);
        Path committed = Path.of("CONFIGURATION.md");
        assertThat(committed).as("copy target/CONFIGURATION.md to salesforce-source/CONFIGURATION.md").exists();
        assertThat(Files.readString(committed))
                .as("CONFIGURATION.md drifted from the ConfigDef: copy target/CONFIGURATION.md over it")
                .isEqualTo(generated);
    }

    @Test
    void everyPublicKeyIsInTheReference() {
        String md = ConfigReference.markdown();
        SalesforceSourceConfig.CONFIG_DEF.configKeys().values().stream().filter(k -> !k.internalConfig)
                .forEach(k -> assertThat(md).contains("`" + k.name + "`"));
    }
}
