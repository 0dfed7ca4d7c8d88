package io.sfsync.emulator.control;

import java.util.List;
import java.util.Map;

/**
 * What the control API can ask of the streaming server (CometD): faults that only a streaming server can
 * produce, and its per-subscriber delivery counters. The streaming server implements this and is handed to
 * {@link ControlServlet#setStreaming}; until then the {@code /emulator/streaming/*} routes answer 503.
 */
public interface StreamingControl {

    /**
     * Publishes a GAP event on the entity's change event channel (and {@code /data/ChangeEvents}), as Salesforce
     * does when it could not build a change event for a change: the header names the change type and record ids,
     * the body is empty.
     *
     * @param changeType {@code GAP_CREATE}, {@code GAP_UPDATE}, {@code GAP_DELETE} or {@code GAP_UNDELETE}
     */
    void injectGap(String entity, String changeType, List<String> recordIds);

    /** Publishes a GAP_OVERFLOW event for the entity, as Salesforce does when a transaction changed too many records. */
    void injectOverflow(String entity);

    /** Ends every CometD client's session, so each must handshake again (403 "Unknown client" on its next call). */
    void expireClients();

    /** Delivery counters (per subscriber, per channel), shown under {@code "streaming"} in {@code GET /emulator/counters}. */
    Map<String, Object> counters();
}
