package io.sfsync.smt;

import java.time.Instant;

/** One detected conflict on one column: both values, both change times, the policy and who won. */
record Conflict(
        String conflictId,
        Instant detectedAt,
        String sourceTopic,
        String recordKey,
        String sfid,
        String column,
        String postgresValue,
        String salesforceValue,
        Instant postgresChangedAt,
        Instant salesforceChangedAt,
        ConflictPolicy policy,
        boolean salesforceWon) {

    String winner() {
        return salesforceWon ? "salesforce" : "postgres";
    }
}
