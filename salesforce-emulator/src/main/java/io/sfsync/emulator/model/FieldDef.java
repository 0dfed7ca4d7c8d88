package io.sfsync.emulator.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One field of an sObject, with the properties describe reports and the emulator enforces.
 *
 * <p>Immutable; build with {@link #builder(String, FieldType)}. A calculated (formula) field carries a Java
 * function computed at read time from the record's stored values, as Salesforce computes formulas on read.
 */
public final class FieldDef {

    /** Computes a formula field's value from the stored values of the record (keyed by field name). */
    @FunctionalInterface
    public interface Formula extends Function<Map<String, Object>, Object> {
    }

    private final String name;
    private final String label;
    private final FieldType type;
    private final int length;
    private final int precision;
    private final int scale;
    private final int digits;
    private final boolean nillable;
    private final boolean createable;
    private final boolean updateable;
    private final boolean defaultedOnCreate;
    private final boolean custom;
    private final boolean externalId;
    private final boolean unique;
    private final boolean caseSensitive;
    private final boolean idLookup;
    private final boolean nameField;
    private final boolean autoNumber;
    private final boolean restrictedPicklist;
    private final boolean htmlFormatted;
    private final boolean cascadeDelete;
    private final List<PicklistValue> picklistValues;
    private final List<String> referenceTo;
    private final String relationshipName;
    private final String compoundFieldName;
    private final Object defaultValue;
    private final String calculatedFormula;
    private final Formula formula;
    private final String inlineHelpText;

    private FieldDef(Builder b) {
        this.name = Objects.requireNonNull(b.name);
        this.type = Objects.requireNonNull(b.type);
        this.label = b.label != null ? b.label : b.name;
        this.length = b.length;
        this.precision = b.precision;
        this.scale = b.scale;
        this.digits = b.digits;
        this.nillable = b.nillable;
        this.createable = b.createable;
        this.updateable = b.updateable;
        this.defaultedOnCreate = b.defaultedOnCreate;
        this.custom = b.custom;
        this.externalId = b.externalId;
        this.unique = b.unique;
        this.caseSensitive = b.caseSensitive;
        this.idLookup = b.idLookup;
        this.nameField = b.nameField;
        this.autoNumber = b.autoNumber;
        this.restrictedPicklist = b.restrictedPicklist;
        this.htmlFormatted = b.htmlFormatted;
        this.cascadeDelete = b.cascadeDelete;
        this.picklistValues = List.copyOf(b.picklistValues);
        this.referenceTo = List.copyOf(b.referenceTo);
        this.relationshipName = b.relationshipName;
        this.compoundFieldName = b.compoundFieldName;
        this.defaultValue = b.defaultValue;
        this.calculatedFormula = b.calculatedFormula;
        this.formula = b.formula;
        this.inlineHelpText = b.inlineHelpText;
    }

    public static Builder builder(String name, FieldType type) {
        return new Builder(name, type);
    }

    /** A builder pre-filled with this field's properties, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(name, type);
        b.label = label;
        b.length = length;
        b.precision = precision;
        b.scale = scale;
        b.digits = digits;
        b.nillable = nillable;
        b.createable = createable;
        b.updateable = updateable;
        b.defaultedOnCreate = defaultedOnCreate;
        b.custom = custom;
        b.externalId = externalId;
        b.unique = unique;
        b.caseSensitive = caseSensitive;
        b.idLookup = idLookup;
        b.nameField = nameField;
        b.autoNumber = autoNumber;
        b.restrictedPicklist = restrictedPicklist;
        b.htmlFormatted = htmlFormatted;
        b.cascadeDelete = cascadeDelete;
        b.picklistValues = picklistValues;
        b.referenceTo = referenceTo;
        b.relationshipName = relationshipName;
        b.compoundFieldName = compoundFieldName;
        b.defaultValue = defaultValue;
        b.calculatedFormula = calculatedFormula;
        b.formula = formula;
        b.inlineHelpText = inlineHelpText;
        return b;
    }

    public String name() { return name; }
    public String label() { return label; }
    public FieldType type() { return type; }
    public int length() { return length; }
    public int precision() { return precision; }
    public int scale() { return scale; }
    public int digits() { return digits; }
    public boolean nillable() { return nillable; }
    public boolean createable() { return createable; }
    public boolean updateable() { return updateable; }
    public boolean defaultedOnCreate() { return defaultedOnCreate; }
    public boolean custom() { return custom; }
    public boolean externalId() { return externalId; }
    public boolean unique() { return unique; }
    public boolean caseSensitive() { return caseSensitive; }
    public boolean idLookup() { return idLookup; }
    public boolean nameField() { return nameField; }
    public boolean autoNumber() { return autoNumber; }
    public boolean restrictedPicklist() { return restrictedPicklist; }
    public boolean htmlFormatted() { return htmlFormatted; }
    /** Deleting the referenced parent deletes this record too (Contact and Opportunity under Account). */
    public boolean cascadeDelete() { return cascadeDelete; }
    public List<PicklistValue> picklistValues() { return picklistValues; }
    public List<String> referenceTo() { return referenceTo; }
    public String relationshipName() { return relationshipName; }
    public String compoundFieldName() { return compoundFieldName; }
    public Object defaultValue() { return defaultValue; }
    public String calculatedFormula() { return calculatedFormula; }
    public String inlineHelpText() { return inlineHelpText; }

    /** Formula fields are computed on read and can never be written. */
    public boolean calculated() { return formula != null; }

    public Formula formula() { return formula; }

    /** Stored in the record (not a formula and not a compound assembled from components). */
    public boolean stored() { return formula == null && !type.isCompound(); }

    /**
     * Salesforce requires a value on create for fields that are createable, not nillable and not defaulted
     * (for example Account.Name, Opportunity.StageName, Contact.LastName).
     */
    public boolean requiredOnCreate() {
        return createable && !nillable && !defaultedOnCreate && type != FieldType.BOOLEAN;
    }

    public boolean isPicklistValue(String value) {
        return picklistValues.stream().anyMatch(p -> p.active() && p.value().equals(value));
    }

    @Override
    public String toString() {
        return name + ":" + type.apiName();
    }

    /** Builder for {@link FieldDef}; defaults are those of an ordinary, optional, writable custom-less field. */
    public static final class Builder {
        private final String name;
        private final FieldType type;
        private String label;
        private int length;
        private int precision;
        private int scale;
        private int digits;
        private boolean nillable = true;
        private boolean createable = true;
        private boolean updateable = true;
        private boolean defaultedOnCreate;
        private boolean custom;
        private boolean externalId;
        private boolean unique;
        private boolean caseSensitive;
        private boolean idLookup;
        private boolean nameField;
        private boolean autoNumber;
        private boolean restrictedPicklist;
        private boolean htmlFormatted;
        private boolean cascadeDelete;
        private List<PicklistValue> picklistValues = List.of();
        private List<String> referenceTo = List.of();
        private String relationshipName;
        private String compoundFieldName;
        private Object defaultValue;
        private String calculatedFormula;
        private Formula formula;
        private String inlineHelpText;

        private Builder(String name, FieldType type) {
            this.name = name;
            this.type = type;
            switch (type) {
                case ID, REFERENCE -> this.length = 18;
                case STRING, COMBOBOX, ENCRYPTEDSTRING -> this.length = 255;
                case TEXTAREA -> this.length = 32768;
                case EMAIL -> this.length = 80;
                case PHONE -> this.length = 40;
                case URL -> this.length = 255;
                case PICKLIST -> this.length = 255;
                case MULTIPICKLIST -> this.length = 4099;
                case INT -> this.digits = 9;
                case LONG -> this.digits = 18;
                case DOUBLE, CURRENCY, PERCENT -> {
                    this.precision = 18;
                    this.scale = 2;
                }
                default -> { }
            }
            if (type == FieldType.BOOLEAN) {
                // Checkboxes are never null in Salesforce: they default to false.
                this.nillable = false;
                this.defaultedOnCreate = true;
                this.defaultValue = Boolean.FALSE;
            }
        }

        public Builder label(String v) { this.label = v; return this; }
        public Builder length(int v) { this.length = v; return this; }
        public Builder precision(int precision, int scale) { this.precision = precision; this.scale = scale; return this; }
        public Builder digits(int v) { this.digits = v; return this; }
        public Builder nillable(boolean v) { this.nillable = v; return this; }
        /** Required on create: not nillable and not defaulted. */
        public Builder required() { this.nillable = false; this.defaultedOnCreate = false; return this; }
        public Builder createable(boolean v) { this.createable = v; return this; }
        public Builder updateable(boolean v) { this.updateable = v; return this; }
        /** Neither createable nor updateable, such as system audit fields. */
        public Builder readOnly() { this.createable = false; this.updateable = false; return this; }
        public Builder defaultedOnCreate(boolean v) { this.defaultedOnCreate = v; return this; }
        public Builder custom(boolean v) { this.custom = v; return this; }
        public Builder externalId(boolean v) { this.externalId = v; if (v) { this.idLookup = true; } return this; }
        public Builder unique(boolean v) { this.unique = v; return this; }
        public Builder caseSensitive(boolean v) { this.caseSensitive = v; return this; }
        public Builder idLookup(boolean v) { this.idLookup = v; return this; }
        public Builder nameField(boolean v) { this.nameField = v; return this; }
        public Builder autoNumber(boolean v) { this.autoNumber = v; return this; }
        public Builder htmlFormatted(boolean v) { this.htmlFormatted = v; return this; }
        public Builder cascadeDelete(boolean v) { this.cascadeDelete = v; return this; }
        public Builder picklist(boolean restricted, String... values) {
            this.restrictedPicklist = restricted;
            this.picklistValues = java.util.Arrays.stream(values).map(PicklistValue::of).toList();
            return this;
        }
        public Builder picklistValues(boolean restricted, List<PicklistValue> values) {
            this.restrictedPicklist = restricted;
            this.picklistValues = values;
            return this;
        }
        public Builder referenceTo(String relationshipName, String... objects) {
            this.relationshipName = relationshipName;
            this.referenceTo = List.of(objects);
            return this;
        }
        public Builder compoundFieldName(String v) { this.compoundFieldName = v; return this; }
        public Builder defaultValue(Object v) { this.defaultValue = v; this.defaultedOnCreate = v != null || defaultedOnCreate; return this; }
        public Builder inlineHelpText(String v) { this.inlineHelpText = v; return this; }
        /** A formula field: computed from the record on read, never createable or updateable. */
        public Builder formula(String formulaText, Formula formula) {
            this.calculatedFormula = formulaText;
            this.formula = formula;
            this.createable = false;
            this.updateable = false;
            return this;
        }

        public FieldDef build() {
            return new FieldDef(this);
        }
    }
}
