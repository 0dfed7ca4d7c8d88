package io.sfsync.source.mapping;

import io.sfsync.salesforce.streaming.ChangeEvent;
import io.sfsync.salesforce.streaming.ChangeEventHeader;
import io.sfsync.salesforce.streaming.ChangeType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

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
 *   <li>DELETE: a delete marker (see below), then a tombstone (null value and schema), which the sink turns into a
 *   DELETE by key.</li>
 * </ul>
 * The Postgres-side key column is never in the value; the sink takes it from the record key.
 *
 * <p><b>Marker columns</b> (the loop contract, docs/LOOP.md): every value carries {@code _sync_version} (different
 * on every record emitted for a row: {@code cdc:<replayId>} for change events, {@code query:<SystemModstamp epoch
 * ms>:<random hex>} for rows read by query), {@code _sync_modified_at} (the event's commit time or the row's
 * SystemModstamp) and {@code _sync_fields} (the columns the record sets, or {@code *} for a full row); full rows also
 * {@code _sync_deleted=false}. A deletion that did not come from the sync itself is first a <em>delete marker</em>
 * ({@code sfid}, the markers, {@code _sync_deleted=true}, {@code _sync_fields} empty), so the Postgres-side SMT can
 * tell it from a user's delete, then the tombstone ({@link DeleteMode#DELETE}) or nothing more
 * ({@link DeleteMode#MARK}: a soft delete). The echo of the sync's own DELETE is the tombstone only: the row is
 * already gone in Postgres, and a marker would re-insert it there.
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

    /** What a deletion in Salesforce becomes in Postgres. */
    public enum DeleteMode {
        /** The delete marker, then the tombstone: the row is removed. */
        DELETE,
        /** Only the delete marker: the row stays with {@code _sync_deleted=true} (a soft delete). */
        MARK
    }

    private final String echoMarker;
    private final DeleteMode deleteMode;

    /** @param syncClientId the client id of the sync's own writes ({@code changeOrigin} then has {@code client=<id>}) */
    public RecordMapper(String syncClientId, DeleteMode deleteMode) {
        this.echoMarker = "client=" + syncClientId;
        this.deleteMode = deleteMode;
    }

    /** What one change or snapshot row becomes: key, value schema and value (both null for a tombstone), headers. */
    public record Mapped(String recordId, Struct key, Schema valueSchema, Struct value, Headers headers) {
    }

    /** A snapshot (or re-fetched) row; {@code row} maps lower-case field names to raw values. */
    public Mapped row(ObjectSchema schema, Map<String, Object> row, String syncKey, String changeType) {
        Struct value = new Struct(schema.valueSchema());
        List<ObjectSchema.Column> columns = schema.columns();
        List<String> rowKeys = schema.rowKeys();
        for (int i = 0; i < columns.size(); i++) {
            ObjectSchema.Column c = columns.get(i);
            value.put(c.columnName(), ObjectSchema.convert(c, row.get(rowKeys.get(i))));
        }
        java.util.Date modstamp = modstampOf(schema, value);
        value.put(ObjectSchema.VERSION_COLUMN, queryVersion(modstamp));
        value.put(ObjectSchema.MODIFIED_AT_COLUMN, modstamp);
        value.put(ObjectSchema.FIELDS_COLUMN, ObjectSchema.ALL_FIELDS);
        value.put(ObjectSchema.DELETED_COLUMN, Boolean.FALSE);
        String id = value.getString(ObjectSchema.ID_COLUMN);
        return new Mapped(id, schema.key(syncKey), schema.valueSchema(), value, headers(id, changeType));
    }

    /**
     * A record read by query that is deleted ({@code IsDeleted} in a {@code queryAll} resync window): the delete
     * marker (stamped with the row's SystemModstamp) and, unless {@link DeleteMode#MARK}, the tombstone.
     */
    public List<Mapped> deletedRow(ObjectSchema schema, Map<String, Object> row, String recordId, String syncKey,
                                   String changeType) {
        ObjectSchema.Column c = schema.modstampColumn();
        java.util.Date modstamp = c == null ? null
                : (java.util.Date) ObjectSchema.convert(c, row.get(c.fieldName().toLowerCase(Locale.ROOT)));
        return deletion(schema, recordId, syncKey, headers(recordId, changeType), queryVersion(modstamp), modstamp);
    }

    /**
     * A record that a re-fetch no longer finds (deleted, maybe already purged): the delete marker, stamped with the
     * time it was found missing, and, unless {@link DeleteMode#MARK}, the tombstone.
     */
    public List<Mapped> gone(ObjectSchema schema, String recordId, String syncKey, String changeType,
                             java.time.Instant seenAt) {
        java.util.Date at = java.util.Date.from(seenAt);
        return deletion(schema, recordId, syncKey, headers(recordId, changeType), queryVersion(at), at);
    }

    /** A tombstone only (no marker): for the echo of the sync's own delete. */
    public Mapped tombstone(ObjectSchema schema, String recordId, String syncKey, String changeType) {
        return new Mapped(recordId, schema.key(syncKey), null, null, headers(recordId, changeType));
    }

    private static Headers headers(String recordId, String changeType) {
        ConnectHeaders h = new ConnectHeaders();
        h.addString(H_ORIGIN, ORIGIN);
        h.addString(H_CHANGE_TYPE, changeType);
        h.addString(H_RECORD_ID, recordId);
        return h;
    }

    /** The delete marker then, unless {@link DeleteMode#MARK}, the tombstone; both with the same headers. */
    private List<Mapped> deletion(ObjectSchema schema, String recordId, String syncKey, Headers h, String version,
                                  java.util.Date modifiedAt) {
        Struct key = schema.key(syncKey);
        Struct marker = new Struct(schema.deleteMarkerSchema())
                .put(ObjectSchema.ID_COLUMN, recordId)
                .put(ObjectSchema.VERSION_COLUMN, version)
                .put(ObjectSchema.MODIFIED_AT_COLUMN, modifiedAt)
                .put(ObjectSchema.FIELDS_COLUMN, "")
                .put(ObjectSchema.DELETED_COLUMN, Boolean.TRUE);
        Mapped markerRecord = new Mapped(recordId, key, schema.deleteMarkerSchema(), marker, h);
        if (deleteMode == DeleteMode.MARK) {
            return List.of(markerRecord);
        }
        return List.of(markerRecord, new Mapped(recordId, key, null, null, h.duplicate()));
    }

    private static java.util.Date modstampOf(ObjectSchema schema, Struct value) {
        ObjectSchema.Column c = schema.modstampColumn();
        return c == null ? null : (java.util.Date) value.get(c.columnName());
    }

    /**
     * {@code query:<epoch ms>:<random hex>}: two reads of the same unchanged row differ too, so the SMT still sees
     * each as a write of the sync (it compares the before and after values of this column).
     */
    static String queryVersion(java.util.Date modstamp) {
        return "query:" + (modstamp == null ? 0L : modstamp.getTime()) + ":"
                + Long.toHexString(ThreadLocalRandom.current().nextLong());
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
        String version = "cdc:" + event.replayId();
        java.util.Date commit = header.commitTimestamp() == null ? null
                : java.util.Date.from(header.commitTimestamp());
        boolean echo = isEcho(header.changeOrigin());
        List<Mapped> out = new ArrayList<>(header.recordIds().size());
        for (String id : header.recordIds()) {
            String key = syncKeys.getOrDefault(id, id);
            Headers h = headers(event);
            h.addString(H_RECORD_ID, id);
            if (type == ChangeType.DELETE) {
                if (echo) {
                    out.add(new Mapped(id, schema.key(key), null, null, h));
                } else {
                    out.addAll(deletion(schema, id, key, h, version, commit));
                }
                continue;
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
                ObjectSchema.Partial partial = schema.partialSchema(known);
                Struct value = new Struct(partial.schema());
                for (String n : known) {
                    ObjectSchema.Column c = schema.column(n);
                    Object raw = n.equals("id") ? id : valueOf(fields, c.fieldName());
                    value.put(c.columnName(), ObjectSchema.convert(c, raw));
                }
                value.put(ObjectSchema.VERSION_COLUMN, version);
                value.put(ObjectSchema.MODIFIED_AT_COLUMN, commit);
                value.put(ObjectSchema.FIELDS_COLUMN, partial.fields());
                out.add(new Mapped(id, schema.key(key), partial.schema(), value, h));
                continue;
            }
            Struct value = new Struct(schema.valueSchema());
            for (ObjectSchema.Column c : schema.columns()) {
                Object raw = c.columnName().equals(ObjectSchema.ID_COLUMN) ? id : valueOf(fields, c.fieldName());
                value.put(c.columnName(), ObjectSchema.convert(c, raw));
            }
            value.put(ObjectSchema.VERSION_COLUMN, version);
            value.put(ObjectSchema.MODIFIED_AT_COLUMN, commit);
            value.put(ObjectSchema.FIELDS_COLUMN, ObjectSchema.ALL_FIELDS);
            value.put(ObjectSchema.DELETED_COLUMN, Boolean.FALSE);
            out.add(new Mapped(id, schema.key(key), schema.valueSchema(), value, h));
        }
        return out;
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
