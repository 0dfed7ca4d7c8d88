package io.sfsync.connect;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigValidatorsTest {

    enum Mode { INITIAL, NEVER }

    @Test
    void enumValuesAreCaseInsensitive() {
        ConfigDef.Validator v = ConfigValidators.enumValidator(Mode.class);
        assertThatCode(() -> v.ensureValid("snapshot.mode", " never ")).doesNotThrowAnyException();
        assertThatThrownBy(() -> v.ensureValid("snapshot.mode", "sometimes")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("snapshot.mode").hasMessageContaining("[INITIAL, NEVER]");
        assertThat(v).hasToString("one of [INITIAL, NEVER]");
        assertThat(new ConfigValidators.EnumRecommender<>(Mode.class).validValues("snapshot.mode", Map.of()))
                .containsExactly("INITIAL", "NEVER");
    }

    @Test
    void patternsMatchTheWholeValue() {
        ConfigDef.Validator v = ConfigValidators.patternValidator(Pattern.compile("[a-z]+"), "lower-case letters");
        assertThatCode(() -> v.ensureValid("k", "abc")).doesNotThrowAnyException();
        assertThatCode(() -> v.ensureValid("k", null)).doesNotThrowAnyException();
        assertThatThrownBy(() -> v.ensureValid("k", "abc1")).hasMessageContaining("must be lower-case letters");
        assertThat(v).hasToString("lower-case letters");
    }

    @Test
    void loginUrlsAreAbsoluteHttpUrls() {
        ConfigDef.Validator v = new ConfigValidators.HttpUrl();
        assertThatCode(() -> v.ensureValid("u", "https://test.salesforce.com")).doesNotThrowAnyException();
        assertThatCode(() -> v.ensureValid("u", "http://localhost:8443")).doesNotThrowAnyException();
        assertThatThrownBy(() -> v.ensureValid("u", "ftp://x")).hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> v.ensureValid("u", "login.salesforce.com")).hasMessageContaining("u");
        assertThatThrownBy(() -> v.ensureValid("u", "https://a b")).isInstanceOf(ConfigException.class);
    }
}
