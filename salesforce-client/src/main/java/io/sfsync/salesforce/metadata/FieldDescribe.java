package io.sfsync.salesforce.metadata;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * One field of an sObject describe, with the properties a sync needs. Unknown keys of newer API versions are
 * ignored.
 *
 * @param type              Salesforce's field type: {@code id, reference, string, textarea, boolean, int, double,
 *                          currency, percent, date, datetime, time, picklist, multipicklist, email, phone, url,
 *                          address, location, base64, combobox, encryptedstring, anyType, long...}
 * @param compoundFieldName for a component of a compound field (BillingCity), the compound's name (BillingAddress)
 * @param calculated        formula and roll-up fields: read-only
 */
public record FieldDescribe(String name, String label, String type, String soapType, int length, int byteLength,
                            int precision, int scale, int digits, boolean nillable, boolean createable,
                            boolean updateable, boolean defaultedOnCreate, boolean calculated,
                            String calculatedFormula, boolean autoNumber, boolean externalId, boolean idLookup,
                            boolean unique, boolean caseSensitive, boolean nameField, boolean custom,
                            boolean filterable, List<PicklistEntry> picklistValues, boolean restrictedPicklist,
                            boolean dependentPicklist, String controllerName, List<String> referenceTo,
                            String relationshipName, boolean polymorphicForeignKey, String compoundFieldName,
                            JsonNode defaultValue, boolean htmlFormatted, boolean deprecatedAndHidden) {

    private static final Set<String> COMPOUND_TYPES = Set.of("address", "location");

    public FieldDescribe {
        picklistValues = picklistValues == null ? List.of() : List.copyOf(picklistValues);
        referenceTo = referenceTo == null ? List.of() : List.copyOf(referenceTo);
    }

    /** An address or geolocation field, whose value is spread over component fields. */
    public boolean compound() {
        return COMPOUND_TYPES.contains(type);
    }

    /** A component of a compound field (BillingStreet of BillingAddress). */
    public boolean compoundComponent() {
        return compoundFieldName != null && !compoundFieldName.isEmpty();
    }

    /** Can be written at all, on create or update. */
    public boolean writable() {
        return (createable || updateable) && !calculated && !autoNumber;
    }

    public boolean reference() {
        return "reference".equals(type);
    }

    public boolean picklist() {
        return "picklist".equals(type) || "multipicklist".equals(type);
    }

    /** The active picklist values, in describe order. */
    public List<String> activePicklistValues() {
        return picklistValues.stream().filter(PicklistEntry::active).map(PicklistEntry::value).toList();
    }
}
