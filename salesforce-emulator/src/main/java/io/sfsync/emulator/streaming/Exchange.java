package io.sfsync.emulator.streaming;

import jakarta.servlet.http.HttpServletRequest;
import org.cometd.bayeux.server.BayeuxContext;
import org.cometd.bayeux.server.ServerMessage;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One HTTP request/response of the Bayeux endpoint, carried as a request attribute so that CometD extensions and
 * session listeners can attach work to the outcome of the response: events taken into a /meta/connect response
 * are confirmed only when the response was written, and put back when it failed; a subscription starts
 * delivering only once its subscribe reply was written. The outcome is known when Jetty completes the exchange
 * (after CometD is done with it); an exchange whose connection was closed before its reply went out fails.
 */
final class Exchange {

    static final String ATTRIBUTE = Exchange.class.getName();
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    private final HttpServletRequest request;
    private final List<Consumer<Boolean>> completions = new ArrayList<>();
    private Boolean outcome;
    private volatile boolean cometdSucceeded;
    private volatile boolean dropRequested;

    Exchange(HttpServletRequest request) {
        this.request = request;
    }

    static Exchange of(BayeuxContext context) {
        return context == null ? null : (Exchange) context.getRequestAttribute(ATTRIBUTE);
    }

    static Exchange of(ServerMessage message) {
        return message == null ? null : of(message.getBayeuxContext());
    }

    /** Runs {@code action} with {@code true} once the response was written whole, {@code false} if not. */
    void onComplete(Consumer<Boolean> action) {
        Boolean done;
        synchronized (this) {
            done = outcome;
            if (done == null) {
                completions.add(action);
                return;
            }
        }
        action.accept(done);
    }

    /** CometD finished with the exchange: it wrote the whole reply ({@code true}) or gave up. */
    void cometdDone(boolean succeeded) {
        cometdSucceeded = succeeded;
    }

    /**
     * Jetty completed the HTTP exchange, {@code failure} null if the response went out whole. This comes after
     * CometD is done, and is the only reliable sign: CometD reports a reply written once it is in Jetty's
     * buffer, even if the connection is then found closed.
     */
    void httpCompleted(Throwable failure) {
        complete(cometdSucceeded && failure == null);
    }

    private void complete(boolean written) {
        List<Consumer<Boolean>> toRun;
        synchronized (this) {
            if (outcome != null) {
                return;
            }
            outcome = written;
            toRun = List.copyOf(completions);
            completions.clear();
        }
        for (Consumer<Boolean> c : toRun) {
            try {
                c.accept(written);
            } catch (RuntimeException e) {
                LOG.warn("Completion action failed", e);
            }
        }
    }

    /** Marks this exchange to be dropped: its connection is closed instead of writing a Bayeux reply. */
    void requestDrop() {
        dropRequested = true;
    }

    boolean dropRequested() {
        return dropRequested;
    }

    /** Closes the connection under the request, so the client sees the exchange fail without a reply. */
    void closeConnection() {
        try {
            ServletContextRequest r = ServletContextRequest.getServletContextRequest(request);
            EndPoint endPoint = r == null ? null : r.getConnectionMetaData().getConnection().getEndPoint();
            if (endPoint != null) {
                endPoint.close();
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not close the connection of a dropped long poll", e);
        }
    }
}
