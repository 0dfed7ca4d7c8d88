package io.sfsync.emulator.streaming;

import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.ServerSessionImpl;

/** The CometD server of one streaming service: makes its sessions and ties the service to its life cycle. */
final class SalesforceBayeuxServer extends BayeuxServerImpl {

    private final StreamingService service;

    SalesforceBayeuxServer(StreamingService service) {
        this.service = service;
    }

    @Override
    public ServerSessionImpl newServerSession() {
        return service.newSession(this);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        service.started(this);
    }

    @Override
    protected void doStop() throws Exception {
        service.stopping(this);
        super.doStop();
    }
}
