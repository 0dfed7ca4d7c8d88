package io.sfsync.emulator.control;

import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.data.WriteContext;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.MetadataJson;
import io.sfsync.emulator.model.SObjectType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * Metadata changes at runtime, as an admin makes them in Setup while integrations keep running: custom fields
 * added and removed, custom objects added. Each change runs under the org's write lock, so no write is
 * half-validated against the old field list, and drops the type's indexes so they are rebuilt for the new one.
 */
final class SchemaControl {

    private final Org org;
    private final WriteContext ui;
    private final RecordControl records;

    SchemaControl(Org org, WriteContext ui, RecordControl records) {
        this.org = org;
        this.ui = ui;
        this.records = records;
    }

    /**
     * Adds a custom field, or replaces a custom field of the same name and type (new length, picklist values,
     * label...). Answers whether it was created.
     */
    Map<String, Object> addField(String object, JsonBody body) {
        SObjectType t = records.type(object);
        FieldDef f = parseField(body);
        checkReference(f);
        boolean created = org.write(ui, tx -> {
            FieldDef existing = t.field(f.name()).orElse(null);
            if (existing != null && !existing.custom()) {
                throw ControlException.badRequest(t.name() + "." + existing.name() + " is a standard field");
            }
            if (existing != null && existing.type() != f.type()) {
                throw ControlException.badRequest(t.name() + "." + existing.name() + " already exists with type "
                        + existing.type().apiName() + "; remove it first to change its type to " + f.type().apiName());
            }
            t.putField(f, org.clock().instant());
            org.dropIndexes(t);
            return existing == null;
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", t.name());
        out.put("field", f.name());
        out.put("type", f.type().apiName());
        out.put("created", created);
        return out;
    }

    /** Removes a custom field and its stored values (a field created again later starts empty). */
    Map<String, Object> removeField(String object, String fieldName) {
        SObjectType t = records.type(object);
        int purged = org.write(ui, tx -> {
            FieldDef f = t.field(fieldName).orElseThrow(() ->
                    ControlException.notFound("no field '" + fieldName + "' on " + t.name()));
            if (!f.custom()) {
                throw ControlException.badRequest("only custom fields can be removed; " + t.name() + "." + f.name()
                        + " is a standard field");
            }
            if (f.compoundFieldName() != null) {
                throw ControlException.badRequest(t.name() + "." + f.name() + " is a component of "
                        + f.compoundFieldName() + "; remove that field instead");
            }
            List<String> removed = new ArrayList<>();
            removed.add(f.name());
            t.componentsOf(f.name()).forEach(c -> removed.add(c.name()));
            Instant now = org.clock().instant();
            for (String name : removed) {
                t.removeField(name, now);
            }
            org.dropIndexes(t);
            return org.purgeFieldValues(t, removed);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", t.name());
        out.put("field", fieldName);
        out.put("recordsPurged", purged);
        return out;
    }

    /** Adds a custom object (as {@link MetadataJson#customObject} reads it) and selects it for Change Data Capture. */
    Map<String, Object> addObject(JsonBody body) {
        SObjectType type;
        try {
            type = MetadataJson.customObject(body.node(), org.schema(), org.clock().instant());
        } catch (IllegalArgumentException e) {
            throw ControlException.badRequest(e.getMessage());
        }
        for (FieldDef f : type.fields()) {
            checkReference(f);
        }
        org.write(ui, tx -> {
            try {
                org.schema().add(type);
            } catch (IllegalArgumentException e) {
                throw ControlException.badRequest(e.getMessage());
            }
            org.enableChangeEvents(type.name(), true);
            org.dropIndexes(type);
            return null;
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", type.name());
        out.put("keyPrefix", type.keyPrefix());
        out.put("changeEvents", true);
        return out;
    }

    private static FieldDef parseField(JsonBody body) {
        try {
            return MetadataJson.field(body.node());
        } catch (IllegalArgumentException e) {
            throw ControlException.badRequest(e.getMessage());
        } catch (RuntimeException e) {
            throw ControlException.badRequest("invalid field definition: " + e);
        }
    }

    private void checkReference(FieldDef f) {
        if (f.type() == FieldType.REFERENCE) {
            for (String target : f.referenceTo()) {
                if (org.schema().find(target).isEmpty()) {
                    throw ControlException.badRequest("field " + f.name() + " references unknown object '" + target
                            + "'");
                }
            }
        }
    }

    // ---- stored value purge

}
