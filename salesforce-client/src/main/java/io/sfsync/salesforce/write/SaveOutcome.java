package io.sfsync.salesforce.write;

import io.sfsync.salesforce.error.ErrorCategory;

import java.util.List;

/**
 * The result for one record of a write, in the position of the input record.
 *
 * @param index   the record's position in the caller's input list
 * @param id      the record id (new or existing); may be null on failure
 * @param created for upserts: whether a record was created; null for other operations
 * @param errors  empty on success
 */
public record SaveOutcome(int index, String id, boolean success, Boolean created, List<RecordError> errors) {

    public SaveOutcome {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** Failed only for transient reasons (row lock, rolled back because of another record): resubmitting may work. */
    public boolean retriable() {
        return !success && !errors.isEmpty() && errors.stream().allMatch(e -> e.category() == ErrorCategory.RETRIABLE);
    }

    /** The first error's status code, or null on success. */
    public String statusCode() {
        return errors.isEmpty() ? null : errors.get(0).statusCode();
    }
}
