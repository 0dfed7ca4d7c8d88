package io.sfsync.source.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.salesforce.metadata.FieldDescribe;
import io.sfsync.salesforce.metadata.SObjectDescribe;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The Connect schemas of one Salesforce object, derived from its describe.
 *
 * <p><b>Columns.</b> One optional field per synced Salesforce field, named by its API name in lower case
 * ({@code billingcity}, {@code annual_revenue__c}); the Id is {@code sfid}. Compound fields (addresses,
 * geolocations) are not columns: their components are. Types: {@code boolean} → BOOLEAN; {@code int} → INT32;
 * {@code long} → INT64; {@code currency}, {@code percent} and {@code double} with a declared scale → {@link Decimal}
 * with that scale (and {@code connect.decimal.precision}), never through a double; a {@code double} without
 * precision → FLOAT64; {@code date} → {@link Date}; {@code datetime} → {@link Timestamp} (millisecond precision, as
 * Salesforce stores it); everything else (text, picklists, multi-select picklists as {@code A;B}, references,
 * time) → STRING.
 *
 * <p><b>Key.</b> A struct with one string field, {@link #keyColumn()}: the <em>sync key</em>. It is the value of
 * the object's external ID field (configured, default {@code External_Id__c}) when the object has that field and the
 * record's value is set, and the Salesforce Id otherwise. A row first created in Postgres carries its key into that
 * External ID field, so its CDC echo lands on the same row instead of a duplicate.
 */
public final class ObjectSchema {

    public static final String ID_COLUMN = "sfid";
    /**
     * Marker columns of the loop contract (docs/LOOP.md). Fixed names: the Postgres-side SMT reads them, and
     * Salesforce API names cannot start with an underscore, so they never collide with a field's column.
     */
    public static final String VERSION_COLUMN = "_sync_version";
    public static final String MODIFIED_AT_COLUMN = "_sync_modified_at";
    public static final String FIELDS_COLUMN = "_sync_fields";
    public static final String DELETED_COLUMN = "_sync_deleted";
    /** {@link #FIELDS_COLUMN} of a full row. */
    public static final String ALL_FIELDS = "*";
    private static final Schema MODIFIED_AT_SCHEMA = Timestamp.builder().optional().build();
    public static final String PRECISION_PARAMETER = "connect.decimal.precision";
    private static final Pattern OFFSET_WITHOUT_COLON = Pattern.compile("([+-]\\d{2})(\\d{2})$");

    /** One column: the Salesforce field, its column name and Connect schema. */
    public record Column(String fieldName, String columnName, FieldDescribe field, Schema schema) {
    }

    /**
     * The schema of an UPDATE that sets some columns, and the {@link #FIELDS_COLUMN} value naming them; built once
     * per set of columns so that converters (which cache by schema) see the same instance again.
     */
    public record Partial(Schema schema, String fields) {
    }

    private final String object;
    private final String keyColumn;
    private final String externalIdField;
    private final Map<String, Column> byField;
    private final List<Column> columns;
    private final List<String> rowKeys;
    private final Schema keySchema;
    private final Schema valueSchema;
    private final Set<String> describedFields;
    private final Schema deleteMarkerSchema;
    private final Map<Set<String>, Partial> partialSchemas = new ConcurrentHashMap<>();

    private ObjectSchema(String object, String keyColumn, String externalIdField, Map<String, Column> byField,
                         Set<String> describedFields, String schemaNamePrefix) {
        this.object = object;
        this.describedFields = describedFields;
        this.keyColumn = keyColumn;
        this.externalIdField = externalIdField;
        this.byField = byField;
        this.columns = List.copyOf(byField.values());
        this.rowKeys = List.copyOf(byField.keySet());
        this.keySchema = SchemaBuilder.struct().name(schemaNamePrefix + ".Key")
                .field(keyColumn, Schema.STRING_SCHEMA).build();
        SchemaBuilder value = SchemaBuilder.struct().name(schemaNamePrefix + ".Value").optional();
        byField.values().forEach(c -> value.field(c.columnName(), c.schema()));
        this.valueSchema = withMarkers(value, true).build();
        this.deleteMarkerSchema = withMarkers(SchemaBuilder.struct().name(schemaNamePrefix + ".DeleteMarker")
                .optional().field(ID_COLUMN, Schema.OPTIONAL_STRING_SCHEMA), true).build();
    }

    private static SchemaBuilder withMarkers(SchemaBuilder b, boolean deleted) {
        b.field(VERSION_COLUMN, Schema.OPTIONAL_STRING_SCHEMA)
                .field(MODIFIED_AT_COLUMN, MODIFIED_AT_SCHEMA)
                .field(FIELDS_COLUMN, Schema.OPTIONAL_STRING_SCHEMA);
        return deleted ? b.field(DELETED_COLUMN, Schema.OPTIONAL_BOOLEAN_SCHEMA) : b;
    }

    /**
     * @param include          fields to sync (case-insensitive); empty: all. Id, the external id field and
     *                         SystemModstamp are always included
     * @param exclude          fields never synced
     * @param externalIdField  the sync key's external ID field; ignored when the object lacks it
     * @param keyColumn        name of the key's one field
     */
    public static ObjectSchema of(SObjectDescribe describe, Set<String> include, Set<String> exclude,
                                  String externalIdField, String keyColumn, String topic) {
        Set<String> inc = lower(include);
        Set<String> exc = lower(exclude);
        String ext = describe.field(externalIdField).filter(FieldDescribe::externalId).map(FieldDescribe::name)
                .orElse(null);
        Map<String, Column> cols = new LinkedHashMap<>();
        for (FieldDescribe f : describe.fields()) {
            String lower = f.name().toLowerCase(Locale.ROOT);
            boolean always = lower.equals("id") || lower.equals("systemmodstamp")
                    || (ext != null && lower.equals(ext.toLowerCase(Locale.ROOT)));
            if (f.compound() || f.deprecatedAndHidden()) {
                continue;
            }
            if (!always && (exc.contains(lower) || (!inc.isEmpty() && !inc.contains(lower)))) {
                continue;
            }
            String column = lower.equals("id") ? ID_COLUMN : lower;
            if (column.equals(keyColumn) || column.startsWith("_sync_")) {
                throw new DataException("field " + describe.name() + "." + f.name() + " has the same column name as"
                        + " the sync key column '" + keyColumn + "'");
            }
            cols.put(lower, new Column(f.name(), column, f, schemaOf(f)));
        }
        if (keyColumn.startsWith("_sync_")) {
            throw new DataException("the sync key column '" + keyColumn + "' uses the prefix _sync_ of the marker"
                    + " columns");
        }
        Set<String> described = new java.util.HashSet<>(lower(Set.copyOf(describe.fieldNames())));
        return new ObjectSchema(describe.name(), keyColumn, ext, cols, described, topic);
    }

    static Schema schemaOf(FieldDescribe f) {
        String type = f.type() == null ? "string" : f.type().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "boolean" -> Schema.OPTIONAL_BOOLEAN_SCHEMA;
            case "int" -> Schema.OPTIONAL_INT32_SCHEMA;
            case "long" -> Schema.OPTIONAL_INT64_SCHEMA;
            case "currency", "percent", "double" -> {
                if (type.equals("double") && f.precision() == 0 && f.scale() == 0) {
                    yield Schema.OPTIONAL_FLOAT64_SCHEMA;
                }
                SchemaBuilder b = Decimal.builder(Math.max(0, f.scale())).optional();
                if (f.precision() > 0) {
                    b.parameter(PRECISION_PARAMETER, Integer.toString(f.precision()));
                }
                yield b.build();
            }
            case "date" -> Date.builder().optional().build();
            case "datetime" -> Timestamp.builder().optional().build();
            default -> Schema.OPTIONAL_STRING_SCHEMA;
        };
    }

    public String object() {
        return object;
    }

    public String keyColumn() {
        return keyColumn;
    }

    /** The external ID field used for the sync key, or null when the object has none. */
    public String externalIdField() {
        return externalIdField;
    }

    public Schema keySchema() {
        return keySchema;
    }

    public Schema valueSchema() {
        return valueSchema;
    }

    /** Schema of a delete marker: {@code sfid} and the marker columns (see docs/LOOP.md). */
    public Schema deleteMarkerSchema() {
        return deleteMarkerSchema;
    }

    /** The column holding {@code SystemModstamp}, or null when the object has none. */
    public Column modstampColumn() {
        return byField.get("systemmodstamp");
    }

    public List<Column> columns() {
        return columns;
    }

    /**
     * The key of each of {@link #columns()} (same order) in a row read by query: the lower-case field name, computed
     * once rather than per row and column.
     */
    public List<String> rowKeys() {
        return rowKeys;
    }

    /** The column of a Salesforce field name (any case), or null if it is not synced or unknown. */
    public Column column(String fieldName) {
        return byField.get(fieldName.toLowerCase(Locale.ROOT));
    }

    /** The SOQL field list of a full row. */
    public List<String> soqlFields() {
        return byField.values().stream().map(Column::fieldName).toList();
    }

    public Struct key(String syncKey) {
        return new Struct(keySchema).put(keyColumn, syncKey);
    }

    /**
     * A schema with only the given columns (in describe order) plus the markers other than {@link #DELETED_COLUMN},
     * for UPDATE records: the Debezium JDBC sink writes only the columns a record's schema has, so the other columns
     * of the row are left untouched. Cached per set of columns.
     */
    public Partial partialSchema(Set<String> fieldNamesLowerCase) {
        Set<String> sorted = new TreeSet<>(fieldNamesLowerCase);
        return partialSchemas.computeIfAbsent(sorted, s -> {
            SchemaBuilder b = SchemaBuilder.struct().optional();
            List<String> named = new ArrayList<>();
            for (Map.Entry<String, Column> e : byField.entrySet()) {
                if (s.contains(e.getKey())) {
                    String column = e.getValue().columnName();
                    b.field(column, e.getValue().schema());
                    if (!column.equals(ID_COLUMN)) {
                        named.add(column);
                    }
                }
            }
            return new Partial(withMarkers(b, false).build(), String.join(",", named));
        });
    }

    /** Converts a value from a query row (JsonNode), a Bulk CSV cell (String) or a change event (Java value). */
    public static Object convert(Column c, Object raw) {
        Object v = raw instanceof JsonNode n ? fromJson(n) : raw;
        if (v == null) {
            return null;
        }
        Schema s = c.schema();
        try {
            if (Decimal.LOGICAL_NAME.equals(s.name())) {
                int scale = Integer.parseInt(s.parameters().get(Decimal.SCALE_FIELD));
                BigDecimal d = v instanceof BigDecimal b ? b : new BigDecimal(v.toString().trim());
                return d.setScale(scale, RoundingMode.HALF_EVEN);
            }
            if (Date.LOGICAL_NAME.equals(s.name())) {
                String t = v.toString();
                LocalDate day = LocalDate.parse(t.length() > 10 ? t.substring(0, 10) : t);
                return new java.util.Date(day.toEpochDay() * 86_400_000L);
            }
            if (Timestamp.LOGICAL_NAME.equals(s.name())) {
                if (v instanceof Number n) {
                    return new java.util.Date(n.longValue());
                }
                String text = v.toString().trim();
                java.util.Date wire = wireDateTime(text);
                if (wire != null) {
                    return wire;
                }
                String t = OFFSET_WITHOUT_COLON.matcher(text).replaceFirst("$1:$2");
                return java.util.Date.from(OffsetDateTime.parse(t).toInstant());
            }
            return switch (s.type()) {
                case BOOLEAN -> v instanceof Boolean b ? b : Boolean.valueOf(v.toString().trim());
                case INT32 -> v instanceof Number n ? n.intValue() : Integer.valueOf(v.toString().trim());
                case INT64 -> v instanceof Number n ? n.longValue() : Long.valueOf(v.toString().trim());
                case FLOAT64 -> v instanceof Number n ? n.doubleValue() : Double.valueOf(v.toString().trim());
                default -> v instanceof String str ? str : v.toString();
            };
        } catch (RuntimeException e) {
            // No value in the message: it is customer data.
            throw new DataException("cannot convert " + c.fieldName() + " (" + c.field().type() + ") to "
                    + s.type(), e);
        }
    }

    /**
     * The two shapes Salesforce sends every datetime in, {@code 2026-11-22T05:53:45.000+0000} (REST, events) and
     * {@code 2026-11-22T05:53:45.000Z} (Bulk CSV), read by position; null for any other shape (the general parser
     * then reads it). The profile of a snapshot put {@code OffsetDateTime.parse} (and the regex that adds the offset's
     * colon) at half of the cost of building a record.
     */
    static java.util.Date wireDateTime(String t) {
        int len = t.length();
        boolean zulu = len == 24 && t.charAt(23) == 'Z';
        boolean offset = len == 28 && (t.charAt(23) == '+' || t.charAt(23) == '-');
        if (!(zulu || offset) || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(19) != '.') {
            return null;
        }
        try {
            java.time.LocalDateTime local = java.time.LocalDateTime.of(digits(t, 0, 4), digits(t, 5, 7),
                    digits(t, 8, 10), digits(t, 11, 13), digits(t, 14, 16), digits(t, 17, 19),
                    digits(t, 20, 23) * 1_000_000);
            int seconds = zulu ? 0 : (t.charAt(23) == '-' ? -1 : 1)
                    * (digits(t, 24, 26) * 3600 + digits(t, 26, 28) * 60);
            return new java.util.Date(local.toInstant(java.time.ZoneOffset.ofTotalSeconds(seconds)).toEpochMilli());
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static int digits(String t, int from, int to) {
        for (int i = from; i < to; i++) {
            char ch = t.charAt(i);
            if (ch < '0' || ch > '9') {
                throw new NumberFormatException("not a digit at " + i);
            }
        }
        return Integer.parseInt(t, from, to, 10);
    }

    private static Object fromJson(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isBigDecimal() || n.isDouble() || n.isFloat()) {
            return n.decimalValue();
        }
        if (n.isNumber()) {
            return n.numberValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        return n.toString();
    }

    private static Set<String> lower(Set<String> names) {
        Set<String> out = new java.util.HashSet<>();
        names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
        return out;
    }

    /** Field names of an event that the describe behind this schema does not list (a field added since). */
    public List<String> unknownFields(Collection<String> flattenedFieldNames) {
        List<String> out = new ArrayList<>();
        for (String f : flattenedFieldNames) {
            if (!describedFields.contains(f.toLowerCase(Locale.ROOT))) {
                out.add(f);
            }
        }
        return out;
    }
}
