package io.sfsync.emulator.streaming;

import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxContext;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.CometDRequest;
import org.cometd.server.CometDResponse;
import org.cometd.server.http.JSONHttpTransport;
import org.cometd.server.http.TransportContext;

import java.util.List;

/**
 * CometD's long-polling transport, reporting CometD's outcome of each response to its {@link Exchange} and closing the
 * connection of exchanges marked to be dropped instead of writing their reply.
 */
final class LongPollingTransport extends JSONHttpTransport {

    LongPollingTransport(BayeuxServerImpl bayeux) {
        super(bayeux);
    }

    @Override
    public void handle(BayeuxContext bayeuxContext, CometDRequest request, CometDResponse response,
                       Promise<Void> promise) {
        Exchange exchange = Exchange.of(bayeuxContext);
        if (exchange == null) {
            super.handle(bayeuxContext, request, response, promise);
            return;
        }
        super.handle(bayeuxContext, request, response, new Promise<>() {
            @Override
            public void succeed(Void result) {
                exchange.cometdDone(true);
                promise.succeed(result);
            }

            @Override
            public void fail(Throwable failure) {
                exchange.cometdDone(false);
                promise.fail(failure);
            }
        });
    }

    @Override
    protected void write(TransportContext context, List<ServerMessage> messages) {
        Exchange exchange = Exchange.of(context.bayeuxContext());
        if (exchange != null && exchange.dropRequested()) {
            // Nothing has been written yet: the client sees the connection close without any reply.
            exchange.closeConnection();
        }
        super.write(context, messages);
    }
}
