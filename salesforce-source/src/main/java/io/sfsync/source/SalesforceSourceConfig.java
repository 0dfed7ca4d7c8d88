package io.sfsync.source;

import io.sfsync.connect.ConfigValidators.EnumRecommender;
import io.sfsync.connect.SalesforceConnectionConfig;
import io.sfsync.source.mapping.RecordMapper.DeleteMode;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.sfsync.connect.ConfigValidators.enumValidator;
import static io.sfsync.connect.ConfigValidators.patternValidator;

/**
 * Configuration of the Salesforce source connector: the only class that reads raw keys; everyone else uses the
 * typed accessors. Task configurations are the connector configuration plus {@link #TASK_OBJECTS}. The Salesforce
 * connection keys, their accessors and {@code credentials()} are shared with the sink
 * ({@link SalesforceConnectionConfig}).
 */
public final class SalesforceSourceConfig extends SalesforceConnectionConfig {

    /** What happens before streaming: {@code INITIAL} snapshots each object first; {@code NEVER} streams from now. */
    public enum SnapshotMode { INITIAL, NEVER }

    /** What to do with an expired or invalid replay id, or a GAP_OVERFLOW event. */
    public enum InvalidReplayPolicy { RESYNC, FAIL, LATEST }

    public static final String GROUP_CONNECTION = "Salesforce connection";
    public static final String GROUP_OBJECTS = "Objects and topics";
    public static final String GROUP_SYNC = "Sync behaviour";
    public static final String GROUP_TUNING = "Performance";

    /** The source's older name of {@link #JWT_PRIVATE_KEY} (same key). */
    public static final String PRIVATE_KEY = JWT_PRIVATE_KEY;
    public static final String LOGIN_PROBE_TIMEOUT_MS = "salesforce.login.probe.timeout.ms";

    public static final String OBJECTS = "salesforce.objects";
    public static final String FIELDS_INCLUDE = "salesforce.fields.include";
    public static final String FIELDS_EXCLUDE = "salesforce.fields.exclude";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String SYNC_KEY_EXTERNAL_ID_FIELD = "sync.key.external.id.field";
    public static final String SYNC_KEY_COLUMN = "sync.key.column";

    public static final String SNAPSHOT_MODE = "snapshot.mode";
    public static final String BULK_THRESHOLD = "snapshot.bulk.threshold";
    public static final String INVALID_REPLAY_POLICY = "invalid.replay.id.policy";
    public static final String DELETE_MODE = "delete.mode";

    public static final String SNAPSHOT_PAGE_SIZE = "snapshot.page.size";
    public static final String POLL_TIMEOUT_MS = "poll.timeout.ms";
    public static final String MAX_BATCH_SIZE = "max.batch.size";
    public static final String QUEUE_CAPACITY = "streaming.queue.capacity";
    public static final String SUBSCRIBE_TIMEOUT_MS = "streaming.subscribe.timeout.ms";

    /** Internal: the objects one task syncs (set by {@code taskConfigs}). */
    public static final String TASK_OBJECTS = "task.objects";

