package io.sfsync.sink;

import io.sfsync.connect.ConfigValidators;
import io.sfsync.connect.SalesforceConnectionConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The sink connector's configuration: connection and authentication, topic → object and column → field mapping,
 * and how records are written. Everything else reads it through the typed accessors. The Salesforce connection
 * keys, their accessors and {@code credentials()} are shared with the source ({@link SalesforceConnectionConfig}).
 */
public final class SalesforceSinkConfig extends SalesforceConnectionConfig {

    public static final String GROUP_CONNECTION = "Salesforce connection";
    public static final String GROUP_AUTH = "Salesforce authentication";
    public static final String GROUP_MAPPING = "Mapping";
    public static final String GROUP_WRITES = "Writes";
    public static final String GROUP_ERRORS = "Errors table";

    public static final String TOPIC_PREFIX = "topic.object.prefix";
    public static final String TOPIC_OBJECT_MAP = "topic.object.map";
    public static final String EXTERNAL_ID_FIELD = "external.id.field";
    public static final String KEY_COLUMN = "key.column";
    public static final String SFID_COLUMN = "sfid.column";
    public static final String FIELD_MAP = "field.map";
    public static final String METADATA_COLUMNS = "metadata.columns";
    public static final String REFERENCE_MAP = "reference.map";
    public static final String CHANGED_COLUMNS_HEADER = "changed.columns.header";
    public static final String UPDATE_WITHOUT_SFID = "update.without.sfid";

    public static final String MAX_BATCH = "batch.max.records";
    public static final String BULK_THRESHOLD = "bulk.threshold.records";
    public static final String WRITE_CONCURRENCY = "write.concurrency";

    public static final String ERRORS_TOPIC = "sync.errors.topic";
    public static final String ERRORS_BOOTSTRAP = "sync.errors.bootstrap.servers";
    public static final String ERRORS_PRODUCER_PREFIX = "sync.errors.producer.";
    public static final String ERRORS_TOPIC_PARTITIONS = "sync.errors.topic.partitions";
    public static final String ERRORS_TOPIC_REPLICATION = "sync.errors.topic.replication.factor";

    /** Header (set by the conflict SMT) naming the changed columns, comma-separated. */
    public static final String DEFAULT_CHANGED_COLUMNS_HEADER = "sync.changed.columns";

    private static final Pattern OBJECT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    public static final ConfigDef CONFIG_DEF = configDef();

    private final Map<String, String> topicObjects;
    private final Map<String, String> fieldMap;
    private final Map<String, String> referenceMap;

