package io.sfsync.emulator.soql;

import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;

/**
 * Which fields SOQL can filter and sort on, as describe reports it ({@code filterable}, {@code sortable}).
 * Long text areas (textarea longer than 255 characters) and compound fields can be neither; multi-select
 * picklists can be filtered but not sorted.
 */
public final class FieldCapabilities {

    private static final int MAX_FILTERABLE_TEXTAREA = 255;

    private FieldCapabilities() {
    }

    public static boolean isFilterable(FieldDef field) {
        if (field.type().isCompound()) {
            return false;
        }
        return !(field.type() == FieldType.TEXTAREA && field.length() > MAX_FILTERABLE_TEXTAREA);
    }

    public static boolean isSortable(FieldDef field) {
        return isFilterable(field) && field.type() != FieldType.MULTIPICKLIST;
    }
}
