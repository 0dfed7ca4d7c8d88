package io.sfsync.smt;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** The configuration of {@link PostgresConflictTransform}; the only class that reads raw keys. */
public final class ConflictTransformConfig extends AbstractConfig {

    public static final String MARKER_PREFIX = "marker.column.prefix";
    public static final String VERSION_COLUMN = "marker.version.column";
    public static final String DELETED_COLUMN = "marker.deleted.column";
    public static final String FIELDS_COLUMN = "marker.fields.column";
    public static final String MODIFIED_AT_COLUMN = "marker.modified.at.column";
    public static final String SFID_COLUMN = "sfid.column";

    public static final String POLICY = "conflict.policy";
    public static final String STATE_MAX_ROWS = "state.max.rows";
    public static final String STATE_TTL_MS = "state.ttl.ms";
    public static final String STATE_MAX_PENDING = "state.max.pending.per.column";

    public static final String CONFLICTS_TOPIC = "conflicts.topic";
    public static final String CONFLICTS_BOOTSTRAP = "conflicts.bootstrap.servers";
    /** Prefix of pass-through settings of the conflicts producer, e.g. {@code conflicts.producer.security.protocol}. */
    public static final String CONFLICTS_PRODUCER_PREFIX = "conflicts.producer.";

    public static final String SUMMARY_INTERVAL_MS = "summary.interval.ms";

    static final String GROUP_MARKERS = "Markers";
    static final String GROUP_CONFLICTS = "Conflicts";
    static final String GROUP_STATE = "State";
    static final String GROUP_CONFLICTS_TOPIC = "Conflicts topic";
    static final String GROUP_METRICS = "Metrics";

    public static final ConfigDef CONFIG_DEF = define();

