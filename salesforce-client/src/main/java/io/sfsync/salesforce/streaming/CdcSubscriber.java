package io.sfsync.salesforce.streaming;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.auth.AccessToken;
import io.sfsync.salesforce.error.RetriableSalesforceException;
import io.sfsync.salesforce.error.SalesforceException;
import io.sfsync.salesforce.http.HttpSettings;
import io.sfsync.salesforce.metrics.CallKind;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSession;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.cometd.common.JacksonJSONContextClient;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Receives Change Data Capture events over the Streaming API (CometD 8 long polling) and hands them to one consumer
 * thread through a bounded queue.
 *
 * <pre>{@code
 * CdcSubscriber sub = CdcSubscriber.builder(sf)
 *         .channel("/data/AccountChangeEvent", committed.orElse(CdcSubscriber.REPLAY_FROM_TIP))
 *         .replayStore(offsets::lastCommitted)              // asked on every (re)subscription
 *         .invalidReplayIdPolicy(report -> Action.RESYNC)   // expired replay id: re-snapshot, go on from the tip
 *         .queueCapacity(1000)
 *         .start();
 * List<ChangeEvent> batch = sub.poll(Duration.ofSeconds(1), 500); // rethrows a background failure
 * sub.close();
 * }</pre>
 *
 * <h2>Sessions and replay</h2>
 * One CometD {@link BayeuxClient} at a time, over Jetty's HTTP client, with {@code Authorization: Bearer <token>} on
 * every request and the server's cookies kept per session. The handshake asks for {@code ext.replay:true} and
 * fails the subscriber if the server does not confirm it. Subscriptions are made from the {@code /meta/handshake}
 * listener on every successful handshake (CometD forgets them on re-handshake), each from the channel's resume
 * position, and every subscribe carries the whole channel → replay id map in {@code ext.replay}. The resume position
 * of a channel is the last <em>committed</em> replay id from the {@link ReplayStore}; with nothing committed, the
 * last id handed over, or else the configured start (-1 tip, -2 earliest, or an id). Events at or below the last
 * replay id handed over on a channel are skipped, so a resubscription from an older committed id repeats nothing.
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>Dropped long polls and network errors: CometD retries with the configured linear back-off and, past the
 *   server's reconnect window, re-handshakes.</li>
 *   <li>{@code 403::Unknown client} (advice {@code reconnect:handshake}): CometD re-handshakes; the handshake listener
 *   resubscribes from the committed ids.</li>
 *   <li>{@code 401::Authentication invalid} (advice {@code reconnect:none}) on connect, or a handshake denied for
 *   authentication: the token is refreshed through the client's {@code TokenProvider} and a new CometD session is
 *   built, resuming from the committed ids. After {@code maxReauthentications} in a row without a successful
 *   connect, the subscriber fails.</li>
 *   <li>A subscribe refused for an invalid or expired replay id: the {@link InvalidReplayIdPolicy} decides (resync,
 *   fail, latest), see {@link ReplayIdInvalid}.</li>
 *   <li>Any other refusal with {@code reconnect:none} (daily delivery limit, concurrent client limit, unknown channel,
 *   missing permission): the subscriber stops and {@link #poll} throws {@link CdcStreamException}.</li>
 * </ul>
 *
 * <h2>Backpressure</h2>
 * The CometD listener thread puts each event into the bounded queue and <em>blocks</em> while it is full. Events are
 * never dropped: while the listener blocks, CometD does not send the next {@code /meta/connect} (the server writes the
 * events of a response before the connect reply, and the client sends the next connect only after processing the
 * reply), so the server simply keeps the next events. If the consumer is slower than the server's reconnect window
 * (40 s on Salesforce), the server forgets the client; CometD re-handshakes and the subscriber resubscribes from the
 * committed ids, skipping what it already handed over. A blocked listener gives up (without handing the event over)
 * when the subscriber is closed or its session replaced.
 *
 * <h2>Threads</h2>
 * Per subscriber: Jetty HTTP client threads ({@code <prefix>-http-*}), one CometD scheduler thread
 * ({@code <prefix>-cometd}) and one control thread ({@code <prefix>-control}) that subscribes, re-authenticates and
 * calls the policy. All carry the MDC context of the thread that called {@link Builder#start()} while running this
 * class's code, and all are stopped by {@link #close()}.
 *
 * <p>Streaming requests do not count against the daily API request allocation (Salesforce meters streaming by
 * delivered events instead), so they do not go through the budget governor; they are counted in
 * {@code ClientMetrics} as {@link CallKind#STREAMING} (handshakes and subscribes).
 */
public final class CdcSubscriber implements AutoCloseable {

    /** Subscribe for new events only. */
    public static final long REPLAY_FROM_TIP = -1;
    /** Subscribe for every retained event (72 hours for CDC). */
    public static final long REPLAY_FROM_EARLIEST = -2;

    private static final Logger LOG = LoggerFactory.getLogger(CdcSubscriber.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Pattern INVALID_REPLAY =
            Pattern.compile("^400::The replayId \\{?(-?\\d+)\\}? you provided was invalid");
    private static final long OFFER_SLICE_MS = 50;

    private final SalesforceClient sf;
    private final Map<String, ChannelState> channels;
    private final ReplayStore replayStore;
    private final InvalidReplayIdPolicy policy;
    private final BlockingQueue<ChangeEvent> queue;
    private final Duration backOffIncrement;
    private final Duration maxBackOff;
    private final int maxReauthentications;
    private final int maxResponseBytes;
    private final String threadPrefix;
    private final Map<String, String> mdc;
    private final StreamingMetrics metrics = new StreamingMetrics();
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private final AtomicReference<CdcStreamException> failure = new AtomicReference<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger reauthsInARow = new AtomicInteger();
    private final AtomicInteger sessionCount = new AtomicInteger();
    private final JacksonJSONContextClient json = new JacksonJSONContextClient();
    private volatile Session session;
    private HttpClient http;
    private ScheduledExecutorService cometdScheduler;
    private ExecutorService control;

    private CdcSubscriber(Builder b) {
        this.sf = b.sf;
        Map<String, ChannelState> states = new LinkedHashMap<>();
        b.channels.forEach((c, start) -> states.put(c, new ChannelState(c, start)));
        this.channels = java.util.Collections.unmodifiableMap(states);
        this.replayStore = b.replayStore;
        this.policy = b.policy;
        this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
        this.backOffIncrement = b.backOffIncrement;
        this.maxBackOff = b.maxBackOff;
        this.maxReauthentications = b.maxReauthentications;
        this.maxResponseBytes = b.maxResponseBytes;
        this.threadPrefix = b.threadNamePrefix + "-" + INSTANCES.incrementAndGet();
        Map<String, String> context = MDC.getCopyOfContextMap();
        this.mdc = context == null ? Map.of() : Map.copyOf(context);
        metrics.queueDepthFrom(queue::size);
        json.getObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    public static Builder builder(SalesforceClient sf) {
        return new Builder(sf);
    }

    // ------------------------------------------------------------------------------------------------ public API

    /**
     * Up to {@code maxEvents} events, waiting up to {@code timeout} for the first one; empty if none came. Events of
     * a channel come in replay id order, each once.
     *
     * @throws CdcStreamException when the subscriber stopped on a failure (after the events queued before it)
     * @throws InterruptedException if interrupted while waiting
     */
    public List<ChangeEvent> poll(Duration timeout, int maxEvents) throws InterruptedException {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1");
        }
        ChangeEvent first = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            throwIfFailed();
            return List.of();
        }
        List<ChangeEvent> out = new ArrayList<>(Math.min(maxEvents, queue.size() + 1));
        out.add(first);
        queue.drainTo(out, maxEvents - 1);
        return out;
    }

    /** The failure that stopped the subscriber, if any (also thrown by {@link #poll}). */
    public java.util.Optional<CdcStreamException> failure() {
        return java.util.Optional.ofNullable(failure.get());
    }

    public StreamingMetrics metrics() {
        return metrics;
    }

    /** The channels and their configured start positions. */
    public Set<String> channels() {
        return channels.keySet();
    }

    /** The CometD client id of the current session, or null before the first handshake. */
    public String clientId() {
        Session s = session;
        return s == null ? null : s.client.getId();
    }

    /** Whether the current session has a successful subscription for every channel. */
    public boolean isSubscribed() {
        Session s = session;
        return s != null && s.subscribed.containsAll(channels.keySet());
    }

    /** Waits up to {@code timeout} until {@link #isSubscribed()}; false if it did not happen (or a failure stopped it). */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isSubscribed()) {
            if (failure.get() != null || closed.get() || System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /**
     * Disconnects, stops the HTTP client and every thread of this subscriber. Events still queued are dropped (they
     * were never handed over; a new subscriber resumes from the committed replay ids). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Session s = session;
        session = null;
        if (s != null) {
            try {
                s.client.disconnect();
                if (!s.client.waitFor(1000, BayeuxClient.State.DISCONNECTED)) {
                    s.client.abort();
                }
            } catch (RuntimeException e) {
                LOG.debug("Disconnect failed", e);
            }
        }
        shutdown(control, "control");
        try {
            if (http != null) {
                http.stop();
            }
        } catch (Exception e) {
            LOG.warn("Stopping the streaming HTTP client failed", e);
        }
        shutdown(cometdScheduler, "CometD scheduler");
        queue.clear();
        LOG.info("CDC subscriber for {} closed: {}", channels.keySet(), metrics);
    }

    private static void shutdown(ExecutorService executor, String what) {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The streaming {} thread did not stop within 5 s", what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------------ start-up

    private CdcSubscriber start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        try {
            HttpSettings settings = sf.transport().settings();
            QueuedThreadPool pool = new QueuedThreadPool(16, 2);
            pool.setName(threadPrefix + "-http");
            pool.setDaemon(true);
            http = new HttpClient();
            http.setExecutor(pool);
            http.setScheduler(new ScheduledExecutorScheduler(threadPrefix + "-http-scheduler", true));
            http.setConnectTimeout(settings.connectTimeout().toMillis());
            http.setFollowRedirects(false);
            settings.proxyAddress().ifPresent(p ->
                    http.getProxyConfiguration().addProxy(new HttpProxy(p.getHostString(), p.getPort())));
            http.start();
            BayeuxClient.Scheduler scheduler = new BayeuxClient.Scheduler(1);
            scheduler.setThreadFactory(threads(threadPrefix + "-cometd"));
            cometdScheduler = scheduler;
            control = Executors.newSingleThreadExecutor(threads(threadPrefix + "-control"));
        } catch (Exception e) {
            close();
            throw new CdcStreamException(CdcStreamException.Reason.INTERNAL, "could not start the streaming client", e);
        }
        Map<String, Long> starts = new LinkedHashMap<>();
        channels.forEach((c, st) -> starts.put(c, st.start));
        LOG.info("CDC subscriber starting for {} (start positions {}, committed positions take precedence), "
                + "queue capacity {}", channels.keySet(), starts, queue.remainingCapacity());
        execute(() -> openSession(sf.tokens().current()));
        return this;
    }

    private ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                MDC.setContextMap(mdc);
                r.run();
            }, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs on the control thread with the caller's MDC; failures stop the subscriber. */
    private void execute(Runnable task) {
        if (closed.get()) {
            return;
        }
        try {
            control.execute(() -> withMdc(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    fail(CdcStreamException.Reason.INTERNAL, "streaming control task failed: " + e, e, null);
                }
            }));
        } catch (RejectedExecutionException e) {
            // Closing.
        }
    }

    private void withMdc(Runnable r) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.setContextMap(mdc);
        try {
            r.run();
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ sessions

    private final class Session {
        final int number;
        final AccessToken token;
        final BayeuxClient client;
        final AtomicInteger handshakes = new AtomicInteger();
        final AtomicBoolean replaced = new AtomicBoolean();
        final Set<String> subscribed = ConcurrentHashMap.newKeySet();
        volatile Map<String, Object> replayMap = Map.of();

        Session(int number, AccessToken token, BayeuxClient client) {
            this.number = number;
            this.token = token;
            this.client = client;
        }

        boolean current() {
            return session == this && !closed.get();
        }
    }

    /** Builds a CometD session with {@code token} and handshakes (control thread). */
    private void openSession(AccessToken token) {
        if (closed.get() || failure.get() != null) {
            return;
        }
        String url = stripSlash(token.instanceUrl().toString()) + "/cometd/" + sf.transport().settings().apiVersion();
        Map<String, Object> options = new HashMap<>();
        options.put(ClientTransport.JSON_CONTEXT_OPTION, json);
        // CometD's default (1 MB) is less than one long-poll response can carry: events are up to 1 MB each, and a
        // response that is too big fails again on every retry.
        options.put(ClientTransport.MAX_MESSAGE_SIZE_OPTION, maxResponseBytes);
        JettyHttpClientTransport transport = new JettyHttpClientTransport(options, http) {
            @Override
            protected void customize(Request request) {
                request.headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token.value()));
            }
        };
        BayeuxClient client = new BayeuxClient(url, cometdScheduler, transport);
        client.setBackOffStrategy(new BayeuxClient.BackOffStrategy.Linear(backOffIncrement.toMillis(),
                maxBackOff.toMillis()));
        Session s = new Session(sessionCount.incrementAndGet(), token, client);
        client.addExtension(new ReplayExtension(s));
        client.getChannel(Channel.META_HANDSHAKE).addListener((ClientSessionChannel.MessageListener)
                (ch, m) -> withMdc(() -> onHandshake(s, m)));
        client.getChannel(Channel.META_CONNECT).addListener((ClientSessionChannel.MessageListener)
                (ch, m) -> withMdc(() -> onConnect(s, m)));
        session = s;
        if (closed.get()) {          // close() ran meanwhile: do not leave a session behind
            session = null;
            return;
        }
        metrics.sessions.increment();
        LOG.info("Opening CometD session {} at {}", s.number, url);
        client.handshake();
    }

    /** Puts {@code ext.replay:true} on handshakes and the whole channel → replay id map on subscribes. */
    private static final class ReplayExtension implements ClientSession.Extension {
        private final Session s;

        ReplayExtension(Session s) {
            this.s = s;
        }

        @Override
        public boolean sendMeta(ClientSession session, Message.Mutable message) {
            String channel = message.getChannel();
            if (Channel.META_HANDSHAKE.equals(channel)) {
                message.getExt(true).put("replay", Boolean.TRUE);
            } else if (Channel.META_SUBSCRIBE.equals(channel)) {
                message.getExt(true).put("replay", new HashMap<>(s.replayMap));
            }
            return true;
        }
    }

    private void onHandshake(Session s, Message m) {
        if (!s.current()) {
            return;
        }
        sf.metrics().recordCall(CallKind.STREAMING);
        if (m.isSuccessful()) {
            Map<String, Object> ext = m.getExt();
            if (ext == null || !Boolean.TRUE.equals(ext.get("replay"))) {
                fail(CdcStreamException.Reason.REPLAY_UNSUPPORTED, "the Streaming API handshake did not confirm "
                        + "ext.replay:true, so events could not be replayed after a reconnect", null, null);
                return;
            }
            metrics.handshakes.increment();
            s.subscribed.clear();
            String clientId = m.getClientId();
            if (s.handshakes.incrementAndGet() > 1) {
                metrics.rehandshakes.increment();
                LOG.info("CometD session {} handshook again (client {}); resubscribing", s.number, clientId);
            } else {
                LOG.info("CometD session {} handshook (client {})", s.number, clientId);
            }
            execute(() -> subscribeAll(s, clientId));
            return;
        }
        String error = String.valueOf(m.get(Message.ERROR_FIELD));
        String reason = failureReason(m);
        // Salesforce denies a handshake with a bad token as 403::Handshake denied, the cause in
        // ext.sfdc.failureReason (401::Authentication invalid); without a reason it is most likely the token too.
        boolean deniedWithoutReason = error.startsWith("403::Handshake denied") && reason == null;
        if (isAuthError(error) || isAuthError(reason) || deniedWithoutReason) {
            LOG.info("CometD session {}: handshake denied ({} {}); re-authenticating", s.number, error, reason);
            execute(() -> reauthenticate(s));
        } else if (Message.RECONNECT_NONE_VALUE.equals(reconnectAdvice(m))) {
            fail(CdcStreamException.Reason.CONNECTION_REFUSED, "Streaming API handshake refused: " + error
                    + (reason == null ? "" : " (" + reason + ")"), null, null);
        } else {
            LOG.debug("CometD session {}: handshake failed ({}); CometD retries", s.number, describe(m));
        }
    }

    private void onConnect(Session s, Message m) {
        if (!s.current()) {
            return;
        }
        if (m.isSuccessful()) {
            reauthsInARow.set(0);
            return;
        }
        metrics.connectFailures.increment();
        Object errorField = m.get(Message.ERROR_FIELD);
        String error = errorField == null ? null : errorField.toString();
        if (isAuthError(error)) {
            LOG.info("CometD session {}: {}; re-authenticating", s.number, error);
            execute(() -> reauthenticate(s));
        } else if (error != null && error.startsWith("403::Unknown client")) {
            metrics.unknownClientReplies.increment();
            LOG.info("CometD session {}: {}; CometD re-handshakes", s.number, error);
        } else if (Message.RECONNECT_NONE_VALUE.equals(reconnectAdvice(m))) {
            fail(CdcStreamException.Reason.CONNECTION_REFUSED, "Streaming API connection refused: " + error, null,
                    null);
        } else {
            LOG.debug("CometD session {}: connect failed ({}); CometD retries", s.number, describe(m));
        }
    }

    /** After a 401: a new token and a new CometD session (control thread). */
    private void reauthenticate(Session s) {
        if (!s.current() || !s.replaced.compareAndSet(false, true)) {
            return;
        }
        s.client.abort();
        int attempt = reauthsInARow.incrementAndGet();
        if (attempt > maxReauthentications) {
            fail(CdcStreamException.Reason.AUTHENTICATION, "the Streaming API rejected " + maxReauthentications
                    + " fresh tokens in a row", null, null);
            return;
        }
        if (attempt > 1 && !sleep(backOff(attempt - 1))) {
            return;
        }
        AccessToken fresh;
        try {
            fresh = sf.tokens().refresh(s.token);
        } catch (RetriableSalesforceException e) {
            LOG.warn("Token refresh for the Streaming API failed ({}); retrying", e.getMessage());
            session = null;
            Session placeholder = s;
            execute(() -> retryReauthentication(placeholder));
            return;
        } catch (SalesforceException e) {
            fail(CdcStreamException.Reason.AUTHENTICATION, "could not get a new token for the Streaming API: "
                    + e.getMessage(), e, null);
            return;
        }
        metrics.reauthentications.increment();
        sf.metrics().recordReauthentication();
        LOG.info("Re-authenticated for the Streaming API; resuming in a new CometD session from the committed "
                + "replay ids");
        openSession(fresh);
    }

    private void retryReauthentication(Session previous) {
        if (closed.get() || failure.get() != null) {
            return;
        }
        int attempt = reauthsInARow.incrementAndGet();
        if (attempt > maxReauthentications) {
            fail(CdcStreamException.Reason.AUTHENTICATION, "no token for the Streaming API after "
                    + maxReauthentications + " attempts", null, null);
            return;
        }
        if (!sleep(backOff(attempt))) {
            return;
        }
        try {
            AccessToken fresh = sf.tokens().refresh(previous.token);
            metrics.reauthentications.increment();
            sf.metrics().recordReauthentication();
            openSession(fresh);
        } catch (RetriableSalesforceException e) {
            LOG.warn("Token refresh for the Streaming API failed ({}); retrying", e.getMessage());
            execute(() -> retryReauthentication(previous));
        } catch (SalesforceException e) {
            fail(CdcStreamException.Reason.AUTHENTICATION, "could not get a new token for the Streaming API: "
                    + e.getMessage(), e, null);
        }
    }

    // ------------------------------------------------------------------------------------------------ subscriptions

    /** Subscribes every channel from its resume position (control thread, after each successful handshake). */
    private void subscribeAll(Session s, String clientId) {
        if (!s.current() || !Objects.equals(clientId, s.client.getId())) {
            return;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        channels.forEach((name, st) -> map.put(name, resumeFrom(st)));
        s.replayMap = map;
        LOG.info("CometD session {}: subscribing {}", s.number, map);
        s.client.batch(() -> channels.keySet().forEach(c -> subscribe(s, c)));
    }

    /** Subscribes one channel again, from its resume position (control thread). */
    private void resubscribe(Session s, String channel) {
        if (!s.current() || s.subscribed.contains(channel)) {
            return;
        }
        Map<String, Object> map = new LinkedHashMap<>(s.replayMap);
        map.put(channel, resumeFrom(channels.get(channel)));
        s.replayMap = map;
        LOG.info("CometD session {}: subscribing {} from {}", s.number, channel, map.get(channel));
        subscribe(s, channel);
    }

    private void subscribe(Session s, String channel) {
        s.client.getChannel(channel).subscribe(
                (ClientSessionChannel.MessageListener) (ch, m) -> withMdc(() -> onEvent(s, channel, m)),
                reply -> withMdc(() -> onSubscribeReply(s, channel, reply)));
    }

    private void onSubscribeReply(Session s, String channel, Message reply) {
        if (!s.current()) {
            return;
        }
        sf.metrics().recordCall(CallKind.STREAMING);
        if (reply.isSuccessful()) {
            s.subscribed.add(channel);
            metrics.subscriptions.increment();
            LOG.debug("CometD session {}: subscribed {}", s.number, channel);
            return;
        }
        Object errorField = reply.get(Message.ERROR_FIELD);
        String error = errorField == null ? null : errorField.toString();
        Matcher invalid = error == null ? null : INVALID_REPLAY.matcher(error);
        if (invalid != null && invalid.find()) {
            Object sent = s.replayMap.get(channel);
            long replayId = sent instanceof Number n ? n.longValue() : Long.parseLong(invalid.group(1));
            execute(() -> invalidReplayId(s, new ReplayIdInvalid(channel, replayId, error)));
        } else if (error == null || error.startsWith("503::") || error.startsWith("402::")
                || error.startsWith("403::Unknown client")) {
            // A transport failure (no reply), a busy server, or a session the server forgot (the next
            // /meta/connect makes CometD re-handshake, and the handshake listener subscribes everything again).
            LOG.info("CometD session {}: subscribing {} failed ({}); retrying", s.number, channel,
                    error == null ? describe(reply) : error);
            execute(() -> {
                if (sleep(backOffIncrement)) {
                    resubscribe(s, channel);
                }
            });
        } else {
            fail(CdcStreamException.Reason.SUBSCRIPTION_REFUSED, "subscribing " + channel + " was refused: " + error,
                    null, null);
        }
    }

    private void invalidReplayId(Session s, ReplayIdInvalid report) {
        if (!s.current()) {
            return;
        }
        metrics.invalidReplayIds.increment();
        InvalidReplayIdPolicy.Action action;
        try {
            action = Objects.requireNonNull(policy.onInvalidReplayId(report), "policy answered null");
        } catch (RuntimeException e) {
            fail(CdcStreamException.Reason.INTERNAL, "the invalid replay id policy failed: " + e, e, report);
            return;
        }
        ChannelState st = channels.get(report.channel());
        switch (action) {
            case FAIL -> fail(CdcStreamException.Reason.REPLAY_ID_INVALID, "replay id " + report.replayId() + " of "
                    + report.channel() + " is invalid or expired: " + report.error(), null, report);
            case RESYNC -> {
                LOG.info("Replay id {} of {} is invalid or expired; the caller resyncs, subscribing from the tip",
                        report.replayId(), report.channel());
                st.refused(report.replayId());
                resubscribe(s, report.channel());
            }
            case LATEST -> {
                LOG.warn("Replay id {} of {} is invalid or expired; subscribing from the tip: changes made since "
                        + "may be lost for this subscriber", report.replayId(), report.channel());
                st.refused(report.replayId());
                resubscribe(s, report.channel());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ delivery

    private void onEvent(Session s, String channel, Message m) {
        if (closed.get()) {
            return;
        }
        metrics.eventsReceived.increment();
        ChangeEvent event;
        try {
            event = ChangeEventParser.parse(channel, m.getDataAsMap());
        } catch (IllegalArgumentException e) {
            metrics.unparseableEvents.increment();
            LOG.warn("Skipping an unreadable event on {}: {}", channel, e.getMessage());
            return;
        }
        ChannelState st = channels.get(channel);
        deliveryLock.lock();
        try {
            if (!s.current()) {
                return; // a replaced session: its successor replays from the committed ids
            }
            if (event.replayId() <= st.lastHandedOver) {
                metrics.duplicatesSkipped.increment();
                return;
            }
            while (!queue.offer(event, OFFER_SLICE_MS, TimeUnit.MILLISECONDS)) {
                if (!s.current()) {
                    return;
                }
            }
            st.lastHandedOver = event.replayId();
            metrics.eventsDelivered.increment();
            if (LOG.isTraceEnabled()) {
                LOG.trace("Handed over {}", event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deliveryLock.unlock();
        }
    }

    /** Where a (re)subscription of the channel starts. */
    private long resumeFrom(ChannelState st) {
        OptionalLong committed = replayStore.lastCommitted(st.channel);
        return st.resumeFrom(committed);
    }

    /** Per-channel positions. */
    private static final class ChannelState {
        final String channel;
        final long start;
        /** The last replay id put in the queue; events at or below it are not handed over again. */
        volatile long lastHandedOver = Long.MIN_VALUE;
        /** A replay id the server refused, after which the channel was subscribed from the tip; null if none. */
        volatile Long refused;
        /** {@link #lastHandedOver} when the channel went to the tip. */
        volatile long handedAtRefusal;

        ChannelState(String channel, long start) {
            this.channel = channel;
            this.start = start;
        }

        void refused(long replayId) {
            refused = replayId;
            handedAtRefusal = lastHandedOver;
        }

        long resumeFrom(OptionalLong committed) {
            Long r = refused;
            boolean handed = lastHandedOver != Long.MIN_VALUE;
            if (r != null) {
                if (committed.isPresent() && committed.getAsLong() > r && committed.getAsLong() > handedAtRefusal) {
                    refused = null; // the caller has committed events of the new stream
                    return committed.getAsLong();
                }
                return lastHandedOver > handedAtRefusal ? lastHandedOver : REPLAY_FROM_TIP;
            }
            if (committed.isPresent()) {
                return committed.getAsLong();
            }
            return handed ? lastHandedOver : start;
        }
    }

    // ------------------------------------------------------------------------------------------------ failures

    private void fail(CdcStreamException.Reason reason, String message, Throwable cause, ReplayIdInvalid report) {
        CdcStreamException e = new CdcStreamException(reason, message, cause, report);
        if (!failure.compareAndSet(null, e)) {
            return;
        }
        LOG.error("CDC subscriber for {} stopped: {}", channels.keySet(), message, cause);
        Session s = session;
        session = null;
        if (s != null && !closed.get()) {
            try {
                s.client.disconnect();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }

    private void throwIfFailed() {
        CdcStreamException e = failure.get();
        if (e != null && queue.isEmpty()) {
            throw e.rethrowable();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Duration backOff(int attempt) {
        long ms = Math.min(maxBackOff.toMillis(), backOffIncrement.toMillis() * Math.max(1, attempt));
        return Duration.ofMillis(ms);
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return !closed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean isAuthError(String error) {
        return error != null && error.startsWith("401::");
    }

    private static String failureReason(Message m) {
        Map<String, Object> ext = m.getExt();
        if (ext != null && ext.get("sfdc") instanceof Map<?, ?> sfdc && sfdc.get("failureReason") != null) {
            return sfdc.get("failureReason").toString();
        }
        return null;
    }

    private static String reconnectAdvice(Message m) {
        Map<String, Object> advice = m.getAdvice();
        Object v = advice == null ? null : advice.get(Message.RECONNECT_FIELD);
        return v == null ? null : v.toString();
    }

    /** An error or the exception of a failed request, without message contents. */
    private static String describe(Message m) {
        Object error = m.get(Message.ERROR_FIELD);
        if (error != null) {
            return error.toString();
        }
        if (m.get("failure") instanceof Map<?, ?> f && f.get("exception") instanceof Throwable t) {
            return t.toString();
        }
        return "no reply";
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    // ------------------------------------------------------------------------------------------------ builder

    public static final class Builder {
        private final SalesforceClient sf;
        private final Map<String, Long> channels = new LinkedHashMap<>();
        private ReplayStore replayStore = ReplayStore.none();
        private InvalidReplayIdPolicy policy = InvalidReplayIdPolicy.always(InvalidReplayIdPolicy.Action.FAIL);
        private int queueCapacity = 1000;
        private Duration backOffIncrement = Duration.ofSeconds(1);
        private Duration maxBackOff = Duration.ofSeconds(30);
        private int maxReauthentications = 3;
        private int maxResponseBytes = 64 * 1024 * 1024;
        private String threadNamePrefix = "sfsync-cdc";

        private Builder(SalesforceClient sf) {
            this.sf = Objects.requireNonNull(sf, "sf");
        }

        /**
         * Subscribes {@code channel} ({@code /data/ChangeEvents}, {@code /data/AccountChangeEvent},
         * {@code /data/Foo__ChangeEvent}) from {@code replayFrom}: {@link #REPLAY_FROM_TIP},
         * {@link #REPLAY_FROM_EARLIEST} or a replay id (events after it). Used while the {@link ReplayStore} has
         * nothing committed for the channel.
         */
        public Builder channel(String channel, long replayFrom) {
            if (channel == null || !channel.startsWith("/")) {
                throw new IllegalArgumentException("a channel starts with '/': " + channel);
            }
            if (replayFrom < REPLAY_FROM_EARLIEST) {
                throw new IllegalArgumentException("replayFrom is -1, -2 or a replay id, got " + replayFrom);
            }
            channels.put(channel, replayFrom);
            return this;
        }

        public Builder channels(Map<String, Long> replayFromByChannel) {
            replayFromByChannel.forEach(this::channel);
            return this;
        }

        /** The last committed replay id per channel (default: nothing committed). */
        public Builder replayStore(ReplayStore v) { replayStore = Objects.requireNonNull(v); return this; }

        /** What to do with an invalid or expired replay id (default: fail). */
        public Builder invalidReplayIdPolicy(InvalidReplayIdPolicy v) { policy = Objects.requireNonNull(v); return this; }

        /** Events held for {@link #poll} (default 1000); the CometD listener waits while it is full. */
        public Builder queueCapacity(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1");
            }
            queueCapacity = v;
            return this;
        }

        /**
         * CometD's linear back-off between failed connects and handshakes: +{@code increment} per failure up to
         * {@code max} (default 1 s, 30 s); also the pause between re-authentications in a row.
         */
        public Builder backOff(Duration increment, Duration max) {
            if (increment.isNegative() || increment.isZero() || max.compareTo(increment) < 0) {
                throw new IllegalArgumentException("backOff needs 0 < increment <= max");
            }
            backOffIncrement = increment;
            maxBackOff = max;
            return this;
        }

        /** Fresh tokens tried in a row without a successful connect before failing (default 3). */
        public Builder maxReauthentications(int v) { maxReauthentications = v; return this; }

        /**
         * The largest long-poll response accepted (default 64 MB). Salesforce events are up to 1 MB each and one
         * response may carry many; CometD's own default of 1 MB would make such a response fail on every retry.
         */
        public Builder maxResponseBytes(int v) {
            if (v < 1024 * 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1 MB");
            }
            maxResponseBytes = v;
            return this;
        }

        /** Prefix of the subscriber's thread names (default {@code sfsync-cdc}); a number is appended. */
        public Builder threadNamePrefix(String v) { threadNamePrefix = Objects.requireNonNull(v); return this; }

        /** Builds the subscriber and starts it in the background (handshake, subscriptions). */
        public CdcSubscriber start() {
            if (channels.isEmpty()) {
                throw new IllegalStateException("no channel to subscribe");
            }
            return new CdcSubscriber(this).start();
        }
    }
}