    public SalesforceSinkConfig(Map<String, ?> originals) {
        super(CONFIG_DEF, originals);
        this.topicObjects = pairs(TOPIC_OBJECT_MAP, getList(TOPIC_OBJECT_MAP));
        this.fieldMap = pairs(FIELD_MAP, getList(FIELD_MAP));
        this.referenceMap = pairs(REFERENCE_MAP, getList(REFERENCE_MAP));
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int o = 0;
        o = defineConnection(def, GROUP_CONNECTION, o, ConfigDef.NO_DEFAULT_VALUE);
        o = defineSyncClientId(def, GROUP_CONNECTION, o);
        o = defineApiBudget(def, GROUP_CONNECTION, o, new BudgetKeyDocs("writes",
                "the task gives the batch back to the worker for redelivery",
                "The longest one put() waits for API budget before it gives the batch back to the worker, which "
                        + "redelivers it a second later (data is delayed, never lost, and written once: the writes "
                        + "are idempotent). Keep it well below the consumer's max.poll.interval.ms (5 minutes by "
                        + "default), or the worker's consumer leaves the group while the task waits.",
                Duration.ofMinutes(1)));

        defineAuthentication(def, GROUP_AUTH, 0);

        o = 0;
        def.define(TOPIC_PREFIX, Type.STRING, "", Importance.MEDIUM,
                "Default topic → object rule: this prefix is removed from the topic name, then everything up to "
                        + "the last '.' (the Debezium server and schema names); the rest names the object, matched "
                        + "case-insensitively (pg.public.account → Account, pg.public.invoice__c → Invoice__c).",
                GROUP_MAPPING, ++o, Width.MEDIUM, "Topic prefix");
        def.define(TOPIC_OBJECT_MAP, Type.LIST, "", new PairsValidator(), Importance.MEDIUM,
                "Explicit topic → object overrides, as topic:Object pairs (pg.public.accounts:Account).",
                GROUP_MAPPING, ++o, Width.LONG, "Topic → object overrides");
        def.define(EXTERNAL_ID_FIELD, Type.STRING, "External_Id__c",
                ConfigValidators.patternValidator(OBJECT_NAME, "a field API name"),
                Importance.HIGH,
                "The unique External ID field that holds the Postgres key. Inserts are upserts by it, so a "
                        + "redelivered record never creates a second Salesforce record.",
                GROUP_MAPPING, ++o, Width.MEDIUM, "External ID field");
        def.define(KEY_COLUMN, Type.STRING, "id", new ConfigDef.NonEmptyString(), Importance.HIGH,
                "The Postgres column holding the row key written to the External ID field (taken from the row, "
                        + "else from the record key).",
                GROUP_MAPPING, ++o, Width.SHORT, "Key column");
        def.define(SFID_COLUMN, Type.STRING, "sfid", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                "The Postgres column holding the Salesforce Id; when set, updates and deletes go by Id.",
                GROUP_MAPPING, ++o, Width.SHORT, "Salesforce Id column");
        def.define(FIELD_MAP, Type.LIST, "", new PairsValidator(), Importance.MEDIUM,
                "Explicit column → field overrides, as column:Field or table.column:Field pairs "
                        + "(billing_city:BillingCity). Other columns map to the field of the same name, "
                        + "case-insensitively.",
                GROUP_MAPPING, ++o, Width.LONG, "Column → field overrides");
        def.define(REFERENCE_MAP, Type.LIST, "", new PairsValidator(), Importance.MEDIUM,
                "Columns that hold a parent row's Postgres key, as column:LookupField or table.column:LookupField "
                        + "pairs (contact.account_id:AccountId). The lookup is written through the parent's External "
                        + "ID field ({\"Account\": {\"External_Id__c\": key}}), and parents in the same batch are "
                        + "written before their children.",
                GROUP_MAPPING, ++o, Width.LONG, "Parent key columns");
        def.define(METADATA_COLUMNS, Type.LIST, "_sync_*,_hc_*", Importance.LOW,
                "Columns that belong to the sync itself and are never sent (a trailing * matches a prefix); the key "
                        + "and Salesforce Id columns are never sent as fields either.",
                GROUP_MAPPING, ++o, Width.LONG, "Metadata columns");
        def.define(CHANGED_COLUMNS_HEADER, Type.STRING, DEFAULT_CHANGED_COLUMNS_HEADER,
                new ConfigDef.NonEmptyString(), Importance.LOW,
                "The record header naming the columns that changed (comma-separated, set by the conflict SMT); "
                        + "when present only those fields are written.",
                GROUP_MAPPING, ++o, Width.MEDIUM, "Changed-columns header");
        def.define(UPDATE_WITHOUT_SFID, Type.STRING, "changed",
                ConfigDef.CaseInsensitiveValidString.in("changed", "row"), Importance.LOW,
                "What an update of a row without a Salesforce Id (an upsert by External ID, which creates the record "
                        + "when it does not exist) sends. 'changed': only the changed columns, never overwriting a "
                        + "field that Salesforce users edit (right for one-way setups, whose rows never get an sfid). "
                        + "'row': the changed columns and the row's other non-null columns, so that fixing one column "
                        + "of a row whose insert Salesforce rejected creates a whole record; for the two-way loop, "
                        + "where the sync fills in sfid and a row lacks it only until its first echo.",
                GROUP_MAPPING, ++o, Width.SHORT, "Update without sfid");

        o = 0;
        def.define(MAX_BATCH, Type.INT, 200, ConfigDef.Range.between(1, 200), Importance.LOW,
                "Records per sObject Collections call (one counted API call); 200 is Salesforce's maximum.",
                GROUP_WRITES, ++o, Width.SHORT, "Records per call");
        def.define(WRITE_CONCURRENCY, Type.INT, 4, ConfigDef.Range.between(1, 32), Importance.LOW,
                "How many sObject Collections calls of one object and operation a task makes at once when a "
                        + "put() holds more than one call's worth (each record is in one call only, so order is kept).",
                GROUP_WRITES, ++o, Width.SHORT, "Concurrent calls");
        def.define(BULK_THRESHOLD, Type.INT, 10_000, ConfigDef.Range.atLeast(0), Importance.LOW,
                "When one put() holds at least this many writes of one object and operation, they go through a "
                        + "Bulk API 2.0 job instead of sObject Collections; 0 never uses Bulk.",
                GROUP_WRITES, ++o, Width.SHORT, "Bulk threshold");

        o = 0;
        def.define(ERRORS_TOPIC, Type.STRING, "", Importance.MEDIUM,
                "The errors topic: every record Salesforce rejects (and every change that cannot be read or mapped) "
                        + "is also sent here as JSON with schema, keyed by its source topic, partition and offset, "
                        + "shaped for a JDBC sink into a Postgres errors table (columns source_topic, "
                        + "source_partition, source_offset, sobject, record_key, sfid, operation, error_code, "
                        + "error_message, failed_at). Empty: only the dead-letter queue.",
                GROUP_ERRORS, ++o, Width.MEDIUM, "Errors topic");
        def.define(ERRORS_BOOTSTRAP, Type.STRING, "", Importance.MEDIUM,
                "The Kafka cluster of the errors topic (a sink task has no producer of its own); further producer "
                        + "settings with the prefix " + ERRORS_PRODUCER_PREFIX + " (security, for instance).",
                GROUP_ERRORS, ++o, Width.LONG, "Errors topic bootstrap servers");
        def.define(ERRORS_TOPIC_PARTITIONS, Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Partitions of the errors topic when the task creates it (it does when the topic is missing).",
                GROUP_ERRORS, ++o, Width.SHORT, "Errors topic partitions");
        def.define(ERRORS_TOPIC_REPLICATION, Type.SHORT, (short) -1, new ReplicationFactorValidator(),
                Importance.LOW,
                "Replication factor of the errors topic when the task creates it; -1 for the broker's default "
                        + "(default.replication.factor).",
                GROUP_ERRORS, ++o, Width.SHORT, "Errors topic replication factor");
        return def;
    }

