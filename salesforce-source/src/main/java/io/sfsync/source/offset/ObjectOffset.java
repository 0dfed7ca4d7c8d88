package io.sfsync.source.offset;

import org.apache.kafka.connect.errors.DataException;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The source offset of one object (source partition {@code {"object":"Account"}}), typed and versioned:
 * <pre>{"v":1, "phase":"SNAPSHOT"|"STREAM", "cursor":"001...", "since":"2026-01-01T00:00:00Z",
 *  "replay_id":123, "commit_ts":"2026-...Z"}</pre>
 * <ul>
 *   <li>{@code phase}: SNAPSHOT while the object is being read (initial snapshot or resync), STREAM after.</li>
 *   <li>{@code cursor}: the Id of the last snapshot row emitted; rows are read ordered by Id, so the snapshot
 *   resumes after it. Absent before the first row.</li>
 *   <li>{@code since}: for a resync by {@code SystemModstamp} window, its lower bound; absent for a full read.</li>
 *   <li>{@code replay_id}: the replay id of the last change event emitted for the object; absent until one was.</li>
 *   <li>{@code commit_ts}: commit timestamp of that event, the lower bound of a resync window.</li>
 * </ul>
 */
public record ObjectOffset(Phase phase, String cursor, Instant since, Long replayId, Instant commitTimestamp) {

    public static final int VERSION = 1;
    public static final String PARTITION_KEY = "object";

    public enum Phase { SNAPSHOT, STREAM }

    public ObjectOffset {
        Objects.requireNonNull(phase, "phase");
    }

    /** The offset of an object that has not been read at all. */
    public static ObjectOffset initialSnapshot() {
        return new ObjectOffset(Phase.SNAPSHOT, null, null, null, null);
    }

    public static ObjectOffset streaming() {
        return new ObjectOffset(Phase.STREAM, null, null, null, null);
    }

    public static Map<String, String> partition(String object) {
        return Map.of(PARTITION_KEY, object);
    }

    public ObjectOffset withCursor(String id) {
        return new ObjectOffset(phase, id, since, replayId, commitTimestamp);
    }

    public ObjectOffset withReplay(long id, Instant commitTs) {
        return new ObjectOffset(phase, cursor, since, id, commitTs == null ? commitTimestamp : commitTs);
    }

    /** Snapshot done: stream from the replay position. */
    public ObjectOffset streamingPhase() {
        return new ObjectOffset(Phase.STREAM, null, null, replayId, commitTimestamp);
    }

    /** A resync: read the object again, from {@code since} (null: everything), keeping the replay position. */
    public ObjectOffset resync(Instant sinceBound) {
        return new ObjectOffset(Phase.SNAPSHOT, null, sinceBound, replayId, commitTimestamp);
    }

    public boolean snapshotting() {
        return phase == Phase.SNAPSHOT;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new HashMap<>();
        m.put("v", VERSION);
        m.put("phase", phase.name());
        if (cursor != null) {
            m.put("cursor", cursor);
        }
        if (since != null) {
            m.put("since", since.toString());
        }
        if (replayId != null) {
            m.put("replay_id", replayId);
        }
        if (commitTimestamp != null) {
            m.put("commit_ts", commitTimestamp.toString());
        }
        return m;
    }

    /** Reads a stored offset; throws {@link DataException} for an unknown version or a malformed map. */
    public static ObjectOffset fromMap(Map<String, ?> m) {
        if (m == null) {
            throw new DataException("offset is null");
        }
        Object v = m.get("v");
        if (!(v instanceof Number n) || n.intValue() != VERSION) {
            throw new DataException("unsupported offset version " + v + " (expected " + VERSION + ")");
        }
        Phase phase;
        try {
            phase = Phase.valueOf(String.valueOf(m.get("phase")).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DataException("offset phase must be SNAPSHOT or STREAM: " + m.get("phase"));
        }
        Object cursor = m.get("cursor");
        if (cursor != null && !(cursor instanceof String)) {
            throw new DataException("offset cursor must be a string");
        }
        Object replay = m.get("replay_id");
        if (replay != null && !(replay instanceof Number)) {
            throw new DataException("offset replay_id must be a number");
        }
        return new ObjectOffset(phase, (String) cursor, instant(m, "since"),
                replay == null ? null : ((Number) replay).longValue(), instant(m, "commit_ts"));
    }

    private static Instant instant(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v.toString());
        } catch (RuntimeException e) {
            throw new DataException("offset " + key + " must be an ISO-8601 instant");
        }
    }
}
