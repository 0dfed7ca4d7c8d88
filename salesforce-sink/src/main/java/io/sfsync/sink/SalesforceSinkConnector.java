package io.sfsync.sink;

import io.sfsync.connect.ConfigValidators;
import io.sfsync.connect.LoginProbe;
import io.sfsync.salesforce.SalesforceClient;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Kafka → Salesforce: writes Postgres changes (Debezium events) into Salesforce objects. Thin: validation and task
 * configs here, everything else in {@link SalesforceSinkTask}. Partitions spread over the tasks.
 */
public class SalesforceSinkConnector extends SinkConnector {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSinkConnector.class);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private final Function<SalesforceSinkConfig, SalesforceClient> probe;
    private Map<String, String> props;

    public SalesforceSinkConnector() {
        this(SalesforceClients::probe);
    }

    SalesforceSinkConnector(Function<SalesforceSinkConfig, SalesforceClient> probe) {
        this.probe = probe;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        SalesforceSinkConfig config = new SalesforceSinkConfig(props);
        this.props = Map.copyOf(props);
        LOG.info("Salesforce sink connector started ({} at {}, client id '{}')", config.authType().value(),
                config.loginUrl(), config.syncClientId());
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SalesforceSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> out = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            out.add(props);
        }
        return out;
    }

    @Override
    public void stop() {
        LOG.info("Salesforce sink connector stopped");
    }

    @Override
    public ConfigDef config() {
        return SalesforceSinkConfig.CONFIG_DEF;
    }

    /**
     * Three steps, never throwing: each key on its own (the ConfigDef's validators); then the rules across keys,
     * with the error on every key involved; then, only when all is clean, a time-boxed login.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, ConfigValue> byName = new HashMap<>();
        config.configValues().forEach(v -> byName.put(v.name(), v));
        try {
            SalesforceSinkConfig.checkRequiredAuthenticationKeys(byName);
            errorsTopicRule(connectorConfigs, byName);
            boolean clean = config.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
            if (clean) {
                loginProbe(new SalesforceSinkConfig(connectorConfigs), topicsOf(connectorConfigs), byName);
            }
        } catch (RuntimeException e) {
            addError(byName, SalesforceSinkConfig.LOGIN_URL, "Could not validate: " + e.getMessage());
        }
        return config;
    }

    private static void errorsTopicRule(Map<String, String> raw, Map<String, ConfigValue> byName) {
        String topic = raw.getOrDefault(SalesforceSinkConfig.ERRORS_TOPIC, "");
        String servers = raw.getOrDefault(SalesforceSinkConfig.ERRORS_BOOTSTRAP, "");
        if (!topic.isBlank() && servers.isBlank()) {
            String msg = SalesforceSinkConfig.ERRORS_BOOTSTRAP + " is required when " + SalesforceSinkConfig.ERRORS_TOPIC
                    + " is set";
            addError(byName, SalesforceSinkConfig.ERRORS_BOOTSTRAP, msg);
            addError(byName, SalesforceSinkConfig.ERRORS_TOPIC, msg);
        }
    }

    private static List<String> topicsOf(Map<String, String> raw) {
        String topics = raw.getOrDefault("topics", "");
        List<String> out = new ArrayList<>();
        for (String t : topics.split(",")) {
            if (!t.isBlank()) {
                out.add(t.trim());
            }
        }
        return out;
    }

    /**
     * After login: every object named by the explicit topic list and the overrides exists, and has the configured
     * External ID field as a unique External ID. Errors by key.
     */
    static Map<String, List<String>> mappingProblems(SalesforceClient client, SalesforceSinkConfig config,
                                                     List<String> topics) {
        Map<String, List<String>> problems = new HashMap<>();
        // object -> the topic that names it (null for an override whose topic is not listed)
        Map<String, String> objects = new java.util.LinkedHashMap<>();
        config.topicObjects().forEach((topic, object) -> objects.putIfAbsent(object, topic));
        topics.forEach(t -> objects.putIfAbsent(config.objectNameFor(t), t));
        for (Map.Entry<String, String> entry : objects.entrySet()) {
            String object = entry.getKey();
            io.sfsync.salesforce.metadata.SObjectDescribe d;
            try {
                d = client.describe().describe(object);
            } catch (io.sfsync.salesforce.error.SalesforceException e) {
                // on the key that fixes it: the override, or the one to add for a topic the default rule missed
                problems.computeIfAbsent(SalesforceSinkConfig.TOPIC_OBJECT_MAP, k -> new ArrayList<>())
                        .add("Topic " + entry.getValue() + " maps to object '" + object + "', which Salesforce "
                                + "cannot describe (" + e.errorCode() + ")");
                continue;
            }
            var ext = d.field(config.externalIdField());
            if (ext.isEmpty() || !ext.get().externalId()) {
                problems.computeIfAbsent(SalesforceSinkConfig.EXTERNAL_ID_FIELD, k -> new ArrayList<>())
                        .add(d.name() + " has no External ID field " + config.externalIdField());
            }
        }
        return problems;
    }

    private void loginProbe(SalesforceSinkConfig config, List<String> topics, Map<String, ConfigValue> byName) {
        LoginProbe.Outcome<Map<String, List<String>>> outcome = LoginProbe.run("salesforce-sink-validate",
                PROBE_TIMEOUT, () -> {
                    try (SalesforceClient c = probe.apply(config)) {
                        return mappingProblems(c, config, topics);
                    }
                });
        if (outcome instanceof LoginProbe.Answered<Map<String, List<String>>> answered) {
            answered.value().forEach((key, messages) -> messages.forEach(m -> addError(byName, key, m)));
        } else if (outcome instanceof LoginProbe.TimedOut<Map<String, List<String>>>) {
            String msg = "No answer from " + config.loginUrl() + " within " + PROBE_TIMEOUT.toSeconds() + " s";
            addError(byName, SalesforceSinkConfig.LOGIN_URL, msg);
        } else if (outcome instanceof LoginProbe.Failed<Map<String, List<String>>> failed) {
            String msg = "Login failed (" + config.authType().value() + "): " + failed.cause().getMessage();
            for (String key : SalesforceSinkConfig.loginKeys(config.authType())) {
                addError(byName, key, msg);
            }
        }
    }

    private static void addError(Map<String, ConfigValue> byName, String key, String message) {
        ConfigValidators.addError(byName, key, message);
    }
}