    // -------------------------------------------------------------------------------------------- accessors

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    /** Explicit topic → object overrides. */
    public Map<String, String> topicObjects() {
        return topicObjects;
    }

    /** The object name a topic maps to before describe canonicalises its case. */
    public String objectNameFor(String topic) {
        String explicit = topicObjects.get(topic);
        if (explicit != null) {
            return explicit;
        }
        String rest = topic;
        String prefix = topicPrefix();
        if (!prefix.isEmpty() && rest.startsWith(prefix)) {
            rest = rest.substring(prefix.length());
        }
        int dot = rest.lastIndexOf('.');
        return dot >= 0 ? rest.substring(dot + 1) : rest;
    }

    public String externalIdField() {
        return getString(EXTERNAL_ID_FIELD);
    }

    public String keyColumn() {
        return getString(KEY_COLUMN).toLowerCase(Locale.ROOT);
    }

    public String sfidColumn() {
        return getString(SFID_COLUMN).toLowerCase(Locale.ROOT);
    }

    /** Column → field overrides, keys lower-case ({@code column} or {@code table.column}). */
    public Map<String, String> fieldMap() {
        return fieldMap;
    }

    /** Parent-key columns → lookup field, keys lower-case ({@code column} or {@code table.column}). */
    public Map<String, String> referenceMap() {
        return referenceMap;
    }

    public List<String> metadataColumns() {
        return getList(METADATA_COLUMNS).stream().map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).toList();
    }

    public String changedColumnsHeader() {
        return getString(CHANGED_COLUMNS_HEADER);
    }

    /** Whether an update without sfid carries the row's non-null columns besides the changed ones. */
    public boolean updateWithoutSfidSendsRow() {
        return "row".equalsIgnoreCase(getString(UPDATE_WITHOUT_SFID));
    }

    public int maxBatch() {
        return getInt(MAX_BATCH);
    }

    public int writeConcurrency() {
        return getInt(WRITE_CONCURRENCY);
    }

    public int bulkThreshold() {
        return getInt(BULK_THRESHOLD);
    }

    /** The errors topic, or empty when rejected records go only to the dead-letter queue. */
    public Optional<String> errorsTopic() {
        String t = getString(ERRORS_TOPIC);
        return t == null || t.isBlank() ? Optional.empty() : Optional.of(t.trim());
    }

    public String errorsBootstrapServers() {
        return getString(ERRORS_BOOTSTRAP).trim();
    }

    public int errorsTopicPartitions() {
        return getInt(ERRORS_TOPIC_PARTITIONS);
    }

    /** The errors topic's replication factor when the task creates it; empty for the broker's default. */
    public Optional<Short> errorsTopicReplicationFactor() {
        short rf = getShort(ERRORS_TOPIC_REPLICATION);
        return rf == -1 ? Optional.empty() : Optional.of(rf);
    }

    public Map<String, Object> errorsProducerOverrides() {
        return originalsWithPrefix(ERRORS_PRODUCER_PREFIX);
    }

    // -------------------------------------------------------------------------------------------- helpers

    private static Map<String, String> pairs(String key, List<String> items) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : items) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new ConfigException(key, item, "expected source:Target");
            }
            String target = s.substring(colon + 1).trim();
            if (!OBJECT_NAME.matcher(target).matches()) {
                throw new ConfigException(key, item, "'" + target + "' is not a Salesforce API name");
            }
            out.put(key.equals(FIELD_MAP) || key.equals(REFERENCE_MAP) ? s.substring(0, colon).trim().toLowerCase(Locale.ROOT)
                    : s.substring(0, colon).trim(), target);
        }
        return Map.copyOf(out);
    }

    /** -1 (the broker's default) or a positive replication factor. */
    static final class ReplicationFactorValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value instanceof Short rf && rf != -1 && rf < 1) {
                throw new ConfigException(name, value, "must be -1 (the broker's default) or at least 1");
            }
        }

        @Override
        public String toString() {
            return "-1 or at least 1";
        }
    }

    static final class PairsValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value instanceof List<?> list) {
                pairs(name, list.stream().map(String::valueOf).toList());
            }
        }

        @Override
        public String toString() {
            return "comma-separated source:Target pairs";
        }
    }
}
