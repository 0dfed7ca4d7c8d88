package io.sfsync.connect;

import io.sfsync.connect.SalesforceConnectionConfig.AuthType;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SalesforceConnectionConfigTest {

    /** Laid out like the source: one group, a default login URL. */
    static final ConfigDef SOURCE_LIKE = sourceLike();
    /** Laid out like the sink: an authentication group, a required login URL. */
    static final ConfigDef SINK_LIKE = sinkLike();

    private static ConfigDef sourceLike() {
        ConfigDef def = new ConfigDef();
        int o = SalesforceConnectionConfig.defineConnection(def, "Connection", 0,
                SalesforceConnectionConfig.DEFAULT_LOGIN_URL);
        o = SalesforceConnectionConfig.defineAuthentication(def, "Connection", o);
        SalesforceConnectionConfig.defineSyncClientId(def, "Sync", 0);
        return def;
    }

    private static ConfigDef sinkLike() {
        ConfigDef def = new ConfigDef();
        int o = SalesforceConnectionConfig.defineConnection(def, "Connection", 0, ConfigDef.NO_DEFAULT_VALUE);
        SalesforceConnectionConfig.defineSyncClientId(def, "Connection", o);
        SalesforceConnectionConfig.defineAuthentication(def, "Authentication", 0);
        return def;
    }

    static final class TestConfig extends SalesforceConnectionConfig {
        TestConfig(ConfigDef def, Map<String, String> props) {
            super(def, props);
        }
    }

    static Map<String, String> jwt() {
        Map<String, String> p = new HashMap<>();
        p.put(SalesforceConnectionConfig.LOGIN_URL, "https://login.salesforce.com");
        p.put(SalesforceConnectionConfig.CLIENT_ID, "3MVG9");
        p.put(SalesforceConnectionConfig.USERNAME, "integration@example.com");
        p.put(SalesforceConnectionConfig.JWT_PRIVATE_KEY, "-----BEGIN PRIVATE KEY-----");
        return p;
    }

    @Test
    void bothSpellingsOfAFlowAreTheSameFlow() {
        for (String s : List.of("jwt-bearer", "JWT_BEARER", " jwt_bearer ", "Jwt-Bearer")) {
            assertThat(AuthType.parse(s)).as(s).isEqualTo(AuthType.JWT_BEARER);
        }
        assertThat(AuthType.parse("client-credentials")).isEqualTo(AuthType.CLIENT_CREDENTIALS);
        assertThatThrownBy(() -> AuthType.parse("kerberos")).isInstanceOf(IllegalArgumentException.class);
        assertThat(AuthType.of("KERBEROS")).isEmpty();
        assertThat(AuthType.of(null)).isEmpty();
    }

    @Test
    void defaultsFollowTheConnectorsLayout() {
        Map<String, String> p = jwt();
        p.remove(SalesforceConnectionConfig.LOGIN_URL);
        TestConfig source = new TestConfig(SOURCE_LIKE, p);
        assertThat(source.loginUrl().toString()).isEqualTo("https://login.salesforce.com");
        assertThat(source.getString(SalesforceConnectionConfig.AUTH_TYPE)).isEqualTo("JWT_BEARER");
        assertThat(source.authType()).isEqualTo(AuthType.JWT_BEARER);
        assertThat(source.apiVersion()).isEqualTo("62.0");
        assertThat(source.syncClientId()).isEqualTo("sfsync");
        assertThatThrownBy(() -> new TestConfig(SINK_LIKE, p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(SalesforceConnectionConfig.LOGIN_URL);
        TestConfig sink = new TestConfig(SINK_LIKE, jwt());
        assertThat(sink.getString(SalesforceConnectionConfig.AUTH_TYPE)).isEqualTo("JWT_BEARER");
        assertThat(sink.authType()).isEqualTo(AuthType.JWT_BEARER);
        assertThat(SINK_LIKE.configKeys().get(SalesforceConnectionConfig.AUTH_TYPE).group)
                .isEqualTo("Authentication");
    }

    @Test
    void credentialsOfEachFlow() {
        assertThat(new TestConfig(SINK_LIKE, jwt()).credentials().flowName()).isEqualTo("jwt-bearer");

        Map<String, String> cc = jwt();
        cc.put(SalesforceConnectionConfig.AUTH_TYPE, "CLIENT_CREDENTIALS");
        cc.put(SalesforceConnectionConfig.CLIENT_SECRET, "s3cret");
        assertThat(new TestConfig(SINK_LIKE, cc).credentials().flowName()).isEqualTo("client_credentials");

        Map<String, String> rt = jwt();
        rt.put(SalesforceConnectionConfig.AUTH_TYPE, "refresh-token");
        rt.put(SalesforceConnectionConfig.REFRESH_TOKEN, "5Aep");
        assertThat(new TestConfig(SOURCE_LIKE, rt).credentials().flowName()).isEqualTo("refresh_token");

        Map<String, String> pw = jwt();
        pw.put(SalesforceConnectionConfig.AUTH_TYPE, "password");
        pw.put(SalesforceConnectionConfig.CLIENT_SECRET, "s3cret");
        pw.put(SalesforceConnectionConfig.PASSWORD, "hunter2");
        assertThat(new TestConfig(SOURCE_LIKE, pw).credentials().flowName()).isEqualTo("password");
    }

    @Test
    void aMissingKeyOfTheFlowIsAnErrorOnThatKeyWithoutTheSecret() {
        Map<String, String> p = jwt();
        p.put(SalesforceConnectionConfig.AUTH_TYPE, "client-credentials");
        assertThatThrownBy(() -> new TestConfig(SINK_LIKE, p).credentials()).isInstanceOf(ConfigException.class)
                .hasMessageContaining(SalesforceConnectionConfig.CLIENT_SECRET)
                .hasMessageContaining("client-credentials");
        Map<String, String> noUser = jwt();
        noUser.remove(SalesforceConnectionConfig.USERNAME);
        assertThatThrownBy(() -> new TestConfig(SOURCE_LIKE, noUser).credentials())
                .hasMessageContaining(SalesforceConnectionConfig.USERNAME).hasMessageContaining("JWT_BEARER");
        assertThat(new TestConfig(SOURCE_LIKE, jwt()).credentials().toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void badValuesAreRejectedOnTheirKey() {
        for (Map.Entry<String, String> bad : Map.of(
                SalesforceConnectionConfig.AUTH_TYPE, "kerberos",
                SalesforceConnectionConfig.LOGIN_URL, "login.salesforce.com",
                SalesforceConnectionConfig.API_VERSION, "v62",
                SalesforceConnectionConfig.SYNC_CLIENT_ID, "has space").entrySet()) {
            Map<String, String> p = jwt();
            p.put(bad.getKey(), bad.getValue());
            assertThatThrownBy(() -> new TestConfig(SOURCE_LIKE, p)).as(bad.getKey())
                    .isInstanceOf(ConfigException.class).hasMessageContaining(bad.getKey());
        }
    }

    @Test
    void flowKeysAreVisibleOnlyForTheirFlowAndBothConnectorsRecommendTheSameSpelling() {
        Map<String, String> p = jwt();
        p.put(SalesforceConnectionConfig.AUTH_TYPE, "client-credentials");
        Map<String, ConfigValue> sink = byName(SINK_LIKE.validate(p));
        assertThat(sink.get(SalesforceConnectionConfig.CLIENT_SECRET).visible()).isTrue();
        assertThat(sink.get(SalesforceConnectionConfig.JWT_PRIVATE_KEY).visible()).isFalse();
        assertThat(sink.get(SalesforceConnectionConfig.PASSWORD).visible()).isFalse();
        assertThat(sink.get(SalesforceConnectionConfig.AUTH_TYPE).recommendedValues())
                .containsExactly("JWT_BEARER", "CLIENT_CREDENTIALS", "REFRESH_TOKEN", "PASSWORD");
        assertThat(sink.get(SalesforceConnectionConfig.AUTH_TYPE).errorMessages()).as("the older flow-name spelling"
                + " of earlier sink configurations still works").isEmpty();
        assertThat(byName(SOURCE_LIKE.validate(p)).get(SalesforceConnectionConfig.AUTH_TYPE).recommendedValues())
                .containsExactly("JWT_BEARER", "CLIENT_CREDENTIALS", "REFRESH_TOKEN", "PASSWORD");
    }

    @Test
    void missingFlowKeysAreReportedOnTheKeyAndOnTheAuthType() {
        Map<String, String> p = jwt();
        p.put(SalesforceConnectionConfig.AUTH_TYPE, "password");
        p.put(SalesforceConnectionConfig.CLIENT_SECRET, "s3cret");
        Map<String, ConfigValue> values = byName(SINK_LIKE.validate(p));
        SalesforceConnectionConfig.checkRequiredAuthenticationKeys(values);
        assertThat(values.get(SalesforceConnectionConfig.PASSWORD).errorMessages())
                .containsExactly("salesforce.password is required when salesforce.auth.type is password");
        assertThat(values.get(SalesforceConnectionConfig.AUTH_TYPE).errorMessages()).hasSize(1);
        assertThat(values.get(SalesforceConnectionConfig.USERNAME).errorMessages()).isEmpty();

        Map<String, ConfigValue> complete = byName(SINK_LIKE.validate(jwt()));
        SalesforceConnectionConfig.checkRequiredAuthenticationKeys(complete);
        assertThat(complete.values()).allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
    }

    @Test
    void loginKeysAreTheConnectionKeysAndTheFlowsOwn() {
        assertThat(SalesforceConnectionConfig.loginKeys(AuthType.CLIENT_CREDENTIALS)).containsExactly(
                SalesforceConnectionConfig.LOGIN_URL, SalesforceConnectionConfig.AUTH_TYPE,
                SalesforceConnectionConfig.CLIENT_ID, SalesforceConnectionConfig.CLIENT_SECRET);
    }

    @Test
    void everySharedKeyIsDocumentedAndSecretsArePasswords() {
        assertThat(ConfigReference.undocumentedKeys(SOURCE_LIKE)).isEmpty();
        assertThat(ConfigReference.undocumentedKeys(SINK_LIKE)).isEmpty();
        for (String secret : List.of(SalesforceConnectionConfig.CLIENT_SECRET, SalesforceConnectionConfig.PASSWORD,
                SalesforceConnectionConfig.JWT_PRIVATE_KEY, SalesforceConnectionConfig.REFRESH_TOKEN,
                SalesforceConnectionConfig.SECURITY_TOKEN)) {
            assertThat(SINK_LIKE.configKeys().get(secret).type).as(secret).isEqualTo(ConfigDef.Type.PASSWORD);
        }
    }

    private static Map<String, ConfigValue> byName(List<ConfigValue> values) {
        Map<String, ConfigValue> out = new HashMap<>();
        values.forEach(v -> out.put(v.name(), v));
        return out;
    }
}
