package io.sfsync.connect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PluginVersionTest {

    @Test
    void readsTheVersionOfTheNamedFile() {
        assertThat(PluginVersion.read(PluginVersionTest.class, "/sfsync-connect-common-test-version.properties"))
                .isEqualTo("1.2.3-test");
    }

    @Test
    void aMissingFileIsUnknown() {
        assertThat(PluginVersion.read(PluginVersionTest.class, "/no-such-version.properties")).isEqualTo("unknown");
    }
}
