package io.sfsync.sink;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** validate() in its three steps against the emulator, task configs, version, service registration. */
class SalesforceSinkConnectorTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension();

    final SalesforceSinkConnector connector = new SalesforceSinkConnector(
            config -> SalesforceSinkTaskTest.testClients().apply(config));

    static Map<String, List<String>> errors(Config config) {
        return config.configValues().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void validConfigurationLogsInAndHasNoErrors() {
        assertThat(errors(connector.validate(SalesforceSinkTaskTest.props(SF.emulator())))).isEmpty();
    }

    @Test
    void perKeyErrorsStayOnTheirKeyAndSkipTheLogin() {
        Map<String, String> m = SalesforceSinkTaskTest.props(SF.emulator());
        m.put(SalesforceSinkConfig.MAX_BATCH, "500");
        m.put(SalesforceSinkConfig.AUTH_TYPE, "magic");
        Map<String, List<String>> errors = errors(connector.validate(m));
        assertThat(errors).containsOnlyKeys(SalesforceSinkConfig.MAX_BATCH, SalesforceSinkConfig.AUTH_TYPE);
    }

    @Test
    void missingKeysOfTheAuthTypeAreReportedOnBothKeys() {
        Map<String, String> m = SalesforceSinkTaskTest.props(SF.emulator());
        m.remove(SalesforceSinkConfig.CLIENT_SECRET);
        Map<String, List<String>> errors = errors(connector.validate(m));
        assertThat(errors).containsOnlyKeys(SalesforceSinkConfig.CLIENT_SECRET, SalesforceSinkConfig.AUTH_TYPE);
        assertThat(errors.get(SalesforceSinkConfig.CLIENT_SECRET).get(0)).contains("client-credentials");
    }

    @Test
    void aFailedLoginIsAFieldErrorNotAnException() {
        Map<String, String> m = SalesforceSinkTaskTest.props(SF.emulator());
        m.put(SalesforceSinkConfig.CLIENT_SECRET, "not-the-secret");
        Map<String, List<String>> errors = errors(connector.validate(m));
        assertThat(errors).containsKeys(SalesforceSinkConfig.LOGIN_URL, SalesforceSinkConfig.CLIENT_SECRET);
        assertThat(errors.get(SalesforceSinkConfig.LOGIN_URL).get(0)).startsWith("Login failed (client-credentials)")
                .doesNotContain("not-the-secret");

        Map<String, String> unreachable = SalesforceSinkTaskTest.props(SF.emulator());
        unreachable.put(SalesforceSinkConfig.LOGIN_URL, "http://127.0.0.1:1");
        assertThat(errors(connector.validate(unreachable))).containsKey(SalesforceSinkConfig.LOGIN_URL);
    }

    @Test
    void unknownObjectsAndMissingExternalIdFieldsAreReportedOnTheirKeys() {
        Map<String, String> m = SalesforceSinkTaskTest.props(SF.emulator());
        m.put("topics", "pg.public.account,pg.public.no_such_object");
        m.put(SalesforceSinkConfig.TOPIC_OBJECT_MAP, "pg.public.cases:Case");
        Map<String, List<String>> errors = errors(connector.validate(m));
        assertThat(errors).containsOnlyKeys(SalesforceSinkConfig.TOPIC_OBJECT_MAP);
        assertThat(errors.get(SalesforceSinkConfig.TOPIC_OBJECT_MAP)).hasSize(2)
                .anySatisfy(e -> assertThat(e).contains("pg.public.no_such_object").contains("'no_such_object'"))
                .anySatisfy(e -> assertThat(e).contains("pg.public.cases").contains("'Case'"));

        Map<String, String> m2 = SalesforceSinkTaskTest.props(SF.emulator());
        m2.put("topics", "pg.public.account");
        m2.put(SalesforceSinkConfig.EXTERNAL_ID_FIELD, "Legacy_Key__c");
        assertThat(errors(connector.validate(m2))).containsOnlyKeys(SalesforceSinkConfig.EXTERNAL_ID_FIELD);

        Map<String, String> ok = SalesforceSinkTaskTest.props(SF.emulator());
        ok.put("topics", "pg.public.account,pg.public.contact");
        assertThat(errors(connector.validate(ok))).isEmpty();
    }

    @Test
    void tasksGetTheConnectorConfigAndVersionComesFromTheBuild() {
        Map<String, String> m = new HashMap<>(SalesforceSinkTaskTest.props(SF.emulator()));
        connector.start(m);
        assertThat(connector.taskConfigs(3)).hasSize(3).allSatisfy(c -> assertThat(c).isEqualTo(m));
        assertThat(connector.taskClass()).isEqualTo(SalesforceSinkTask.class);
        assertThat(connector.version()).isNotBlank().isNotEqualTo("unknown").doesNotContain("${");
        connector.stop();
    }

    @Test
    void registeredForServiceLoading() {
        assertThat(ServiceLoader.load(org.apache.kafka.connect.sink.SinkConnector.class).stream()
                .map(p -> p.type().getName())).contains(SalesforceSinkConnector.class.getName());
    }
}
