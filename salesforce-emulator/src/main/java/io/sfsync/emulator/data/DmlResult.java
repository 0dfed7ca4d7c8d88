package io.sfsync.emulator.data;

import java.util.List;

/**
 * The outcome of one record in a write: the SaveResult / UpsertResult Salesforce returns per record.
 * {@code created} is null for operations other than upsert.
 */
public record DmlResult(String id, boolean success, Boolean created, List<ApiError> errors) {

    public static DmlResult ok(String id) {
        return new DmlResult(id, true, null, List.of());
    }

    public static DmlResult upserted(String id, boolean created) {
        return new DmlResult(id, true, created, List.of());
    }

    public static DmlResult failed(String idOrNull, List<ApiError> errors) {
        return new DmlResult(idOrNull, false, null, errors);
    }

    public static DmlResult failed(String idOrNull, ApiError error) {
        return failed(idOrNull, List.of(error));
    }

    public DmlResult asRolledBack() {
        return new DmlResult(id, false, null, List.of(ApiError.rolledBack()));
    }

    public ApiError firstError() {
        return errors.isEmpty() ? null : errors.get(0);
    }
}
