package io.sfsync.smt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed CONFIGURATION.md is generated from the ConfigDef; this fails when they drift. */
class ConfigReferenceTest {

    @Test
    void committedReferenceMatchesTheConfigDef() throws IOException {
        String generated = ConfigReference.markdown();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/CONFIGURATION.md"), generated);
        Path committed = Path.of("CONFIGURATION.md");
        assertThat(committed).as("copy target/CONFIGURATION.md to postgres-conflict-smt/CONFIGURATION.md").exists();
        assertThat(Files.readString(committed))
                .as("CONFIGURATION.md drifted from the ConfigDef: copy target/CONFIGURATION.md over it")
                .isEqualTo(generated);
    }

    @Test
    void everyKeyIsInTheReference() {
        String markdown = ConfigReference.markdown();
        ConflictTransformConfig.CONFIG_DEF.names().forEach(name -> assertThat(markdown).contains("`" + name + "`"));
    }
}
