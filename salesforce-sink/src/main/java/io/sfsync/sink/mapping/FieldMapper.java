package io.sfsync.sink.mapping;

import io.sfsync.salesforce.metadata.FieldDescribe;
import io.sfsync.salesforce.metadata.SObjectDescribe;
import io.sfsync.sink.SalesforceSinkConfig;
import io.sfsync.sink.input.RowChange;
import io.sfsync.salesforce.error.FatalSalesforceException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a {@link RowChange} from a topic into the {@link WriteRequest} for Salesforce.
 *
 * <p>Rules: the topic names the object ({@link SalesforceSinkConfig#objectNameFor}, canonicalised by describe);
 * each column maps to the field named by an explicit override ({@code table.column} before {@code column}) or to
 * the field of the same name, case-insensitively. Never sent: the key column (it goes into the External ID field),
 * the Salesforce Id column, the sync's metadata columns, Debezium's {@code __} fields, the Id and External ID
 * fields themselves, and fields that are not writable (formula, roll-up, auto-number, system fields; on updates
 * also fields that are not updateable). A column that maps to no field is reported once per object and column
 * (WARN and {@link #unmappedColumns()}); a read-only field once at DEBUG ({@link #readOnlyColumns()}).
 * The first time a column maps to no field, the object's describe is revalidated before the column is called
 * unmapped: a custom field added in Salesforce reaches Postgres as a new column through the source, and the first
 * write of that column back must not wait for the describe cache's age. Later sightings rely on the cache's own
 * revalidation, so a column that really has no field costs one describe call per task, not one per record.
 *
 * <p>Operations: insert → upsert by External ID; update → update by Id when the row has its {@code sfid}, with
 * only the changed columns when they are known, else upsert by External ID with the changed columns (and, with
 * {@code update.without.sfid=row}, the row's other non-null ones: the upsert may create the record); an update whose changed columns are all unsent writes nothing;
 * delete → delete by Id or External ID.
 */
public final class FieldMapper {

    private static final Logger LOG = LoggerFactory.getLogger(FieldMapper.class);
    private static final DateTimeFormatter SF_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'");

    private final SalesforceSinkConfig config;
    private final Function<String, SObjectDescribe> describe;
    private final Function<String, SObjectDescribe> revalidate;
    private final Set<String> revalidatedFor = ConcurrentHashMap.newKeySet();
    private final List<String> metadataPatterns;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Map<String, String> objectNameByTopic = new ConcurrentHashMap<>();
    private final AtomicLong unmapped = new AtomicLong();
    private final AtomicLong readOnly = new AtomicLong();

    /**
     * @param describe the object's describe by any-case name (cached by the client); throws for unknown objects
     * @param revalidate the object's describe asked of Salesforce now (a 304 when nothing changed)
     */
    public FieldMapper(SalesforceSinkConfig config, Function<String, SObjectDescribe> describe,
                       Function<String, SObjectDescribe> revalidate) {
        this.config = config;
        this.describe = describe;
        this.revalidate = revalidate;
        this.metadataPatterns = config.metadataColumns();
    }

    /** Distinct columns (per object) that mapped to no Salesforce field. */
    public long unmappedColumns() {
        return unmapped.get();
    }

    /** Distinct columns (per object) skipped because their field is read-only. */
    public long readOnlyColumns() {
        return readOnly.get();
    }

    /**
     * The describe of the object a topic writes to: asked of the client's describe cache on every call, so fields
     * added in Salesforce are seen once the cache revalidates.
     *
     * @throws ConnectException when Salesforce has no such object (a configuration error)
     */
    public SObjectDescribe objectFor(String topic) {
        String name = objectNameByTopic.getOrDefault(topic, config.objectNameFor(topic));
        SObjectDescribe d;
        try {
            d = describe.apply(name);
        } catch (FatalSalesforceException e) {
            throw new ConnectException("Topic " + topic + " maps to object '" + name + "', which Salesforce cannot "
                    + "describe (" + e.getMessage() + "); set " + SalesforceSinkConfig.TOPIC_OBJECT_MAP, e);
        }
        objectNameByTopic.putIfAbsent(topic, d.name());
        return d;
    }

    /**
     * The write for a change, or empty when nothing needs writing (an update of unsent columns only).
     *
     * @throws DataException when the row has no key: a record-level problem for the dead-letter queue
     */
    public Optional<WriteRequest> map(String topic, RowChange change) {
        SObjectDescribe object = objectFor(topic);
        String table = tableOf(topic);
        Object keyValue = change.column(config.keyColumn());
        if (keyValue == null && change.columns().size() == 1 && change.columns().containsKey("")) {
            keyValue = change.columns().get("");
        }
        if (keyValue == null) {
            throw new DataException("The change has no value in key column '" + config.keyColumn() + "'");
        }
        String key = keyValue.toString();
        Object sfidValue = change.column(config.sfidColumn());
        String sfid = sfidValue == null || sfidValue.toString().isBlank() ? null : sfidValue.toString().trim();

        if (change.op() == RowChange.Op.DELETE) {
            return Optional.of(new WriteRequest(object.name(), WriteRequest.Kind.DELETE, key, sfid, Map.of()));
        }
        // A row that knows its Salesforce Id is written by Id, also when it arrives as an insert (a snapshot of rows
        // that came from Salesforce): an upsert by External ID would create a second record.
        boolean byId = sfid != null;
        // Without an sfid the write is an upsert that may create the record (its INSERT was rejected, or its echo
        // has not come back yet): with update.without.sfid=row it carries the row's non-null columns besides the
        // changed ones, so that fixing one column of a rejected row in SQL sends a whole record. Null unchanged columns stay out: they would
        // clear what Salesforce automation set on a record whose echo has not reached Postgres yet.
        boolean sendRow = !byId && config.updateWithoutSfidSendsRow();
        Map<String, Object> fields = new LinkedHashMap<>();
        java.util.Set<String> parents = new java.util.LinkedHashSet<>();
        boolean aChangedColumnIsSent = false;
        for (Map.Entry<String, Object> column : change.columns().entrySet()) {
            String name = column.getKey();
            boolean changed = change.changedColumns() == null || change.changedColumns().contains(name);
            if (!changed && (!sendRow || column.getValue() == null)) {
                continue;
            }
            String lookup = config.referenceMap().get(table + "." + name);
            if (lookup == null) {
                lookup = config.referenceMap().get(name);
            }
            if (lookup != null) {
                reference(object, lookup, column.getValue(), fields, parents);
                aChangedColumnIsSent |= changed;
                continue;
            }
            Optional<FieldDescribe> field = fieldFor(object, table, name, byId);
            if (field.isPresent()) {
                fields.put(field.get().name(), toSalesforce(column.getValue(), field.get()));
                aChangedColumnIsSent |= changed;
            }
        }
        if (change.op() == RowChange.Op.UPDATE && !aChangedColumnIsSent) {
            return Optional.empty();
        }
        if (byId) {
            if (change.op() == RowChange.Op.INSERT) {
                fields.put(externalIdField(object), key); // links the Salesforce record to its Postgres key
            }
            return Optional.of(new WriteRequest(object.name(), WriteRequest.Kind.UPDATE, key, sfid, fields, parents));
        }
        Map<String, Object> withKey = new LinkedHashMap<>();
        withKey.put(externalIdField(object), key);
        withKey.putAll(fields);
        return Optional.of(new WriteRequest(object.name(), WriteRequest.Kind.UPSERT, key, sfid, withKey, parents));
    }

    /** A parent's Postgres key → the lookup through the parent's External ID (or null to clear the lookup). */
    private void reference(SObjectDescribe object, String lookupField, Object parentKey, Map<String, Object> fields,
                           java.util.Set<String> parents) {
        FieldDescribe f = object.field(lookupField).filter(FieldDescribe::reference).orElseThrow(() ->
                new ConnectException(SalesforceSinkConfig.REFERENCE_MAP + " names " + lookupField + ", which is not a "
                        + "lookup field of " + object.name()));
        if (parentKey == null) {
            fields.put(f.name(), null);
            return;
        }
        SObjectDescribe parent = describe.apply(f.referenceTo().get(0));
        fields.put(f.relationshipName(), Map.of(externalIdField(parent), parentKey.toString()));
        parents.add(parent.name());
    }

    /** The describe revalidated with Salesforce the first time this column is unknown; the given one after that. */
    private SObjectDescribe revalidatedOnFirstSight(SObjectDescribe object, String column) {
        if (!revalidatedFor.add(object.name() + "/" + column)) {
            return object;
        }
        return revalidate.apply(object.name());
    }

    /** The External ID field's API name as describe spells it. */
    public String externalIdField(SObjectDescribe object) {
        return object.field(config.externalIdField()).map(FieldDescribe::name).orElse(config.externalIdField());
    }

    private Optional<FieldDescribe> fieldFor(SObjectDescribe object, String table, String column, boolean update) {
        if (column.isEmpty() || column.startsWith("__") || column.equals(config.keyColumn())
                || column.equals(config.sfidColumn()) || isMetadata(column)) {
            return Optional.empty();
        }
        String target = config.fieldMap().get(table + "." + column);
        if (target == null) {
            target = config.fieldMap().getOrDefault(column, column);
        }
        Optional<FieldDescribe> field = object.field(target);
        if (field.isEmpty()) {
            field = revalidatedOnFirstSight(object, column).field(target);
        }
        if (field.isEmpty()) {
            if (reported.add("unmapped/" + object.name() + "/" + column)) {
                unmapped.incrementAndGet();
                LOG.warn("Column '{}' of {} maps to no field of {}: it is not written (map it with {} or drop it)",
                        column, table, object.name(), SalesforceSinkConfig.FIELD_MAP);
            }
            return Optional.empty();
        }
        FieldDescribe f = field.get();
        if ("id".equalsIgnoreCase(f.name()) || f.name().equalsIgnoreCase(config.externalIdField())) {
            return Optional.empty();
        }
        if (!f.writable() || f.compound() || (update && !f.updateable())) {
            if (reported.add("readonly/" + object.name() + "/" + column)) {
                readOnly.incrementAndGet();
                LOG.debug("Column '{}' maps to read-only field {}.{}: never written", column, object.name(), f.name());
            }
            return Optional.empty();
        }
        return field;
    }

    private boolean isMetadata(String column) {
        for (String p : metadataPatterns) {
            if (p.endsWith("*") ? column.startsWith(p.substring(0, p.length() - 1)) : column.equals(p)) {
                return true;
            }
        }
        return false;
    }

    static String tableOf(String topic) {
        int dot = topic.lastIndexOf('.');
        return (dot >= 0 ? topic.substring(dot + 1) : topic).toLowerCase(Locale.ROOT);
    }

    /** A column value in the JSON form Salesforce expects for the field's type. */
    static Object toSalesforce(Object v, FieldDescribe field) {
        if (v == null) {
            return null;
        }
        String type = field.type();
        if (v instanceof Instant i) {
            return "date".equals(type) ? i.atOffset(ZoneOffset.UTC).toLocalDate().toString() : i.toString();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof LocalTime t) {
            return SF_TIME.format(t);
        }
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof ByteBuffer bb) {
            byte[] b = new byte[bb.remaining()];
            bb.duplicate().get(b);
            return Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.joining(";"));
        }
        if (v instanceof Map<?, ?>) {
            throw new DataException("Column for " + field.name() + " holds a structure, not a value");
        }
        return v;
    }
}
