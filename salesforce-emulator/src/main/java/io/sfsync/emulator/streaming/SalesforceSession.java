package io.sfsync.emulator.streaming;

import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.ServerSessionImpl;

/**
 * A CometD session with a Salesforce-shaped client id and the streaming service's view of the client.
 *
 * <p>Events are not queued into CometD's session queue ahead of time: they stay in the event log until a
 * /meta/connect response is written (see {@link StreamingService}). So that a /meta/connect is answered at once
 * when events are waiting there, {@link #shouldSchedule()} also asks the service.
 */
final class SalesforceSession extends ServerSessionImpl {

    private final String clientId;
    private final StreamingService service;
    final ClientState state;

    SalesforceSession(BayeuxServerImpl bayeux, String clientId, StreamingService service) {
        super(bayeux);
        this.clientId = clientId;
        this.service = service;
        this.state = new ClientState(clientId);
    }

    @Override
    public String getId() {
        return clientId;
    }

    @Override
    public boolean shouldSchedule() {
        return super.shouldSchedule() || service.mustAnswer(this);
    }
}
