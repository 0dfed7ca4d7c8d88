package io.sfsync.source.mapping;

import io.sfsync.salesforce.streaming.ChangeEvent;
import io.sfsync.salesforce.streaming.ChangeEventHeader;
import io.sfsync.salesforce.streaming.ChangeType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns snapshot rows and change events into record keys, values and headers shaped for the Debezium JDBC sink
 * ({@code insert.mode=upsert}, {@code primary.key.mode=record_key}, {@code delete.enabled=true},
 * {@code schema.evolution=basic}):
 * <ul>
 *   <li>snapshot rows, CREATE and UNDELETE: the full row ({@link ObjectSchema#valueSchema()}); absent fields are
 *   null, as Salesforce leaves null fields out of CREATE events;</li>
 *   <li>UPDATE: a partial struct holding only {@code sfid}, the fields the event carries and the fields listed in
 *   {@code nulledFields} (explicit NULL), so the sink's {@code INSERT ... ON CONFLICT DO UPDATE} sets only those
 *   columns and leaves the others untouched;</li>
 *   <li>DELETE: a tombstone (null value and schema), which the sink turns into a DELETE by key.</li>
 * </ul>
 * The Postgres-side key column is never in the value; the sink takes it from the record key.
 */
public final class RecordMapper {

    public static final String H_ORIGIN = "sync.origin";
    public static final String H_CHANGE_TYPE = "sync.change.type";
    public static final String H_CHANGED_FIELDS = "sync.changed.fields";
    public static final String H_COMMIT_TS = "sync.commit.timestamp";
    public static final String H_TRANSACTION_KEY = "sync.transaction.key";
    public static final String H_REPLAY_ID = "sync.replay.id";
    public static final String H_RECORD_ID = "sync.record.id";
    public static final String H_ECHO = "sync.echo";
    public static final String ORIGIN = "salesforce";
    /** Change type header of initial snapshot rows. */
    public static final String SNAPSHOT = "SNAPSHOT";
    /** Change type header of rows re-read by a resync window (GAP_OVERFLOW, expired replay id). */
    public static final String RESYNC = "RESYNC";

    private final String echoMarker;

    /** @param syncClientId the client id of the sync's own writes ({@code changeOrigin} then has {@code client=<id>}) */
    public RecordMapper(String syncClientId) {
        this.echoMarker = "client=" + syncClientId;
    }

    /** What one change or snapshot row becomes: key, value schema and value (both null for a tombstone), headers. */
    public record Mapped(String recordId, Struct key, Schema valueSchema, Struct value, Headers headers) {
    }

    /** A snapshot (or re-fetched) row; {@code row} maps lower-case field names to raw values. */
    public Mapped row(ObjectSchema schema, Map<String, Object> row, String syncKey, String changeType) {
        Struct value = new Struct(schema.valueSchema());
        for (ObjectSchema.Column c : schema.columns()) {
            value.put(c.columnName(), ObjectSchema.convert(c, row.get(c.fieldName().toLowerCase(Locale.ROOT))));
        }
        String id = value.getString(ObjectSchema.ID_COLUMN);
        ConnectHeaders h = new ConnectHeaders();
        h.addString(H_ORIGIN, ORIGIN);
        h.addString(H_CHANGE_TYPE, changeType);
        h.addString(H_RECORD_ID, id);
        return new Mapped(id, schema.key(syncKey), schema.valueSchema(), value, h);
    }

    /** A tombstone for a record (DELETE, or a record a re-fetch no longer finds). */
    public Mapped tombstone(ObjectSchema schema, String recordId, String syncKey, String changeType) {
        ConnectHeaders h = new ConnectHeaders();
        h.addString(H_ORIGIN, ORIGIN);
        h.addString(H_CHANGE_TYPE, changeType);
        h.addString(H_RECORD_ID, recordId);
        return new Mapped(recordId, schema.key(syncKey), null, null, h);
    }

    /**
     * One record per id in {@code recordIds} of a CREATE, UPDATE, DELETE or UNDELETE event. Fields the schema does not
     * know are left out (the caller re-describes first when {@link ObjectSchema#unknownFields} is not empty).
     *
     * @param syncKeys the sync key of each record id
     */
    public List<Mapped> change(ObjectSchema schema, ChangeEvent event, Map<String, String> syncKeys) {
        ChangeEventHeader header = event.header();
        ChangeType type = header.changeType();
        Map<String, Object> fields = event.fields().flattened();
        return header.recordIds().stream().map(id -> {
            String key = syncKeys.getOrDefault(id, id);
            Headers h = headers(event);
            h.addString(H_RECORD_ID, id);
            if (type == ChangeType.DELETE) {
                return new Mapped(id, schema.key(key), null, null, h);
            }
            if (type == ChangeType.UPDATE) {
                Set<String> names = new LinkedHashSet<>();
                fields.keySet().forEach(f -> names.add(f.toLowerCase(Locale.ROOT)));
                header.nulledFields().forEach(f -> names.add(flat(f).toLowerCase(Locale.ROOT)));
                names.add("id");
                Set<String> known = new HashSet<>();
                for (String n : names) {
                    if (schema.column(n) != null) {
                        known.add(n);
                    }
                }
                Schema partial = schema.partialSchema(known);
                Struct value = new Struct(partial);
                for (String n : known) {
                    ObjectSchema.Column c = schema.column(n);
                    Object raw = n.equals("id") ? id : valueOf(fields, c.fieldName());
                    value.put(c.columnName(), ObjectSchema.convert(c, raw));
                }
                return new Mapped(id, schema.key(key), partial, value, h);
            }
            Struct value = new Struct(schema.valueSchema());
            for (ObjectSchema.Column c : schema.columns()) {
                Object raw = c.columnName().equals(ObjectSchema.ID_COLUMN) ? id : valueOf(fields, c.fieldName());
                value.put(c.columnName(), ObjectSchema.convert(c, raw));
            }
            return new Mapped(id, schema.key(key), schema.valueSchema(), value, h);
        }).toList();
    }

    private Headers headers(ChangeEvent event) {
        ChangeEventHeader header = event.header();
        ConnectHeaders h = new ConnectHeaders();
        h.addString(H_ORIGIN, ORIGIN);
        h.addString(H_CHANGE_TYPE, header.rawChangeType() != null ? header.rawChangeType() : header.changeType().name());
        h.addString(H_CHANGED_FIELDS, String.join(",", header.changedFields()));
        if (header.commitTimestamp() != null) {
            h.addLong(H_COMMIT_TS, header.commitTimestamp().toEpochMilli());
        }
        if (header.transactionKey() != null) {
            h.addString(H_TRANSACTION_KEY, header.transactionKey());
        }
        h.addLong(H_REPLAY_ID, event.replayId());
        if (isEcho(header.changeOrigin())) {
            h.addString(H_ECHO, "true");
        }
        return h;
    }

    /** Whether {@code changeOrigin} ({@code com/salesforce/api/rest/62.0;client=sfsync}) names the sync's client. */
    public boolean isEcho(String changeOrigin) {
        if (changeOrigin == null) {
            return false;
        }
        for (String part : changeOrigin.split(";")) {
            if (part.trim().equals(echoMarker)) {
                return true;
            }
        }
        return false;
    }

    private static Object valueOf(Map<String, Object> flattened, String fieldName) {
        Object v = flattened.get(fieldName);
        if (v == null) {
            for (Map.Entry<String, Object> e : flattened.entrySet()) {
                if (e.getKey().equalsIgnoreCase(fieldName)) {
                    return e.getValue();
                }
            }
        }
        return v;
    }

    /** {@code BillingAddress.City} → {@code BillingCity}; plain names unchanged. */
    static String flat(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : io.sfsync.salesforce.streaming.ChangeEventFields.flatName(name.substring(0, dot),
                name.substring(dot + 1));
    }
}
