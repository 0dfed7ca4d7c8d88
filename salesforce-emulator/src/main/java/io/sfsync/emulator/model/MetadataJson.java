package io.sfsync.emulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Custom objects and custom fields from a JSON metadata file, the emulator's stand-in for deploying metadata:
 *
 * <pre>{@code
 * {
 *   "objects": [
 *     {"name": "Invoice__c", "label": "Invoice", "labelPlural": "Invoices",
 *      "fields": [ {"name": "Amount__c", "type": "currency", "precision": 16, "scale": 2} ]}
 *   ],
 *   "fields": {
 *     "Account": [ {"name": "External_Id__c", "type": "string", "length": 64, "externalId": true, "unique": true} ]
 *   }
 * }
 * }</pre>
 *
 * A field accepts: {@code name} (must end in {@code __c}), {@code type} (describe type name), {@code label},
 * {@code length}, {@code precision}/{@code scale}, {@code digits}, {@code required}, {@code externalId},
 * {@code unique}, {@code caseSensitive}, {@code picklistValues} (array of strings), {@code restrictedPicklist},
 * {@code referenceTo} and {@code relationshipName}, {@code defaultValue}, {@code inlineHelpText}.
 */
public final class MetadataJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MetadataJson() {
    }

    public static void load(InputStream in, Schema schema, Instant when) throws IOException {
        load(MAPPER.readTree(in), schema, when);
    }

    public static void load(JsonNode root, Schema schema, Instant when) {
        for (JsonNode o : root.path("objects")) {
            schema.add(customObject(o, schema, when));
        }
        root.path("fields").fields().forEachRemaining(e -> {
            SObjectType type = schema.find(e.getKey())
                    .orElseThrow(() -> new IllegalArgumentException("metadata names unknown object " + e.getKey()));
            for (JsonNode f : e.getValue()) {
                type.putField(field(f), when);
            }
        });
    }

    public static SObjectType customObject(JsonNode o, Schema schema, Instant when) {
        String name = text(o, "name");
        if (!name.endsWith("__c")) {
            throw new IllegalArgumentException("custom object names end in __c: " + name);
        }
        String label = o.path("label").asText(name.substring(0, name.length() - 3).replace('_', ' '));
        List<FieldDef> fields = new ArrayList<>(StandardObjects.systemFields(true));
        fields.add(FieldDef.builder("Name", FieldType.STRING).label(label + " Name").length(80).nameField(true)
                .idLookup(true).defaultedOnCreate(true).build());
        for (JsonNode f : o.path("fields")) {
            fields.add(field(f));
        }
        return new SObjectType(name, label, o.path("labelPlural").asText(label), schema.allocateCustomPrefix(),
                true, fields, when);
    }

    public static FieldDef field(JsonNode f) {
        String name = text(f, "name");
        if (!name.endsWith("__c")) {
            throw new IllegalArgumentException("custom field names end in __c: " + name);
        }
        FieldType type = FieldType.fromApiName(f.path("type").asText("string"));
        FieldDef.Builder b = FieldDef.builder(name, type).custom(true)
                .label(f.path("label").asText(name.substring(0, name.length() - 3).replace('_', ' ')));
        if (f.has("length")) {
            b.length(f.get("length").asInt());
        }
        if (f.has("precision")) {
            b.precision(f.get("precision").asInt(), f.path("scale").asInt(0));
        }
        if (f.has("digits")) {
            b.digits(f.get("digits").asInt());
        }
        if (f.path("required").asBoolean(false)) {
            b.required();
        }
        b.externalId(f.path("externalId").asBoolean(false));
        b.unique(f.path("unique").asBoolean(false));
        b.caseSensitive(f.path("caseSensitive").asBoolean(false));
        if (f.has("picklistValues")) {
            List<String> values = new ArrayList<>();
            f.get("picklistValues").forEach(v -> values.add(v.asText()));
            b.picklist(f.path("restrictedPicklist").asBoolean(false), values.toArray(String[]::new));
        }
        if (type == FieldType.REFERENCE) {
            String target = text(f, "referenceTo");
            b.referenceTo(f.path("relationshipName").asText(name.substring(0, name.length() - 3) + "__r"), target);
        }
        if (f.has("defaultValue") && !f.get("defaultValue").isNull()) {
            JsonNode d = f.get("defaultValue");
            b.defaultValue(d.isBoolean() ? (Object) d.booleanValue()
                    : d.isNumber() ? (Object) new BigDecimal(d.asText()) : d.asText());
        }
        if (f.has("inlineHelpText")) {
            b.inlineHelpText(f.get("inlineHelpText").asText());
        }
        return b.build();
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.asText().isBlank()) {
            throw new IllegalArgumentException("metadata entry needs '" + key + "': " + n);
        }
        return v.asText().trim();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
