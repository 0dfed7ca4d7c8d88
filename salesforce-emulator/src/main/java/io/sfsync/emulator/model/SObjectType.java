package io.sfsync.emulator.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata of one sObject (standard or custom): its fields and the flags describe reports.
 *
 * <p>Field lookups are case-insensitive, as in Salesforce (SOQL and JSON bodies accept {@code name} for
 * {@code Name}); the canonical spelling is the one in {@link FieldDef#name()}. Custom fields can be added and
 * removed at runtime: the field map is replaced copy-on-write, so readers never see a half-changed map, and
 * {@link #lastModified()} moves forward so describe's {@code If-Modified-Since} notices.
 */
public final class SObjectType {

    private final String name;
    private final String label;
    private final String labelPlural;
    private final String keyPrefix;
    private final boolean custom;
    private final boolean changeEventsEnabledByDefault;
    private volatile Map<String, FieldDef> fieldsByLowerName;
    private volatile List<FieldDef> fields;
    private volatile Instant lastModified;

    public SObjectType(String name, String label, String labelPlural, String keyPrefix, boolean custom,
                       List<FieldDef> fields, Instant created) {
        this(name, label, labelPlural, keyPrefix, custom, fields, created, true);
    }

    public SObjectType(String name, String label, String labelPlural, String keyPrefix, boolean custom,
                       List<FieldDef> fields, Instant created, boolean changeEventsEnabledByDefault) {
        this.name = name;
        this.label = label;
        this.labelPlural = labelPlural;
        this.keyPrefix = keyPrefix;
        this.custom = custom;
        this.changeEventsEnabledByDefault = changeEventsEnabledByDefault;
        // HTTP dates (Last-Modified, If-Modified-Since) have one-second resolution.
        this.lastModified = created.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        setFields(fields);
    }

    public String name() { return name; }
    public String label() { return label; }
    public String labelPlural() { return labelPlural; }
    public String keyPrefix() { return keyPrefix; }
    public boolean custom() { return custom; }
    public boolean changeEventsEnabledByDefault() { return changeEventsEnabledByDefault; }
    public Instant lastModified() { return lastModified; }

    /** All fields in describe order. */
    public List<FieldDef> fields() {
        return fields;
    }

    public Optional<FieldDef> field(String anyCaseName) {
        return Optional.ofNullable(fieldsByLowerName.get(anyCaseName.toLowerCase(Locale.ROOT)));
    }

    public boolean hasField(String anyCaseName) {
        return fieldsByLowerName.containsKey(anyCaseName.toLowerCase(Locale.ROOT));
    }

    /** The component fields of a compound field (BillingAddress -> BillingStreet, BillingCity, ...). */
    public List<FieldDef> componentsOf(String compoundFieldName) {
        return fields.stream().filter(f -> compoundFieldName.equals(f.compoundFieldName())).toList();
    }

    /** The name field (Name on most objects), used in error messages and as the record's label. */
    public Optional<FieldDef> nameField() {
        return fields.stream().filter(FieldDef::nameField).findFirst();
    }

    /** The key used for a compound component inside a nested CDC object: BillingStreet -> Street. */
    public static String componentKey(String compoundFieldName, String componentFieldName) {
        if (compoundFieldName.endsWith("Address")) {
            String prefix = compoundFieldName.substring(0, compoundFieldName.length() - "Address".length());
            if (componentFieldName.startsWith(prefix)) {
                return componentFieldName.substring(prefix.length());
            }
        }
        if (compoundFieldName.endsWith("__c") && componentFieldName.endsWith("__s")) {
            // Geolocation custom field Location__c has components Location__Latitude__s, Location__Longitude__s.
            String base = compoundFieldName.substring(0, compoundFieldName.length() - 3) + "__";
            String rest = componentFieldName.substring(base.length());
            return rest.substring(0, rest.length() - 3);
        }
        return componentFieldName;
    }

    /** Adds a field (or replaces one of the same name), as an admin does in Setup. */
    public synchronized void putField(FieldDef field, Instant when) {
        List<FieldDef> copy = new ArrayList<>(fields);
        copy.removeIf(f -> f.name().equalsIgnoreCase(field.name()));
        copy.add(field);
        setFields(copy);
        touch(when);
    }

    /** Removes a field; returns false if there was no such field. */
    public synchronized boolean removeField(String anyCaseName, Instant when) {
        List<FieldDef> copy = new ArrayList<>(fields);
        boolean removed = copy.removeIf(f -> f.name().equalsIgnoreCase(anyCaseName));
        if (removed) {
            setFields(copy);
            touch(when);
        }
        return removed;
    }

    private void touch(Instant when) {
        // Describe's Last-Modified has one-second resolution; keep it strictly increasing so that a client
        // revalidating with If-Modified-Since right after a change still sees the change.
        Instant next = when.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (!next.isAfter(lastModified)) {
            next = lastModified.plusSeconds(1);
        }
        lastModified = next;
    }

    private void setFields(List<FieldDef> newFields) {
        Map<String, FieldDef> byName = new LinkedHashMap<>();
        for (FieldDef f : newFields) {
            byName.put(f.name().toLowerCase(Locale.ROOT), f);
        }
        this.fieldsByLowerName = Collections.unmodifiableMap(byName);
        this.fields = List.copyOf(newFields);
    }

    /** The CDC channel name of this object: AccountChangeEvent, Employee__ChangeEvent. */
    public String changeEventName() {
        return custom ? name.substring(0, name.length() - 3) + "__ChangeEvent" : name + "ChangeEvent";
    }

    @Override
    public String toString() {
        return name;
    }
}
