package io.sfsync.emulator.model;

import java.util.Locale;

/**
 * Salesforce field types as the describe call names them ({@code type}), with the SOAP type describe also reports.
 *
 * <p>How values of each type are held in memory (one convention for the whole emulator):
 * text-like types (including id, reference, picklist, and multipicklist joined by {@code ;}) are {@link String};
 * boolean is {@link Boolean}; every number type is {@link java.math.BigDecimal}; date is
 * {@link java.time.LocalDate}; datetime is {@link java.time.Instant}; time is {@link java.time.LocalTime}.
 * Compound types (address, location) are never stored: they are assembled from their component fields.
 */
public enum FieldType {
    ID("tns:ID"),
    REFERENCE("tns:ID"),
    STRING("xsd:string"),
    TEXTAREA("xsd:string"),
    EMAIL("xsd:string"),
    PHONE("xsd:string"),
    URL("xsd:string"),
    PICKLIST("xsd:string"),
    MULTIPICKLIST("xsd:string"),
    COMBOBOX("xsd:string"),
    ENCRYPTEDSTRING("xsd:string"),
    BOOLEAN("xsd:boolean"),
    INT("xsd:int"),
    LONG("xsd:long"),
    DOUBLE("xsd:double"),
    CURRENCY("xsd:double"),
    PERCENT("xsd:double"),
    DATE("xsd:date"),
    DATETIME("xsd:dateTime"),
    TIME("xsd:time"),
    ADDRESS("urn:address"),
    LOCATION("urn:location");

    private final String soapType;

    FieldType(String soapType) {
        this.soapType = soapType;
    }

    /** The name used on the wire, e.g. {@code "datetime"}. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String soapType() {
        return soapType;
    }

    public boolean isText() {
        return switch (this) {
            case ID, REFERENCE, STRING, TEXTAREA, EMAIL, PHONE, URL, PICKLIST, MULTIPICKLIST, COMBOBOX,
                 ENCRYPTEDSTRING -> true;
            default -> false;
        };
    }

    public boolean isNumber() {
        return this == INT || this == LONG || this == DOUBLE || this == CURRENCY || this == PERCENT;
    }

    public boolean isCompound() {
        return this == ADDRESS || this == LOCATION;
    }

    public static FieldType fromApiName(String name) {
        for (FieldType t : values()) {
            if (t.apiName().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown field type '" + name + "'");
    }
}
