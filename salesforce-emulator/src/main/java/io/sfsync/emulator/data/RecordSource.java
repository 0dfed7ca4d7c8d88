package io.sfsync.emulator.data;

import io.sfsync.emulator.model.SObjectType;

import java.util.Optional;
import java.util.stream.Stream;

/** Read access to the org's records, as queries need it. Implementations return consistent snapshots. */
public interface RecordSource {

    /** Every record of a type, in creation order; deleted (recycle bin) records only when asked. */
    Stream<StoredRecord> records(SObjectType type, boolean includeDeleted);

    /** A record by 18-character id, deleted or not (callers decide what a deleted parent means). */
    Optional<StoredRecord> byId(String id18);
}
