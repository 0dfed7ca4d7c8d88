package io.sfsync.emulator.model;

/** One entry of a picklist or multi-select picklist, as describe reports it. */
public record PicklistValue(String value, String label, boolean active, boolean defaultValue) {

    public static PicklistValue of(String value) {
        return new PicklistValue(value, value, true, false);
    }
}
