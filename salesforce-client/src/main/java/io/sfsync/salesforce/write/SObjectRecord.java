package io.sfsync.salesforce.write;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A record to write: its sObject type and field values by API name (null clears a field). For updates the fields
 * include {@code Id}. {@code toString()} shows the type and field names, never values.
 */
public record SObjectRecord(String type, Map<String, Object> fields) {

    public SObjectRecord {
        Objects.requireNonNull(type, "type");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(fields, "fields")));
    }

    public static SObjectRecord of(String type, Map<String, Object> fields) {
        return new SObjectRecord(type, fields);
    }

    /** The {@code Id} value, matched case-insensitively; null if absent. */
    public String id() {
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (e.getKey().equalsIgnoreCase("Id") && e.getValue() != null) {
                return String.valueOf(e.getValue());
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "SObjectRecord[" + type + " " + fields.keySet() + "]";
    }
}
