package io.sfsync.emulator.soql;

import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.model.FieldDef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Builds a result row in the REST query shape:
 *
 * <pre>
 * {"attributes": {"type": "Contact", "url": "/services/data/v63.0/sobjects/Contact/003..."},
 *  "LastName": "Lee",
 *  "Account": {"attributes": {...}, "Name": "Acme"}}
 * </pre>
 *
 * Fields come in SELECT order under their describe spelling; the fields of one relationship share one nested
 * object, placed where the relationship first appears; an empty lookup renders as {@code null}.
 */
final class RecordRenderer {

    private final String apiVersion;
    private final BiFunction<FieldDef, Object, Object> values;

    /**
     * @param apiVersion the API version of the request, {@code 63.0} (a leading {@code v} is accepted)
     * @param values     turns a field's in-memory value into the value to put in the map
     */
    RecordRenderer(String apiVersion, BiFunction<FieldDef, Object, Object> values) {
        this.apiVersion = apiVersion.startsWith("v") ? apiVersion.substring(1) : apiVersion;
        this.values = values;
    }

    Map<String, Object> render(Row row, List<ResolvedField> columns) {
        Map<String, Object> top = withAttributes(row.record());
        for (ResolvedField column : columns) {
            Map<String, Object> target = top;
            boolean reachable = true;
            for (int depth = 1; depth <= column.relationships().size(); depth++) {
                String key = column.relationships().get(depth - 1).relationshipName();
                if (!target.containsKey(key)) {
                    StoredRecord parent = row.recordAt(column, depth);
                    target.put(key, parent == null ? null : withAttributes(parent));
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) target.get(key);
                if (nested == null) {
                    reachable = false;
                    break;
                }
                target = nested;
            }
            if (reachable) {
                FieldDef field = column.field();
                target.put(field.name(), values.apply(field, row.value(column)));
            }
        }
        return top;
    }

    private Map<String, Object> withAttributes(StoredRecord record) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", record.type().name());
        attributes.put("url", "/services/data/v" + apiVersion + "/sobjects/" + record.type().name() + "/"
                + record.id());
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("attributes", attributes);
        return map;
    }
}
