package io.sfsync.smt;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Which side wins a same-column conflict (docs/LOOP.md, "Conflicts"). */
public enum ConflictPolicy {
    SALESFORCE_WINS,
    POSTGRES_WINS,
    /** The later of the two change times wins; a tie goes to Salesforce, the system of record. */
    NEWEST_WINS;

    /** The configuration value, e.g. {@code salesforce-wins}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ConflictPolicy fromValue(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public static List<String> configValues() {
        return Arrays.stream(values()).map(ConflictPolicy::value).toList();
    }

    /**
     * Whether Salesforce wins. An unknown Salesforce time (no marker) counts as a tie under newest-wins, so
     * Salesforce wins it.
     */
    boolean salesforceWins(Instant salesforceChangedAt, Instant postgresChangedAt) {
        return switch (this) {
            case SALESFORCE_WINS -> true;
            case POSTGRES_WINS -> false;
            case NEWEST_WINS -> salesforceChangedAt == null || postgresChangedAt == null
                    || !salesforceChangedAt.isBefore(postgresChangedAt);
        };
    }
}
