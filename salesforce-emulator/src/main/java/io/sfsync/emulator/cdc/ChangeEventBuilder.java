package io.sfsync.emulator.cdc;

import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.data.WriteContext;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.WireValues;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds the change events of one committed transaction, the way Salesforce's CDC shapes them:
 *
 * <ul>
 *   <li>CREATE and UNDELETE carry every non-null field; UPDATE carries the changed fields plus LastModifiedDate,
 *   with fields set to null present as null and listed in {@code nulledFields}; DELETE carries only the
 *   header.</li>
 *   <li>SystemModstamp, IsDeleted and formula fields are never in the body.</li>
 *   <li>Compound fields are nested: {@code "BillingAddress":{"City":..}}, {@code "Name":{"FirstName":..}};
 *   changedFields names their parts as {@code BillingAddress.City}.</li>
 *   <li>Records of one type that got the same change in the transaction share one event with several
 *   {@code recordIds}.</li>
 * </ul>
 */
public final class ChangeEventBuilder {

    private final Instant commitTime;
    private final WriteContext ctx;
    private final long commitNumber;
    private final String transactionKey;
    /**
     * One event per distinct change, in the order of the first record that made it (LinkedHashMap keeps insertion
     * order): a record whose change equals an earlier one joins that event in one hash lookup, instead of being
     * compared with every earlier event, which was quadratic in the records of a 200-record Collections call.
     */
    private final Map<Change, List<String>> recordIdsByChange = new LinkedHashMap<>();
    /**
     * Schema ids computed in this commit, per type, with the field list they were computed from. SObjectType
     * replaces its field list (copy-on-write) whenever a field is added or removed, so an identical list instance
     * means an identical field set; a new list means the id must be computed again.
     */
    private final Map<SObjectType, SchemaIdOfFields> schemaIds = new HashMap<>();

    /**
     * Everything that decides whether two records' changes share one event: the type (by identity, as
     * SObjectType does not override equals), the change type, the body and the changed and nulled field lists.
     * Immutable once built, so it can be a hash key.
     */
    private record Change(SObjectType type, String changeType, Map<String, Object> body, List<String> changedFields,
                          List<String> nulledFields) {
    }

    private record SchemaIdOfFields(List<FieldDef> fields, String schemaId) {
    }

    public ChangeEventBuilder(Instant commitTime, WriteContext ctx, long commitNumber) {
        this.commitTime = commitTime;
        this.ctx = ctx;
        this.commitNumber = commitNumber;
        this.transactionKey = transactionKey();
    }

    /** Adds the net change of one record: {@code before} is null for a record created in this transaction. */
    public void add(StoredRecord before, StoredRecord after) {
        Change change;
        if (before == null) {
            if (after.deleted()) {
                return; // created and deleted in the same transaction
            }
            change = new Change(after.type(), "CREATE", fullBody(after), List.of(), List.of());
        } else if (!before.deleted() && after.deleted()) {
            change = new Change(after.type(), "DELETE", Map.of(), List.of(), List.of());
        } else if (before.deleted() && !after.deleted()) {
            change = new Change(after.type(), "UNDELETE", fullBody(after), List.of(), List.of());
        } else if (!after.deleted()) {
            change = updateChange(before, after);
        } else {
            return;
        }
        recordIdsByChange.computeIfAbsent(change, c -> new ArrayList<>()).add(after.id());
    }