    private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern QUALIFIED_FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]*\\.[A-Za-z][A-Za-z0-9_]*");

    public static final ConfigDef CONFIG_DEF = configDef();

    public SalesforceSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int o = 0;
        o = defineConnection(def, GROUP_CONNECTION, o, DEFAULT_LOGIN_URL);
        o = defineAuthentication(def, GROUP_CONNECTION, o);
        def.define(LOGIN_PROBE_TIMEOUT_MS, Type.LONG, 15_000L, ConfigDef.Range.between(1_000L, 120_000L),
                Importance.LOW, "How long validation waits for the login probe before reporting it as failed.",
                GROUP_CONNECTION, ++o, Width.SHORT, "Login probe timeout (ms)");
        // The default bound matches the worker's task.shutdown.graceful.timeout.ms default: a task out of budget
        // still hands control back to the worker in time to be stopped or rebalanced.
        o = defineApiBudget(def, GROUP_CONNECTION, o, new BudgetKeyDocs("snapshot pages and re-fetch queries",
                "the task's poll() fails as retriable and the worker polls again",
                "The longest one poll() waits for API budget before it returns what it has (possibly nothing) to"
                        + " the worker, which calls poll() again at once: data is delayed, never lost. Change events"
                        + " whose records need a call (a GAP re-fetch, a delete's key lookup) stay queued in the task"
                        + " and a snapshot page is read again from the same cursor. The bound lets the worker stop or"
                        + " rebalance a task while the org is out of budget; keep it at or below the worker's"
                        + " task.shutdown.graceful.timeout.ms (5 s by default). A task's start (describe calls)"
                        + " still waits for budget as long as it takes.",
                Duration.ofSeconds(5)));

        o = 0;
        def.define(OBJECTS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new ObjectListValidator(), Importance.HIGH,
                "Salesforce objects to sync (API names, e.g. Account,Contact,Invoice__c). Change Data Capture must"
                        + " be enabled for each. Objects are spread over the tasks.", GROUP_OBJECTS, ++o,
                Width.LONG, "Objects");
        def.define(FIELDS_INCLUDE, Type.LIST, "", new QualifiedFieldListValidator(), Importance.MEDIUM,
                "Fields to sync, as Object.Field. An object with entries here syncs only those fields (plus Id,"
                        + " the sync key field and SystemModstamp); objects without entries sync every field.",
                GROUP_OBJECTS, ++o, Width.LONG, "Included fields");
        def.define(FIELDS_EXCLUDE, Type.LIST, "", new QualifiedFieldListValidator(), Importance.MEDIUM,
                "Fields never synced, as Object.Field (e.g. Account.Description).", GROUP_OBJECTS, ++o,
                Width.LONG, "Excluded fields");
        def.define(TOPIC_PREFIX, Type.STRING, "sf", patternValidator(Pattern.compile("[A-Za-z0-9._-]+"),
                        "a topic name prefix (letters, digits, '.', '_', '-')"), Importance.HIGH,
                "Records of object X go to topic <prefix>.X.", GROUP_OBJECTS, ++o, Width.SHORT, "Topic prefix");
        def.define(SYNC_KEY_EXTERNAL_ID_FIELD, Type.STRING, "External_Id__c",
                patternValidator(API_NAME, "a field API name"), Importance.MEDIUM,
                "External ID field that holds the Postgres key. The record key is this field's value when the"
                        + " object has the field and the record's value is set, otherwise the Salesforce Id.",
                GROUP_OBJECTS, ++o, Width.MEDIUM, "Sync key external ID field");
        def.define(SYNC_KEY_COLUMN, Type.STRING, "sync_key", patternValidator(Pattern.compile("[a-z_][a-z0-9_]*"),
                        "a lower-case column name"), Importance.MEDIUM,
                "Name of the single field of the record key, so the primary key column of the Postgres table.",
                GROUP_OBJECTS, ++o, Width.MEDIUM, "Sync key column");

        o = 0;
        o = defineSyncClientId(def, GROUP_SYNC, o);
        def.define(SNAPSHOT_MODE, Type.STRING, SnapshotMode.INITIAL.name(), enumValidator(SnapshotMode.class),
                Importance.MEDIUM, "INITIAL: snapshot each object (resumable), then stream its changes."
                        + " NEVER: stream changes from now on.", GROUP_SYNC, ++o, Width.SHORT, "Snapshot mode",
                new EnumRecommender<>(SnapshotMode.class));
        def.define(BULK_THRESHOLD, Type.LONG, 50_000L, ConfigDef.Range.atLeast(0L), Importance.LOW,
                "Objects with more records than this are snapshotted with a Bulk API 2.0 query job instead of REST"
                        + " query paging.", GROUP_SYNC, ++o, Width.SHORT, "Bulk snapshot threshold");
        def.define(INVALID_REPLAY_POLICY, Type.STRING, InvalidReplayPolicy.RESYNC.name(),
                enumValidator(InvalidReplayPolicy.class), Importance.MEDIUM,
                "When the stored replay id has expired (older than the 72-hour retention) or a GAP_OVERFLOW event"
                        + " arrives: RESYNC re-reads the object (by SystemModstamp window when the last commit time"
                        + " is known), FAIL stops the task, LATEST goes on from now accepting the loss.",
                GROUP_SYNC, ++o, Width.SHORT, "Invalid replay id policy",
                new EnumRecommender<>(InvalidReplayPolicy.class));
        def.define(DELETE_MODE, Type.STRING, DeleteMode.DELETE.name(), enumValidator(DeleteMode.class),
                Importance.MEDIUM, "What a record deleted in Salesforce (not by the sync itself) becomes. DELETE: a"
                        + " delete marker (the row's _sync_deleted=true, so the Postgres-side conflict transform"
                        + " knows the delete came from Salesforce) then a tombstone, and the sink removes the row."
                        + " MARK: only the delete marker, so the row stays with _sync_deleted=true (a soft delete;"
                        + " an UNDELETE sets it back to false). Case-insensitive.", GROUP_SYNC, ++o, Width.SHORT,
                "Delete mode", new EnumRecommender<>(DeleteMode.class));

        o = 0;
        def.define(SNAPSHOT_PAGE_SIZE, Type.INT, 2000, ConfigDef.Range.between(200, 2000), Importance.LOW,
                "Rows per snapshot query page (one API call each).", GROUP_TUNING, ++o, Width.SHORT,
                "Snapshot page size");
        def.define(POLL_TIMEOUT_MS, Type.LONG, 200L, ConfigDef.Range.between(1L, 10_000L), Importance.LOW,
                "How long poll() waits for change events when there is nothing else to do.", GROUP_TUNING, ++o,
                Width.SHORT, "Poll timeout (ms)");
        def.define(MAX_BATCH_SIZE, Type.INT, 1000, ConfigDef.Range.between(1, 100_000), Importance.LOW,
                "Most change events taken per poll().", GROUP_TUNING, ++o, Width.SHORT, "Max batch size");
        def.define(QUEUE_CAPACITY, Type.INT, 1000, ConfigDef.Range.between(1, 1_000_000), Importance.LOW,
                "Capacity of the bounded queue between the CometD thread and poll(); when full, the CometD thread"
                        + " waits and Salesforce keeps the events.", GROUP_TUNING, ++o, Width.SHORT,
                "Streaming queue capacity");
        def.define(SUBSCRIBE_TIMEOUT_MS, Type.LONG, 60_000L, ConfigDef.Range.between(1_000L, 600_000L),
                Importance.LOW, "How long a task waits at start for its CDC subscriptions before it fails"
                        + " (the snapshot starts only once they are in place).", GROUP_TUNING, ++o, Width.SHORT,
                "Subscribe timeout (ms)");

        def.defineInternal(TASK_OBJECTS, Type.LIST, "", Importance.LOW);
        return def;
    }

    // -------------------------------------------------------------------------------------------- typed accessors

    public Duration loginProbeTimeout() {
        return Duration.ofMillis(getLong(LOGIN_PROBE_TIMEOUT_MS));
    }

    public List<String> objects() {
        return distinct(getList(OBJECTS));
    }

    /** The objects of this task: {@link #TASK_OBJECTS} when set (task configs), else all objects. */
    public List<String> taskObjects() {
        List<String> t = distinct(getList(TASK_OBJECTS));
        return t.isEmpty() ? objects() : t;
    }

    /** Included fields of {@code object} (case as configured); empty means every field. */
    public Set<String> includedFields(String object) {
        return fieldsOf(getList(FIELDS_INCLUDE), object);
    }

    public Set<String> excludedFields(String object) {
        return fieldsOf(getList(FIELDS_EXCLUDE), object);
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    public String topicFor(String object) {
        return topicPrefix() + "." + object;
    }

    public String syncKeyExternalIdField() {
        return getString(SYNC_KEY_EXTERNAL_ID_FIELD);
    }

    public String syncKeyColumn() {
        return getString(SYNC_KEY_COLUMN);
    }

    public SnapshotMode snapshotMode() {
        return SnapshotMode.valueOf(getString(SNAPSHOT_MODE).toUpperCase(Locale.ROOT));
    }

    public long bulkThreshold() {
        return getLong(BULK_THRESHOLD);
    }

    public InvalidReplayPolicy invalidReplayPolicy() {
        return InvalidReplayPolicy.valueOf(getString(INVALID_REPLAY_POLICY).toUpperCase(Locale.ROOT));
    }

    public DeleteMode deleteMode() {
        return DeleteMode.valueOf(getString(DELETE_MODE).trim().toUpperCase(Locale.ROOT));
    }

    public int snapshotPageSize() {
        return getInt(SNAPSHOT_PAGE_SIZE);
    }

    public Duration pollTimeout() {
        return Duration.ofMillis(getLong(POLL_TIMEOUT_MS));
    }

    public int maxBatchSize() {
        return getInt(MAX_BATCH_SIZE);
    }

    public int queueCapacity() {
        return getInt(QUEUE_CAPACITY);
    }

    public Duration subscribeTimeout() {
        return Duration.ofMillis(getLong(SUBSCRIBE_TIMEOUT_MS));
    }

    private static List<String> distinct(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                out.add(v.trim());
            }
        }
        return List.copyOf(out);
    }

    private static Set<String> fieldsOf(List<String> qualified, String object) {
        Set<String> out = new LinkedHashSet<>();
        for (String q : qualified) {
            String t = q.trim();
            int dot = t.indexOf('.');
            if (dot > 0 && t.substring(0, dot).equalsIgnoreCase(object)) {
                out.add(t.substring(dot + 1));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------ validators, recommenders

    static final class ObjectListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            List<?> list = value instanceof List<?> l ? l : List.of();
            List<String> bad = new ArrayList<>();
            int count = 0;
            for (Object o : list) {
                String s = String.valueOf(o).trim();
                if (s.isEmpty()) {
                    continue;
                }
                count++;
                if (!API_NAME.matcher(s).matches()) {
                    bad.add(s);
                }
            }
            if (count == 0) {
                throw new ConfigException(name, value, "must name at least one object");
            }
            if (!bad.isEmpty()) {
                throw new ConfigException(name, value, "are not object API names: " + bad);
            }
        }

        @Override
        public String toString() {
            return "a non-empty list of object API names";
        }
    }

    static final class QualifiedFieldListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            List<?> list = value instanceof List<?> l ? l : List.of();
            List<String> bad = list.stream().map(o -> String.valueOf(o).trim()).filter(s -> !s.isEmpty())
                    .filter(s -> !QUALIFIED_FIELD.matcher(s).matches()).toList();
            if (!bad.isEmpty()) {
                throw new ConfigException(name, value, "entries must be Object.Field: " + bad);
            }
        }

        @Override
        public String toString() {
            return "a list of Object.Field";
        }
    }
}
