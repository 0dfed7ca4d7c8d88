package io.sfsync.connect;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigReferenceTest {

    static ConfigDef sample() {
        ConfigDef def = new ConfigDef();
        def.define("b.second", Type.INT, 5, ConfigDef.Range.atLeast(1), Importance.LOW, "Second | piped.",
                "Group A", 2, Width.SHORT, "Second");
        def.define("a.first", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "First.", "Group A", 1,
                Width.SHORT, "First");
        def.define("c.other", Type.STRING, "", Importance.MEDIUM, "Other.", "Group B", 1, Width.SHORT, "Other");
        def.defineInternal("d.internal", Type.STRING, "", Importance.LOW);
        return def;
    }

    @Test
    void oneTablePerGroupInOrderWithDefaultsAndEscapedCells() {
        String md = ConfigReference.markdown("my-connector", "MyConfig.CONFIG_DEF", sample());
        assertThat(md).startsWith("# my-connector configuration reference\n\nGenerated from `MyConfig.CONFIG_DEF`")
                .contains("-pl my-connector").contains("-Dsfsync.regenerate=true")
                .contains("| `a.first` | First | string | (required) |  | high | First. |")
                .contains("| `b.second` | Second | int | `5` | [1,...] | low | Second \\| piped. |")
                .contains("| `c.other` | Other | string | \"\" |")
                .doesNotContain("d.internal");
        assertThat(md.indexOf("`a.first`")).isLessThan(md.indexOf("`b.second`"));
        assertThat(md.indexOf("## Group A")).isLessThan(md.indexOf("## Group B"));
    }

    @Test
    void keysWithoutDocumentationGroupOrDisplayNameAreListed() {
        assertThat(ConfigReference.undocumentedKeys(sample())).isEmpty();
        ConfigDef bare = new ConfigDef().define("bare.key", Type.STRING, "", Importance.LOW, "");
        assertThat(ConfigReference.undocumentedKeys(bare)).containsExactly("bare.key: no documentation",
                "bare.key: no group", "bare.key: no display name", "bare.key: no order in its group");
    }

    @Test
    void regeneratesOnlyWhenAsked(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("CONFIGURATION.md");
        ConfigReference.regenerateIfAsked(file, "text");
        assertThat(file).doesNotExist();
        System.setProperty(ConfigReference.REGENERATE_PROPERTY, "true");
        try {
            ConfigReference.regenerateIfAsked(file, "text");
        } finally {
            System.clearProperty(ConfigReference.REGENERATE_PROPERTY);
        }
        assertThat(Files.readString(file)).isEqualTo("text");
    }

    @Test
    void driftIsAMissingOrDifferentFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("CONFIGURATION.md");
        assertThat(ConfigReference.drift(file, "text")).hasValueSatisfying(m -> assertThat(m).contains("missing"));
        Files.writeString(file, "old text");
        assertThat(ConfigReference.drift(file, "text")).hasValueSatisfying(m -> assertThat(m).contains("drifted")
                .contains("-Dsfsync.regenerate=true"));
        Files.writeString(file, "text");
        assertThat(ConfigReference.drift(file, "text")).isEmpty();
    }
}
