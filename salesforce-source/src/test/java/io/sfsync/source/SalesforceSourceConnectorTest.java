package io.sfsync.source;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SalesforceSourceConnectorTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = TestSupport.emulator();

    private static Map<String, List<String>> errors(Config c) {
        return c.configValues().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void versionComesFromTheBuild() {
        assertThat(new SalesforceSourceConnector().version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(new SalesforceSourceTask().version()).isEqualTo(new SalesforceSourceConnector().version());
    }

    @Test
    void validConfigurationLogsInAndPasses() {
        Config c = new SalesforceSourceConnector().validate(TestSupport.props(SALESFORCE.emulator(), "Account,Contact"));
        assertThat(errors(c)).isEmpty();
    }

    @Test
    void perKeyErrorsAreReportedWithoutLoggingIn() {
        Map<String, String> p = TestSupport.props(SALESFORCE.emulator(), "Account");
        p.put(SalesforceSourceConfig.INVALID_REPLAY_POLICY, "sometimes");
        p.remove(SalesforceSourceConfig.CLIENT_ID);
        Map<String, List<String>> errors = errors(new SalesforceSourceConnector(c -> {
            throw new AssertionError("must not log in when keys are invalid");
        }).validate(p));
        assertThat(errors).containsOnlyKeys(SalesforceSourceConfig.INVALID_REPLAY_POLICY,
                SalesforceSourceConfig.CLIENT_ID);
    }

    @Test
    void crossFieldErrorsGoOnEveryKeyInvolved() {
        Map<String, String> p = TestSupport.props(SALESFORCE.emulator(), "Account");
        p.put(SalesforceSourceConfig.AUTH_TYPE, "JWT_BEARER");
        p.put(SalesforceSourceConfig.FIELDS_INCLUDE, "Account.Name,Lead.Company");
        p.put(SalesforceSourceConfig.FIELDS_EXCLUDE, "Account.Name");
        Map<String, List<String>> errors = errors(new SalesforceSourceConnector().validate(p));
        assertThat(errors).containsKeys(SalesforceSourceConfig.AUTH_TYPE, SalesforceSourceConfig.USERNAME,
                SalesforceSourceConfig.PRIVATE_KEY, SalesforceSourceConfig.FIELDS_INCLUDE,
                SalesforceSourceConfig.FIELDS_EXCLUDE, SalesforceSourceConfig.OBJECTS);
        assertThat(errors.get(SalesforceSourceConfig.USERNAME).get(0)).contains("JWT_BEARER");
    }

    @Test
    void failedLoginIsAFieldErrorAndNoSecretIsEchoed() {
        Map<String, String> p = TestSupport.props(SALESFORCE.emulator(), "Account");
        p.put(SalesforceSourceConfig.CLIENT_SECRET, "wrong-secret-value");
        Map<String, List<String>> errors = errors(new SalesforceSourceConnector().validate(p));
        assertThat(errors).containsKeys(SalesforceSourceConfig.CLIENT_SECRET, SalesforceSourceConfig.CLIENT_ID,
                SalesforceSourceConfig.LOGIN_URL);
        assertThat(errors.toString()).doesNotContain("wrong-secret-value");
    }

    @Test
    void unknownObjectFailsTheProbe() {
        Map<String, List<String>> errors = errors(new SalesforceSourceConnector()
                .validate(TestSupport.props(SALESFORCE.emulator(), "Account,NoSuch__c")));
        assertThat(errors).containsKey(SalesforceSourceConfig.LOGIN_URL);
        assertThat(errors.get(SalesforceSourceConfig.LOGIN_URL).get(0)).contains("NoSuch__c");
    }

    @Test
    void hangingLoginIsTimeBoxed() {
        Map<String, String> p = TestSupport.props(SALESFORCE.emulator(), "Account");
        p.put(SalesforceSourceConfig.LOGIN_PROBE_TIMEOUT_MS, "1000");
        Map<String, List<String>> errors = errors(new SalesforceSourceConnector(c -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("interrupted");
        }).validate(p));
        assertThat(errors.get(SalesforceSourceConfig.LOGIN_URL).get(0)).contains("did not answer within 1000 ms");
    }

    @Test
    void alterOffsetsAcceptsValidShapesAndResetsOnly() {
        SalesforceSourceConnector c = new SalesforceSourceConnector();
        Map<Map<String, ?>, Map<String, ?>> ok = new HashMap<>();
        ok.put(Map.of("object", "Account"), Map.of("v", 1, "phase", "STREAM", "replay_id", 12));
        ok.put(Map.of("object", "Contact"), null);
        assertThat(c.alterOffsets(Map.of(), ok)).isTrue();
        assertThatThrownBy(() -> c.alterOffsets(Map.of(), Map.of(Map.of("table", "Account"),
                Map.of("v", 1, "phase", "STREAM")))).isInstanceOf(ConnectException.class).hasMessageContaining("object");
        assertThatThrownBy(() -> c.alterOffsets(Map.of(), Map.of(Map.of("object", "Account"),
                Map.of("v", 9, "phase", "STREAM")))).isInstanceOf(ConnectException.class).hasMessageContaining("version");
    }

    @Test
    void objectsAreSpreadOverTasks() {
        SalesforceSourceConnector c = new SalesforceSourceConnector();
        Map<String, String> p = new HashMap<>(SalesforceSourceConfigTest.minimal());
        p.put(SalesforceSourceConfig.OBJECTS, "Account,Contact,Lead,Opportunity,Invoice__c");
        c.start(p);
        List<Map<String, String>> two = c.taskConfigs(2);
        assertThat(two).extracting(t -> t.get(SalesforceSourceConfig.TASK_OBJECTS))
                .containsExactly("Account,Lead,Invoice__c", "Contact,Opportunity");
        assertThat(c.taskConfigs(10)).hasSize(5);
        assertThat(c.taskConfigs(1).get(0).get(SalesforceSourceConfig.TASK_OBJECTS))
                .isEqualTo("Account,Contact,Lead,Opportunity,Invoice__c");
        assertThat(new SalesforceSourceConfig(two.get(1)).taskObjects()).containsExactly("Contact", "Opportunity");
    }
}