    public ConflictTransformConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
        if (!conflictsTopic().isEmpty() && conflictsBootstrapServers().isEmpty()) {
            throw new ConfigException(CONFLICTS_BOOTSTRAP, getString(CONFLICTS_BOOTSTRAP),
                    "required when " + CONFLICTS_TOPIC + " is set (\"" + conflictsTopic()
                            + "\"); set it to the Kafka cluster of that topic, or set " + CONFLICTS_TOPIC
                            + " to an empty value to only log conflicts");
        }
    }

    private static ConfigDef define() {
        ConfigDef def = new ConfigDef();
        int o = 0;
        def.define(MARKER_PREFIX, Type.STRING, "_sync_", new ConfigDef.NonEmptyString(), Importance.LOW,
                "Columns whose name starts with this prefix are sync markers: never reported as changed columns "
                        + "and never written to Salesforce.",
                GROUP_MARKERS, ++o, Width.SHORT, "Marker column prefix");
        def.define(VERSION_COLUMN, Type.STRING, "_sync_version", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                "The marker column the Salesforce-to-Postgres path changes on every write it makes: a change "
                        + "that sets it (insert) or changes it (update) came from Salesforce. A table without it "
                        + "is treated as Postgres-only (every change forwarded).",
                GROUP_MARKERS, ++o, Width.MEDIUM, "Version marker column");
        def.define(DELETED_COLUMN, Type.STRING, "_sync_deleted", new ConfigDef.NonEmptyString(), Importance.LOW,
                "The boolean marker column that is true on a row deleted in Salesforce: a delete of such a row "
                        + "came from Salesforce.",
                GROUP_MARKERS, ++o, Width.MEDIUM, "Deleted marker column");
        def.define(FIELDS_COLUMN, Type.STRING, "_sync_fields", new ConfigDef.NonEmptyString(), Importance.LOW,
                "The marker column listing the columns a Salesforce-origin write set (comma-separated, or * for "
                        + "all); only those are checked for conflicts.",
                GROUP_MARKERS, ++o, Width.MEDIUM, "Fields marker column");
        def.define(MODIFIED_AT_COLUMN, Type.STRING, "_sync_modified_at", new ConfigDef.NonEmptyString(),
                Importance.LOW,
                "The timestamp marker column holding the Salesforce time of the change a row was last written "
                        + "from; the base of a Postgres edit and the Salesforce side of newest-wins.",
                GROUP_MARKERS, ++o, Width.MEDIUM, "Modified-at marker column");
        def.define(SFID_COLUMN, Type.STRING, "sfid", new ConfigDef.NonEmptyString(), Importance.LOW,
                "The column holding the Salesforce Id; copied into conflict records.",
                GROUP_MARKERS, ++o, Width.SHORT, "Salesforce Id column");

        o = 0;
        def.define(POLICY, Type.STRING, ConflictPolicy.SALESFORCE_WINS.value(),
                ConfigDef.ValidString.in(ConflictPolicy.configValues().toArray(String[]::new)), Importance.HIGH,
                "Who wins when both sides changed the same column concurrently: salesforce-wins (the "
                        + "Salesforce value is written back over the Postgres edit), postgres-wins (the Postgres "
                        + "edit, already on its way to Salesforce, stands), or newest-wins (the later of the "
                        + "Salesforce change time and the Postgres commit time; a tie goes to Salesforce).",
                GROUP_CONFLICTS, ++o, Width.MEDIUM, "Conflict policy", new PolicyRecommender());

        o = 0;
        def.define(STATE_MAX_ROWS, Type.INT, 100_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                "At most this many rows with forwarded values awaiting their Salesforce echo are remembered "
                        + "(least valuable evicted first). A row evicted before its echo loses conflict detection "
                        + "for that edit: a concurrent Salesforce change is then dropped as postgres-wins.",
                GROUP_STATE, ++o, Width.SHORT, "Max remembered rows");
        def.define(STATE_TTL_MS, Type.LONG, Duration.ofMinutes(10).toMillis(), ConfigDef.Range.atLeast(1000),
                Importance.LOW,
                "How long a row's forwarded values are remembered after its last change; an echo later than this "
                        + "is not expected (it normally returns within seconds).",
                GROUP_STATE, ++o, Width.SHORT, "State time-to-live (ms)");
        def.define(STATE_MAX_PENDING, Type.INT, 16, ConfigDef.Range.between(1, 1000), Importance.LOW,
                "At most this many forwarded values per row and column await their echo; the oldest is "
                        + "forgotten first.",
                GROUP_STATE, ++o, Width.SHORT, "Max pending values per column");

        o = 0;
        def.define(CONFLICTS_TOPIC, Type.STRING, "sfsync_conflicts", Importance.MEDIUM,
                "The topic every detected conflict is produced to (one record per column, JSON with schemas, "
                        + "keyed by conflict_id, for Debezium's JDBC sink in upsert mode). Empty: conflicts are "
                        + "only logged at WARN and counted.",
                GROUP_CONFLICTS_TOPIC, ++o, Width.MEDIUM, "Conflicts topic");
        def.define(CONFLICTS_BOOTSTRAP, Type.STRING, "", Importance.MEDIUM,
                "The bootstrap servers of the Kafka cluster of the conflicts topic; required when "
                        + CONFLICTS_TOPIC + " is not empty. Other producer settings (security, client.id, ...) "
                        + "pass through with the prefix " + CONFLICTS_PRODUCER_PREFIX + " (e.g. "
                        + CONFLICTS_PRODUCER_PREFIX + "security.protocol). The producer is idempotent with acks=all.",
                GROUP_CONFLICTS_TOPIC, ++o, Width.LONG, "Conflicts bootstrap servers");

        o = 0;
        def.define(SUMMARY_INTERVAL_MS, Type.LONG, Duration.ofMinutes(1).toMillis(),
                ConfigDef.Range.atLeast(Duration.ofMinutes(1).toMillis()), Importance.LOW,
                "How often at most an INFO summary of the counters (forwarded, dropped, echoes, conflicts) is "
                        + "logged, when records flow. The same counters are in JMX under "
                        + "sfsync.smt:type=conflict-transform.",
                GROUP_METRICS, ++o, Width.SHORT, "Summary interval (ms)");
        return def;
    }

    public String markerPrefix() {
        return getString(MARKER_PREFIX);
    }

    public String versionColumn() {
        return getString(VERSION_COLUMN);
    }

    public String deletedColumn() {
        return getString(DELETED_COLUMN);
    }

    public String fieldsColumn() {
        return getString(FIELDS_COLUMN);
    }

    public String modifiedAtColumn() {
        return getString(MODIFIED_AT_COLUMN);
    }

    public String sfidColumn() {
        return getString(SFID_COLUMN);
    }

    public ConflictPolicy policy() {
        return ConflictPolicy.fromValue(getString(POLICY));
    }

    public int stateMaxRows() {
        return getInt(STATE_MAX_ROWS);
    }

    public Duration stateTtl() {
        return Duration.ofMillis(getLong(STATE_TTL_MS));
    }

    public int maxPendingPerColumn() {
        return getInt(STATE_MAX_PENDING);
    }

    public String conflictsTopic() {
        String topic = getString(CONFLICTS_TOPIC);
        return topic == null ? "" : topic.trim();
    }

    public String conflictsBootstrapServers() {
        String servers = getString(CONFLICTS_BOOTSTRAP);
        return servers == null ? "" : servers.trim();
    }

    /** The pass-through producer settings, without their prefix. */
    public Map<String, Object> conflictsProducerOverrides() {
        return originalsWithPrefix(CONFLICTS_PRODUCER_PREFIX);
    }

    public Duration summaryInterval() {
        return Duration.ofMillis(getLong(SUMMARY_INTERVAL_MS));
    }

    static final class PolicyRecommender implements ConfigDef.Recommender {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return List.copyOf(ConflictPolicy.configValues());
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }
}