    /** The events, in the order their first record changed, with sequence numbers from 1. */
    public List<ChangeEventLog.Pending> build() {
        List<ChangeEventLog.Pending> out = new ArrayList<>();
        int sequence = 0;
        for (Map.Entry<Change, List<String>> e : recordIdsByChange.entrySet()) {
            Change d = e.getKey();
            List<String> recordIds = List.copyOf(e.getValue());
            sequence++;
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("entityName", d.type.name());
            header.put("recordIds", recordIds);
            header.put("changeType", d.changeType);
            header.put("changeOrigin", ctx.origin().header());
            header.put("transactionKey", transactionKey);
            header.put("sequenceNumber", sequence);
            header.put("commitTimestamp", commitTime.toEpochMilli());
            header.put("commitNumber", commitNumber);
            header.put("commitUser", ctx.userId());
            header.put("nulledFields", d.nulledFields);
            header.put("diffFields", List.of());
            header.put("changedFields", d.changedFields);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("ChangeEventHeader", header);
            payload.putAll(d.body);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("schema", schemaIdInThisCommit(d.type));
            data.put("payload", payload);
            out.add(new ChangeEventLog.Pending(d.type.name(), d.changeType, recordIds, commitTime, data));
        }
        return out;
    }

    /**
     * Body fields are stored ones other than Id and IsDeleted, so the builder reads them straight from the stored
     * values by canonical name: the same values {@link StoredRecord#get} returns, without its case-insensitive
     * lookup per field and record (and without computing formulas that are never in a body).
     */
    private static boolean inBody(FieldDef f) {
        return f.stored() && !f.name().equals("Id") && !f.name().equals("IsDeleted")
                && !f.name().equals("SystemModstamp");
    }

    private Map<String, Object> fullBody(StoredRecord r) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (FieldDef f : r.type().fields()) {
            if (!inBody(f)) {
                continue;
            }
            Object v = r.storedValues().get(f.name());
            if (v != null) {
                put(body, f, v);
            }
        }
        return body;
    }

    private Change updateChange(StoredRecord before, StoredRecord after) {
        Map<String, Object> body = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        List<String> nulled = new ArrayList<>();
        for (FieldDef f : after.type().fields()) {
            if (!inBody(f)) {
                continue;
            }
            Object old = before.storedValues().get(f.name());
            Object now = after.storedValues().get(f.name());
            boolean always = f.name().equals("LastModifiedDate");
            if (!always && Objects.equals(old, now)) {
                continue;
            }
            put(body, f, now);
            String path = f.compoundFieldName() == null ? f.name()
                    : f.compoundFieldName() + "." + SObjectType.componentKey(f.compoundFieldName(), f.name());
            changed.add(path);
            if (now == null) {
                nulled.add(path);
            }
        }
        return new Change(after.type(), "UPDATE", body, changed, nulled);
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> body, FieldDef f, Object value) {
        Object wire = WireValues.toCdcJson(f.type(), value);
        if (f.compoundFieldName() == null) {
            body.put(f.name(), wire);
            return;
        }
        Map<String, Object> nested = (Map<String, Object>) body.computeIfAbsent(f.compoundFieldName(),
                k -> new LinkedHashMap<>());
        nested.put(SObjectType.componentKey(f.compoundFieldName(), f.name()), wire);
    }

    /** {@link #schemaId} once per type and field set in this commit: a SHA-256 per event cost more than the rest. */
    private String schemaIdInThisCommit(SObjectType type) {
        List<FieldDef> fields = type.fields();
        SchemaIdOfFields cached = schemaIds.get(type);
        if (cached == null || cached.fields() != fields) {
            cached = new SchemaIdOfFields(fields, schemaId(type.name(), fields));
            schemaIds.put(type, cached);
        }
        return cached.schemaId();
    }

    /** A 22-character id that changes whenever the object's fields change, like the event schema id. */
    public static String schemaId(SObjectType type) {
        return schemaId(type.name(), type.fields());
    }

    private static String schemaId(String typeName, List<FieldDef> fields) {
        StringBuilder sb = new StringBuilder(typeName);
        for (FieldDef f : fields) {
            sb.append('|').append(f.name()).append(':').append(f.type().apiName());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Transaction keys look like {@code 0001284f-bf79-b4c7-c7d8-de9e3018d47b}. */
    private static String transactionKey() {
        return UUID.randomUUID().toString();
    }
}
