package io.sfsync.emulator.rest;

import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.WireValues;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A record in REST JSON: {@code attributes} first, then fields in describe order, nulls included. */
public final class RecordJson {

    private RecordJson() {
    }

    public static Map<String, Object> attributes(SObjectType type, String id, String apiVersion) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", type.name());
        a.put("url", "/services/data/v" + apiVersion + "/sobjects/" + type.name() + "/" + id);
        return a;
    }

    /** Every field, or only {@code fields} when given (already canonical names). */
    public static Map<String, Object> of(StoredRecord r, Collection<FieldDef> fields, String apiVersion) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", attributes(r.type(), r.id(), apiVersion));
        for (FieldDef f : fields == null ? r.type().fields() : fields) {
            out.put(f.name(), value(r, f));
        }
        return out;
    }

    /** A field's REST value; address compounds are objects with lower-case component keys, or null. */
    public static Object value(StoredRecord r, FieldDef f) {
        if (f.type() == FieldType.ADDRESS || f.type() == FieldType.LOCATION) {
            List<FieldDef> parts = r.type().componentsOf(f.name());
            Map<String, Object> compound = new LinkedHashMap<>();
            boolean any = false;
            for (FieldDef part : parts) {
                String key = SObjectType.componentKey(f.name(), part.name());
                Object v = WireValues.toJson(part.type(), r.get(part.name()));
                any |= v != null;
                compound.put(Character.toLowerCase(key.charAt(0)) + key.substring(1), v);
            }
            return any ? new java.util.TreeMap<>(compound) : null;
        }
        return WireValues.toJson(f.type(), r.get(f.name()));
    }
}
