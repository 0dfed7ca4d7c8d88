package io.sfsync.emulator.data;

import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.SObjectType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of one record: its stored field values keyed by canonical field name, in the in-memory
 * value convention of {@link io.sfsync.emulator.model.FieldType}. Writers replace snapshots; readers never lock.
 *
 * <p>{@link #get(String)} also answers formula fields (computed from the stored values) so every reader, REST,
 * SOQL, Bulk or CDC, sees formulas the same way.
 */
public final class StoredRecord {

    private final SObjectType type;
    private final String id;
    private final Map<String, Object> values;
    private final boolean deleted;

    public StoredRecord(SObjectType type, String id, Map<String, Object> values, boolean deleted) {
        this.type = type;
        this.id = id;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.deleted = deleted;
    }

    public SObjectType type() { return type; }
    public String id() { return id; }
    public boolean deleted() { return deleted; }

    /** Stored values only (no formulas), keyed by canonical field name. Null values may be absent. */
    public Map<String, Object> storedValues() {
        return values;
    }

    /**
     * The value of a field by canonical or any-case name: stored value, computed formula, Id and IsDeleted.
     * Returns null for null values, unknown fields and compound fields (use the components).
     */
    public Object get(String anyCaseFieldName) {
        Optional<FieldDef> field = type.field(anyCaseFieldName);
        if (field.isEmpty()) {
            return null;
        }
        FieldDef f = field.get();
        if (f.name().equals("Id")) {
            return id;
        }
        if (f.name().equals("IsDeleted")) {
            return deleted;
        }
        if (f.calculated()) {
            return f.formula().apply(values);
        }
        return values.get(f.name());
    }

    /** A copy with other stored values. */
    public StoredRecord withValues(Map<String, Object> newValues) {
        return new StoredRecord(type, id, newValues, deleted);
    }

    public StoredRecord withDeleted(boolean isDeleted) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.put("IsDeleted", isDeleted);
        return new StoredRecord(type, id, v, isDeleted);
    }

    @Override
    public String toString() {
        // Field values are customer data; keep them out of logs.
        return type.name() + "(" + id + (deleted ? ", deleted" : "") + ")";
    }
}
