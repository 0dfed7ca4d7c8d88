package io.sfsync.source;

import io.sfsync.connect.LoginProbe;
import io.sfsync.connect.SalesforceConnectionConfig.AuthType;
import io.sfsync.salesforce.SalesforceClient;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Salesforce → Kafka: snapshot then Change Data Capture, one topic per object ({@code <prefix>.<Object>}), objects
 * spread over tasks. Thin: validation and task configs only; the work is in {@link SalesforceSourceTask}.
 */
public class SalesforceSourceConnector extends SourceConnector {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSourceConnector.class);

    private final Function<SalesforceSourceConfig, SalesforceClient> loginProbe;
    private Map<String, String> props;
    private SalesforceSourceConfig config;

    public SalesforceSourceConnector() {
        this(SalesforceSourceTask::connect);
    }

    SalesforceSourceConnector(Function<SalesforceSourceConfig, SalesforceClient> loginProbe) {
        this.loginProbe = loginProbe;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        this.config = new SalesforceSourceConfig(props);
        LOG.info("Salesforce source connector started: objects {}, topic prefix {}", config.objects(),
                config.topicPrefix());
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SalesforceSourceTask.class;
    }

    /** Objects dealt round-robin over at most {@code maxTasks} tasks. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> objects = config.objects();
        int tasks = Math.max(1, Math.min(maxTasks, objects.size()));
        List<List<String>> groups = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < objects.size(); i++) {
            groups.get(i % tasks).add(objects.get(i));
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (List<String> g : groups) {
            Map<String, String> t = new HashMap<>(props);
            t.put(SalesforceSourceConfig.TASK_OBJECTS, String.join(",", g));
            out.add(t);
        }
        return out;
    }

    @Override
    public void stop() {
        LOG.info("Salesforce source connector stopped");
    }

    @Override
    public ConfigDef config() {
        return SalesforceSourceConfig.CONFIG_DEF;
    }

    /**
     * Offsets carry their phase and replay position, so each snapshot batch or stream event commits atomically
     * with its records in exactly-once mode.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * Validates offsets submitted through {@code PATCH /connectors/{name}/offsets}: each partition must be
     * {@code {"object": "<name>"}} and each offset a valid {@link io.sfsync.source.offset.ObjectOffset} map (or null,
     * which resets the object: it is snapshotted again per {@code snapshot.mode}).
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
            Map<String, ?> partition = e.getKey();
            Object object = partition == null ? null : partition.get(io.sfsync.source.offset.ObjectOffset.PARTITION_KEY);
            if (partition == null || partition.size() != 1 || !(object instanceof String name) || name.isBlank()) {
                throw new org.apache.kafka.connect.errors.ConnectException("source partition must be {\""
                        + io.sfsync.source.offset.ObjectOffset.PARTITION_KEY + "\": \"<object>\"}, got " + partition);
            }
            if (e.getValue() != null) {
                try {
                    io.sfsync.source.offset.ObjectOffset.fromMap(e.getValue());
                } catch (org.apache.kafka.connect.errors.DataException ex) {
                    throw new org.apache.kafka.connect.errors.ConnectException("invalid offset for " + name + ": "
                            + ex.getMessage(), ex);
                }
            }
        }
        return true;
    }

    /**
     * Three steps, never throwing: (1) per-key validation by the {@link ConfigDef}; (2) cross-field rules, the
     * error put on every key involved; (3) only when all is clean, a login probe bounded by
     * {@code salesforce.login.probe.timeout.ms}, its failure reported on the credential keys.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result;
        try {
            result = super.validate(connectorConfigs);
        } catch (RuntimeException e) {
            return new Config(List.of(new ConfigValue(SalesforceSourceConfig.OBJECTS, null, List.of(),
                    List.of("Configuration could not be validated: " + e.getMessage()))));
        }
        Map<String, ConfigValue> values = new HashMap<>();
        result.configValues().forEach(v -> values.put(v.name(), v));
        if (hasErrors(values)) {
            return result;
        }
        crossFieldChecks(connectorConfigs, values);
        if (hasErrors(values)) {
            return result;
        }
        probeLogin(connectorConfigs, values);
        return result;
    }

    private static boolean hasErrors(Map<String, ConfigValue> values) {
        return values.values().stream().anyMatch(v -> !v.errorMessages().isEmpty());
    }

    private static void crossFieldChecks(Map<String, String> raw, Map<String, ConfigValue> values) {
        SalesforceSourceConfig.checkRequiredAuthenticationKeys(values);
        // An object both included and excluded field-wise is fine; a field both included and excluded is not.
        Object inc = values.get(SalesforceSourceConfig.FIELDS_INCLUDE).value();
        Object exc = values.get(SalesforceSourceConfig.FIELDS_EXCLUDE).value();
        if (inc instanceof List<?> in && exc instanceof List<?> ex) {
            List<String> both = in.stream().map(o -> o.toString().trim().toLowerCase(Locale.ROOT))
                    .filter(f -> ex.stream().anyMatch(o -> o.toString().trim().equalsIgnoreCase(f))).toList();
            if (!both.isEmpty()) {
                String msg = "fields both included and excluded: " + both;
                values.get(SalesforceSourceConfig.FIELDS_INCLUDE).addErrorMessage(msg);
                values.get(SalesforceSourceConfig.FIELDS_EXCLUDE).addErrorMessage(msg);
            }
        }
        Object objs = values.get(SalesforceSourceConfig.OBJECTS).value();
        if (inc instanceof List<?> in && objs instanceof List<?> os) {
            List<String> stray = in.stream().map(o -> o.toString().trim()).filter(f -> f.contains("."))
                    .filter(f -> os.stream().noneMatch(o -> o.toString().trim()
                            .equalsIgnoreCase(f.substring(0, f.indexOf('.'))))).toList();
            if (!stray.isEmpty()) {
                String msg = "included fields of objects that are not synced: " + stray;
                values.get(SalesforceSourceConfig.FIELDS_INCLUDE).addErrorMessage(msg);
                values.get(SalesforceSourceConfig.OBJECTS).addErrorMessage(msg);
            }
        }
    }

    private void probeLogin(Map<String, String> raw, Map<String, ConfigValue> values) {
        SalesforceSourceConfig probeConfig;
        try {
            probeConfig = new SalesforceSourceConfig(raw);
        } catch (RuntimeException e) {
            values.get(SalesforceSourceConfig.CLIENT_ID).addErrorMessage("Invalid configuration: " + e.getMessage());
            return;
        }
        LoginProbe.Outcome<Void> outcome = LoginProbe.run("sfsync-source-login-probe",
                probeConfig.loginProbeTimeout(), () -> {
                    try (SalesforceClient c = loginProbe.apply(probeConfig)) {
                        for (String object : probeConfig.objects()) {
                            c.describe().describe(object);
                        }
                    }
                    return null;
                });
        String error = null;
        if (outcome instanceof LoginProbe.TimedOut<Void> t) {
            error = "Login to " + probeConfig.loginUrl() + " did not answer within " + t.limit().toMillis() + " ms";
        } else if (outcome instanceof LoginProbe.Failed<Void> f) {
            error = "Login or describe failed: " + f.cause().getMessage();
        } else if (outcome instanceof LoginProbe.Interrupted<Void>) {
            error = "Interrupted while probing the login";
        }
        if (error != null) {
            AuthType auth = probeConfig.authType();
            for (String key : SalesforceSourceConfig.loginKeys(auth)) {
                values.get(key).addErrorMessage(error);
            }
        }
    }
}
