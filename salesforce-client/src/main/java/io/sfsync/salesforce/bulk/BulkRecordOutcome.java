package io.sfsync.salesforce.bulk;

import io.sfsync.salesforce.error.ErrorCategory;
import io.sfsync.salesforce.write.RecordError;
import io.sfsync.salesforce.write.SaveOutcome;

import java.util.List;

/**
 * The result of a Bulk API 2.0 ingest for one input record, in the position of that record.
 *
 * @param index   the record's position in the caller's input
 * @param status  succeeded, failed, or never processed (the job was aborted or stopped before reaching it)
 * @param id      the record id ({@code sf__Id}); null when Salesforce gave none
 * @param created for insert and upsert: whether a record was created ({@code sf__Created}); null otherwise
 * @param errors  the parsed {@code sf__Error}; empty unless failed
 * @param jobId   the ingest job that carried the record
 */
public record BulkRecordOutcome(int index, Status status, String id, Boolean created, List<RecordError> errors,
                                String jobId) {

    public enum Status { SUCCEEDED, FAILED, UNPROCESSED }

    public BulkRecordOutcome {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public boolean success() {
        return status == Status.SUCCEEDED;
    }

    /** The first error's status code, or null. */
    public String statusCode() {
        return errors.isEmpty() ? null : errors.get(0).statusCode();
    }

    /** Failed only for transient reasons ({@code UNABLE_TO_LOCK_ROW}), or never processed: worth submitting again. */
    public boolean retriable() {
        return status == Status.UNPROCESSED || (status == Status.FAILED && !errors.isEmpty()
                && errors.stream().allMatch(e -> e.category() == ErrorCategory.RETRIABLE));
    }

    /**
     * The same outcome in the shape of an sObject Collections result; an unprocessed record becomes a failure
     * with no errors (so {@link SaveOutcome#retriable()} is false: check {@link #status()} first).
     */
    public SaveOutcome toSaveOutcome() {
        return new SaveOutcome(index, id, success(), created, errors);
    }
}
