package io.sfsync.emulator.soql;

import io.sfsync.emulator.data.RecordSource;
import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.model.SalesforceIds;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** What one run of a query needs besides the plan: the records, queryAll or not, today's date, a parent cache. */
final class Execution {

    private final RecordSource records;
    private final boolean includeDeleted;
    private final LocalDate today;
    private final Map<String, Optional<StoredRecord>> byId = new HashMap<>();

    Execution(RecordSource records, boolean includeDeleted, LocalDate today) {
        this.records = records;
        this.includeDeleted = includeDeleted;
        this.today = today;
    }

    /** Today in the emulated user's time zone (UTC), for date literals such as TODAY. */
    LocalDate today() {
        return today;
    }

    /**
     * The record a lookup points at, or null. A parent in the recycle bin counts as absent unless the query is a
     * queryAll, so the relationship renders as null and its fields compare as null.
     */
    StoredRecord lookup(Object id) {
        if (!(id instanceof String s)) {
            return null;
        }
        String id18 = SalesforceIds.normalize(s);
        if (id18 == null) {
            return null;
        }
        return byId.computeIfAbsent(id18, key -> records.byId(key).filter(r -> includeDeleted || !r.deleted()))
                .orElse(null);
    }
}
