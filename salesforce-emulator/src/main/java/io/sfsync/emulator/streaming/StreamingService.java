package io.sfsync.emulator.streaming;

import io.sfsync.emulator.auth.TokenValidator;
import io.sfsync.emulator.cdc.ChangeEvent;
import io.sfsync.emulator.cdc.ChangeEventLog;
import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.faults.Faults;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.AbstractServerTransport;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.JacksonJSONContextServer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The org's Streaming API endpoint for Change Data Capture: Salesforce's CometD/Bayeux server at
 * {@code /cometd/<version>}, built on the CometD server with Salesforce's wire behaviour on top.
 *
 * <p>Wiring: construct it with the org's event log, the org (for the Change Data Capture entity selection),
 * the fault settings, a {@link TokenValidator} and a clock, then {@link #install} it into the emulator's servlet
 * context. The CometD server starts and stops with that context. When the emulator revokes a token or expires
 * sessions it calls {@link #revokeToken} or {@link #revokeAllTokens}.
 *
 * <p>Delivery: each subscription has a cursor into the {@link ChangeEventLog}. Events are taken from the log
 * only when a /meta/connect response is being written, up to {@link StreamingSettings#maxEventsPerResponse()}
 * at a time in replay id order, so retained and live events go through one path with no gap and no duplicate.
 * They count as delivered when Jetty reports the HTTP exchange complete; if it fails (a dropped long poll, a
 * broken connection the server notices) the cursors move back and the events go out on the next
 * /meta/connect. A subscription delivers only after its subscribe reply has been written, and only on
 * /meta/connect responses.
 *
 * <p>Fault: with {@link Faults#dropLongPollRate()}, a /meta/connect about to be answered has its connection
 * closed before any byte of the reply is written; the client sees the request fail and connects again.
 *
 * <p>Salesforce's errors replace CometD's: {@code 403::Unknown client} for an unknown or expired client,
 * {@code 401::Authentication invalid} for a revoked token, {@code 403::Handshake denied} with
 * {@code ext.sfdc.failureReason} for a bad token, and the 400 texts of the Streaming API error table.
 */
public final class StreamingService {

    /** CometD's browser cookie, which Salesforce also sets and requires back. */
    public static final String BROWSER_COOKIE = "BAYEUX_BROWSER";

    private static final Logger LOG = LoggerFactory.getLogger(StreamingService.class);
    private static final String BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final ChangeEventLog log;
    private final Org org;
    private final Faults faults;
    private final TokenValidator tokens;
    private final Clock clock;
    private final StreamingSettings settings;
    private final StreamingCounters counters = new StreamingCounters();
    private final DeliveryAllocation allocation;
    private final AtomicInteger liveClients = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final Consumer<List<ChangeEvent>> logListener = this::appended;
    private final ServerSession.DeQueueListener deQueueListener = new ServerSession.DeQueueListener() {
        @Override
        public void deQueue(ServerSession session, Queue<ServerMessage> queue, List<ServerMessage.Mutable> replies) {
            fill(session, queue, replies);
        }

        @Override
        public void deQueue(ServerSession session, Queue<ServerMessage> queue) {
            // Only the variant with the replies is used.
        }
    };
    private volatile SalesforceBayeuxServer bayeux;
    /** The long-poll timeout the running CometD server was started with, as advised to clients. */
    private volatile long longPollTimeoutMs;
    private volatile ExecutorService waker;

    public StreamingService(ChangeEventLog log, Org org, Faults faults, TokenValidator tokens, Clock clock,
                            StreamingSettings settings) {
        this.log = Objects.requireNonNull(log);
        this.org = Objects.requireNonNull(org);
        this.faults = Objects.requireNonNull(faults);
        this.tokens = Objects.requireNonNull(tokens);
        this.clock = Objects.requireNonNull(clock);
        this.settings = settings == null ? StreamingSettings.defaults() : settings;
        this.allocation = new DeliveryAllocation(clock, this.settings::dailyDeliveryAllocation);
    }

    public StreamingService(ChangeEventLog log, Org org, Faults faults, TokenValidator tokens, Clock clock) {
        this(log, org, faults, tokens, clock, StreamingSettings.defaults());
    }

    public StreamingSettings settings() {
        return settings;
    }

    /**
     * Mounts the CometD servlet at {@code /cometd/*} of {@code context}: {@code /cometd/62.0} (the bare URL
     * Faye-style clients post to) and {@code /cometd/62.0/handshake}, {@code /connect}... (the CometD Java
     * client), for any API version from {@link StreamingSettings#minimumApiVersion()} on.
     */
    public void install(ServletContextHandler context) {
        ServletHolder holder = new ServletHolder("salesforce-streaming", new StreamingServlet(this));
        holder.setAsyncSupported(true);
        holder.setInitOrder(1);
        context.addServlet(holder, "/cometd/*");
    }

    // ------------------------------------------------------------------ hooks for the emulator and control API

    /**
     * The emulator revoked {@code accessToken}: clients that handshook with it get {@code 401::Authentication
     * invalid} with {@code advice.reconnect:"none"} on their next (or current, held) /meta/connect.
     *
     * @return how many clients were using it
     */
    public int revokeToken(String accessToken) {
        int n = 0;
        for (SalesforceSession s : sessions()) {
            if (Objects.equals(s.state.accessToken, accessToken)) {
                s.state.revoked = true;
                wake(s);
                n++;
            }
        }
        return n;
    }

    /** Every session of the org was expired or logged out: every client gets {@code 401::Authentication invalid}. */
    public int revokeAllTokens() {
        List<SalesforceSession> all = sessions();
        for (SalesforceSession s : all) {
            s.state.revoked = true;
            wake(s);
        }
        return all.size();
    }

    /**
     * Expires a client now, as if its reconnect window had passed: it is forgotten with its subscriptions, and its
     * /meta/connect (the one held now, or the next) gets {@code 403::Unknown client} with
     * {@code advice.reconnect:"handshake"}.
     *
     * @return false if there is no such client
     */
    public boolean expireClient(String clientId) {
        SalesforceBayeuxServer b = bayeux;
        ServerSession s = b == null ? null : b.getSession(clientId);
        if (!(s instanceof SalesforceSession session)) {
            return false;
        }
        expire(session);
        return true;
    }

    /** Expires every client (as a server restart would); returns how many there were. */
    public int expireAllClients() {
        List<SalesforceSession> all = sessions();
        all.forEach(this::expire);
        return all.size();
    }

    /** Drops every retained event now (the retention window passing): older replay ids become invalid. */
    public int expireRetainedEvents() {
        return log.expireAll();
    }

    /** Appends a gap event (see {@link GapEvents#appendGap}) and delivers it to subscribers. */
    public List<ChangeEvent> injectGap(String entityName, String changeType, List<String> recordIds,
                                       String commitUser) {
        return GapEvents.appendGap(log, org.schema(), clock, entityName, changeType, recordIds, commitUser);
    }

    /** Appends one {@code GAP_OVERFLOW} event per entity (see {@link GapEvents#appendOverflow}). */
    public List<ChangeEvent> injectGapOverflow(Collection<String> entityNames, String commitUser) {
        return GapEvents.appendOverflow(log, org.schema(), clock, entityNames, commitUser);
    }

    /** The ids of the clients the server knows now. */
    public List<String> clientIds() {
        return sessions().stream().map(ServerSession::getId).sorted().toList();
    }

    /** The channels a client is subscribed to (empty if unknown). */
    public List<String> subscriptions(String clientId) {
        SalesforceBayeuxServer b = bayeux;
        ServerSession s = b == null ? null : b.getSession(clientId);
        return s instanceof SalesforceSession session ? session.state.channels() : List.of();
    }

    /**
     * Counters: {@code currentClients}, {@code handshakes}, {@code handshakesDenied}, {@code reconnects}
     * (handshakes of a browser that had a session before: a client starting over), {@code connects},
     * {@code unknownClientReplies}, {@code expiredClients}, {@code droppedLongPolls}, {@code failedResponses},
     * {@code subscribes}, {@code eventsDelivered}, {@code eventsRedelivered}, {@code dailyDeliveredEvents},
     * {@code dailyDeliveryAllocation}, and the maps {@code deliveredByClient} (clientId to events) and
     * {@code deliveredByChannel} (channel to events). An event counts as delivered once the response carrying it
     * was written.
     */
    public Map<String, Object> counters() {
        return counters.toMap(liveClients.get(), allocation.used(), settings.dailyDeliveryAllocation());
    }

    public Map<String, Long> deliveredByClient() {
        return counters.deliveredByClient();
    }

    public Map<String, Long> deliveredByChannel() {
        return counters.deliveredByChannel();
    }

    public int currentClients() {
        return liveClients.get();
    }

    public void resetCounters() {
        counters.reset();
    }

    /** Forgets the deliveries counted against the daily allocation. */
    public void resetDailyDeliveries() {
        allocation.reset();
    }

    // ------------------------------------------------------------------ CometD server set-up and life cycle

    SalesforceBayeuxServer newBayeuxServer() {
        SalesforceBayeuxServer b = new SalesforceBayeuxServer(this);
        longPollTimeoutMs = settings.longPollTimeout().toMillis();
        b.setOption(AbstractServerTransport.TIMEOUT_OPTION, longPollTimeoutMs);
        b.setOption(AbstractServerTransport.INTERVAL_OPTION, 0L);
        b.setOption(AbstractServerTransport.MAX_INTERVAL_OPTION, settings.reconnectWindow().toMillis());
        b.setOption(AbstractServerTransport.META_CONNECT_DELIVERY_OPTION, true);
        b.setOption(AbstractServerTransport.JSON_CONTEXT_OPTION, new JacksonJSONContextServer());
        b.setOption(BayeuxServerImpl.SWEEP_PERIOD_OPTION, settings.sweepPeriod().toMillis());
        b.setTransports(new LongPollingTransport(b));
        b.addExtension(new SalesforceExtension(this));
        b.addListener(new BayeuxServer.SessionListener() {
            @Override
            public void sessionRemoved(ServerSession session, ServerMessage message, boolean timeout) {
                removed(session, timeout);
            }
        });
        return b;
    }

    void started(SalesforceBayeuxServer b) {
        waker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "streaming-wake");
            t.setDaemon(true);
            return t;
        });
        bayeux = b;
        log.addListener(logListener);
        LOG.info("Streaming API started: long poll {} ms, reconnect window {} ms, max {} clients",
                settings.longPollTimeout().toMillis(), settings.reconnectWindow().toMillis(),
                settings.maxConcurrentClients());
    }

    void stopping(SalesforceBayeuxServer b) {
        log.removeListener(logListener);
        if (bayeux == b) {
            bayeux = null;
        }
        for (ServerSession s : b.getSessions()) {
            if (s instanceof SalesforceSession session) {
                session.state.close();
                releaseSlot(session.state);
            }
        }
        ExecutorService w = waker;
        if (w != null) {
            w.shutdownNow();
        }
    }

    SalesforceSession newSession(BayeuxServerImpl b) {
        SalesforceSession s = new SalesforceSession(b, newClientId(b), this);
        s.addListener(deQueueListener);
        return s;
    }

    /** A client id like Salesforce's: 25 to 27 lowercase base-36 characters. */
    private String newClientId(BayeuxServerImpl b) {
        while (true) {
            int length = 25 + random.nextInt(3);
            StringBuilder sb = new StringBuilder(length);
            sb.append(BASE36.charAt(1 + random.nextInt(BASE36.length() - 1)));
            while (sb.length() < length) {
                sb.append(BASE36.charAt(random.nextInt(BASE36.length())));
            }
            String id = sb.toString();
            if (b.getSession(id) == null) {
                return id;
            }
        }
    }

    // ------------------------------------------------------------------ package-private, for the extension

    long longPollTimeoutMs() {
        return longPollTimeoutMs;
    }

    ChangeEventLog log() {
        return log;
    }

    Org org() {
        return org;
    }

    TokenValidator tokens() {
        return tokens;
    }

    StreamingCounters counterSet() {
        return counters;
    }

    DeliveryAllocation allocation() {
        return allocation;
    }

    SalesforceBayeuxServer bayeux() {
        return bayeux;
    }

    /** Takes a place among the concurrent clients; false when the org is at its limit. */
    boolean acquireSlot(ClientState state) {
        while (true) {
            int n = liveClients.get();
            if (n >= settings.maxConcurrentClients()) {
                return false;
            }
            if (liveClients.compareAndSet(n, n + 1)) {
                state.holdsClientSlot.set(true);
                return true;
            }
        }
    }

    void releaseSlot(ClientState state) {
        if (state.holdsClientSlot.compareAndSet(true, false)) {
            liveClients.decrementAndGet();
        }
    }

    /** Whether a /meta/connect of this session must be answered now rather than held. */
    boolean mustAnswer(SalesforceSession s) {
        ClientState state = s.state;
        return state.expired || state.revoked || state.hasDeliverable(log);
    }

    /** Forgets a session as if its reconnect window had passed, and answers its held /meta/connect. */
    void expire(SalesforceSession s) {
        s.state.expired = true;
        SalesforceBayeuxServer b = bayeux;
        if (b != null) {
            b.removeServerSession(s, true);
        }
        s.flush();
    }

    /** Forgets a session that was told to stop (401 or daily limit); its next /meta/connect is unknown. */
    void terminate(SalesforceSession s) {
        SalesforceBayeuxServer b = bayeux;
        if (b != null) {
            b.removeServerSession(s, false);
        }
    }

    /** Resumes the session's held /meta/connect if it has something to answer. */
    void wake(SalesforceSession s) {
        if (s.shouldSchedule()) {
            s.flush();
        }
    }

    private List<SalesforceSession> sessions() {
        SalesforceBayeuxServer b = bayeux;
        if (b == null) {
            return List.of();
        }
        List<SalesforceSession> out = new ArrayList<>();
        for (ServerSession s : b.getSessions()) {
            if (s instanceof SalesforceSession session) {
                out.add(session);
            }
        }
        return out;
    }

    private void removed(ServerSession session, boolean timeout) {
        if (session instanceof SalesforceSession s) {
            s.state.close();
            releaseSlot(s.state);
            if (timeout) {
                counters.expiredClients.incrementAndGet();
            }
            LOG.debug("Client {} removed (expired: {})", s.getId(), timeout);
        }
    }

    // ------------------------------------------------------------------ delivery

    /** Events were committed: wake the held /meta/connect of every client that has a subscription for them. */
    private void appended(List<ChangeEvent> events) {
        ExecutorService w = waker;
        if (w == null || events.isEmpty()) {
            return;
        }
        try {
            w.execute(() -> {
                for (SalesforceSession s : sessions()) {
                    if (s.state.wantsAny(events)) {
                        wake(s);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // Stopping.
        }
    }

    /**
     * CometD is about to write a response of this session: if it is a successful /meta/connect reply, fill it
     * with the next events of the client's subscriptions. Runs under the session's lock.
     */
    private void fill(ServerSession session, Queue<ServerMessage> queue, List<ServerMessage.Mutable> replies) {
        if (!(session instanceof SalesforceSession s)) {
            return;
        }
        ServerMessage.Mutable connectReply = null;
        for (ServerMessage.Mutable r : replies) {
            if (Channel.META_CONNECT.equals(r.getChannel())) {
                connectReply = r;
            }
        }
        if (connectReply == null || !connectReply.isSuccessful()) {
            return;
        }
        Exchange exchange = Exchange.of(connectReply);
        if (exchange == null) {
            return;
        }
        if (faults.roll(faults.dropLongPollRate())) {
            // The connection is closed before anything is written. Half of the drops happen before events are
            // taken (they stay queued); the other half after (they are in the response that dies, and go back
            // to the queue when Jetty reports the exchange failed).
            exchange.requestDrop();
            counters.droppedLongPolls.incrementAndGet();
            if (ThreadLocalRandom.current().nextBoolean()) {
                return;
            }
        }
        int allowed = allocation.reserve(settings.maxEventsPerResponse());
        ClientState.Batch batch = s.state.take(log, allowed);
        int taken = batch == null ? 0 : batch.items.size();
        allocation.release(allowed - taken);
        if (batch == null) {
            return;
        }
        BayeuxServerImpl b = (BayeuxServerImpl) s.getBayeuxServer();
        for (ClientState.Item item : batch.items) {
            ServerMessage.Mutable m = b.newMessage();
            m.setChannel(item.subscription().channel);
            m.setData(item.event().data());
            queue.add(m);
        }
        exchange.onComplete(written -> {
            if (written) {
                s.state.confirm(batch);
                for (ClientState.Item item : batch.items) {
                    counters.delivered(s.getId(), item.subscription().channel);
                }
            } else {
                s.state.restore(batch);
                allocation.release(batch.items.size());
                counters.failedResponses.incrementAndGet();
                counters.eventsRedelivered.addAndGet(batch.items.size());
            }
            wake(s);
        });
    }

    // ------------------------------------------------------------------ helpers

    /** The token of an {@code Authorization: Bearer x} or {@code Authorization: OAuth x} header. */
    static Optional<String> tokenOf(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String v = authorization.trim();
        int space = v.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = v.substring(0, space).toLowerCase(Locale.ROOT);
        String token = v.substring(space + 1).trim();
        if (token.isEmpty() || !(scheme.equals("bearer") || scheme.equals("oauth"))) {
            return Optional.empty();
        }
        return Optional.of(token);
    }
}
