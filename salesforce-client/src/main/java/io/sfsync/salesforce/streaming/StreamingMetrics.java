package io.sfsync.salesforce.streaming;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Counters of one {@link CdcSubscriber}, cheap and thread-safe, for the connector to publish as metrics. Calls
 * (handshakes, subscribes) and re-authentications are also counted in the client's
 * {@link io.sfsync.salesforce.metrics.ClientMetrics} as {@code CallKind.STREAMING}.
 */
public final class StreamingMetrics {

    final LongAdder eventsReceived = new LongAdder();
    final LongAdder eventsDelivered = new LongAdder();
    final LongAdder duplicatesSkipped = new LongAdder();
    final LongAdder unparseableEvents = new LongAdder();
    final LongAdder handshakes = new LongAdder();
    final LongAdder rehandshakes = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder unknownClientReplies = new LongAdder();
    final LongAdder reauthentications = new LongAdder();
    final LongAdder sessions = new LongAdder();
    final LongAdder subscriptions = new LongAdder();
    final LongAdder invalidReplayIds = new LongAdder();
    private volatile IntSupplier queueDepth = () -> 0;

    void queueDepthFrom(IntSupplier s) {
        queueDepth = s;
    }

    /** Event messages received from the server, duplicates included. */
    public long eventsReceived() { return eventsReceived.sum(); }
    /** Events put in the queue for the caller (each replay id of a channel once). */
    public long eventsDelivered() { return eventsDelivered.sum(); }
    /** Events received again after a resubscription from the committed replay id, and skipped. */
    public long duplicatesSkipped() { return duplicatesSkipped.sum(); }
    /** Event messages without a payload or replay id, skipped (logged at WARN). */
    public long unparseableEvents() { return unparseableEvents.sum(); }
    /** Successful handshakes, the first one included. */
    public long handshakes() { return handshakes.sum(); }
    /** Handshakes after the first of a CometD session (after {@code 403::Unknown client} or a long outage). */
    public long rehandshakes() { return rehandshakes.sum(); }
    /** /meta/connect requests that failed (dropped long polls, network errors, unknown client); CometD retried. */
    public long connectFailures() { return connectFailures.sum(); }
    public long unknownClientReplies() { return unknownClientReplies.sum(); }
    /** New tokens fetched after {@code 401::Authentication invalid}, each followed by a new CometD session. */
    public long reauthentications() { return reauthentications.sum(); }
    /** CometD client sessions built: 1 + one per re-authentication. */
    public long sessions() { return sessions.sum(); }
    /** Successful subscribe replies. */
    public long subscriptions() { return subscriptions.sum(); }
    /** Subscriptions refused for an invalid or expired replay id. */
    public long invalidReplayIds() { return invalidReplayIds.sum(); }
    /** Events waiting in the queue now. */
    public int queueDepth() { return queueDepth.getAsInt(); }

    public Map<String, Number> toMap() {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("eventsReceived", eventsReceived());
        m.put("eventsDelivered", eventsDelivered());
        m.put("duplicatesSkipped", duplicatesSkipped());
        m.put("unparseableEvents", unparseableEvents());
        m.put("handshakes", handshakes());
        m.put("rehandshakes", rehandshakes());
        m.put("connectFailures", connectFailures());
        m.put("unknownClientReplies", unknownClientReplies());
        m.put("reauthentications", reauthentications());
        m.put("sessions", sessions());
        m.put("subscriptions", subscriptions());
        m.put("invalidReplayIds", invalidReplayIds());
        m.put("queueDepth", queueDepth());
        return m;
    }

    @Override
    public String toString() {
        return "StreamingMetrics" + toMap();
    }
}
