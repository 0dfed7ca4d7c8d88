package io.sfsync.emulator.soql;

import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.SObjectType;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One record of the queried object while a query runs, with its parents looked up once each. */
final class Row {

    private final StoredRecord record;
    private final Execution execution;
    private final Map<String, Optional<StoredRecord>> parents = new HashMap<>();

    Row(StoredRecord record, Execution execution) {
        this.record = record;
        this.execution = execution;
    }

    StoredRecord record() {
        return record;
    }

    Execution execution() {
        return execution;
    }

    /** The value at the end of a resolved path; null when a lookup on the way is empty (as Salesforce compares it). */
    Object value(ResolvedField field) {
        StoredRecord owner = recordAt(field, field.relationships().size());
        return owner == null ? null : fieldValue(owner, field.field());
    }

    /** The record reached after following the first {@code depth} relationships of the path, or null. */
    StoredRecord recordAt(ResolvedField field, int depth) {
        if (depth == 0) {
            return record;
        }
        String key = field.relationshipKey(depth);
        Optional<StoredRecord> cached = parents.get(key);
        if (cached == null) {
            StoredRecord child = recordAt(field, depth - 1);
            FieldDef lookup = field.relationships().get(depth - 1);
            cached = Optional.ofNullable(child == null ? null : execution.lookup(child.get(lookup.name())));
            parents.put(key, cached);
        }
        return cached.orElse(null);
    }

    /**
     * A field's value in the in-memory convention. Compound address and location fields are assembled from their
     * components into the map Salesforce returns ({@code city}, {@code country}, ... in alphabetical order), or null
     * when every component is null.
     */
    static Object fieldValue(StoredRecord record, FieldDef field) {
        if (!field.type().isCompound()) {
            return record.get(field.name());
        }
        List<FieldDef> components = record.type().componentsOf(field.name());
        Map<String, Object> value = new TreeMap<>();
        boolean any = false;
        for (FieldDef component : components) {
            String key = SObjectType.componentKey(field.name(), component.name());
            key = key.substring(0, 1).toLowerCase(Locale.ROOT) + key.substring(1);
            Object v = record.get(component.name());
            any |= v != null;
            value.put(key, v);
        }
        return any ? value : null;
    }
}
