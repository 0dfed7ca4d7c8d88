package io.sfsync.salesforce.metadata;

/** One picklist value of a field. */
public record PicklistEntry(String value, String label, boolean active, boolean defaultValue) {
}
