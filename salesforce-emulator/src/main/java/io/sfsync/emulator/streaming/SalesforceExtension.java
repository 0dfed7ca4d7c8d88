package io.sfsync.emulator.streaming;

import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.server.BayeuxContext;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.ServerMessageImpl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Gives the CometD server Salesforce's behaviour on the meta channels: authentication and the concurrent client
 * limit on handshake, the cookie and connection type checks, channel and replay id checks on subscribe, and
 * Salesforce's reply shapes and error strings in place of CometD's.
 *
 * <p>Checks that fail on an incoming message put the rejection on the reply, mark it handled (so CometD does not
 * replace the error with {@code 404::message_deleted}) and stop the message; the outgoing side then gives the
 * reply its final shape, since CometD may still add advice to it in between. A /meta/connect held by the server
 * is checked again when it is answered, so a token revoked or a client expired meanwhile is reported on it.
 */
final class SalesforceExtension implements BayeuxServer.Extension {

    private static final String REJECTION = "sfsync.rejection";
    private static final String PLANS = "sfsync.subscriptions";
    private static final String LONG_POLLING = "long-polling";
    private static final String AUTHORIZATION = "Authorization";

    /** How a message fails: the error, the advice and ext to send, and what to do with the session after. */
    record Rejection(String error, Map<String, Object> advice, Map<String, Object> ext, boolean withClientId,
                     Consumer<SalesforceSession> after) {
    }

    /** A validated subscription, created when its reply is sent. */
    record Plan(String channel, Set<String> entities, long cursor) {
    }

    private final StreamingService service;

    SalesforceExtension(StreamingService service) {
        this.service = service;
    }

    // ------------------------------------------------------------------ incoming

    @Override
    public boolean rcvMeta(ServerSession from, ServerMessage.Mutable message) {
        ServerMessage.Mutable reply = message.getAssociated();
        if (reply == null) {
            return true;
        }
        String channel = message.getChannel();
        Rejection r = null;
        if (Channel.META_HANDSHAKE.equals(channel)) {
            r = handshake(from instanceof SalesforceSession s ? s : null, message);
        } else if (channel != null && channel.startsWith("/meta/")) {
            r = session(from, message);
            if (r == null && from instanceof SalesforceSession s) {
                if (Channel.META_CONNECT.equals(channel)) {
                    r = connect(s, message);
                } else if (Channel.META_SUBSCRIBE.equals(channel)) {
                    r = subscribe(message, reply);
                }
            }
        }
        if (r == null) {
            return true;
        }
        reply.put(REJECTION, r);
        reply.setSuccessful(false);
        reply.put(Message.ERROR_FIELD, r.error());
        if (reply instanceof ServerMessageImpl impl) {
            impl.setHandled(true);
        }
        return false;
    }

    private Rejection handshake(SalesforceSession session, ServerMessage.Mutable message) {
        BayeuxContext context = message.getBayeuxContext();
        String header = context == null ? null : context.getHeader(AUTHORIZATION);
        Optional<String> token = StreamingService.tokenOf(header);
        if (token.isEmpty()) {
            return handshakeDenied(header == null ? StreamingErrors.REQUEST_REQUIRES_AUTHENTICATION
                    : StreamingErrors.AUTHENTICATION_INVALID);
        }
        Optional<String> userId = service.tokens().userIdFor(token.get());
        if (userId.isEmpty()) {
            return handshakeDenied(StreamingErrors.AUTHENTICATION_INVALID);
        }
        List<String> types = strings(message.get(Message.SUPPORTED_CONNECTION_TYPES_FIELD));
        if (types != null && !types.contains(LONG_POLLING)) {
            return new Rejection(StreamingErrors.invalidConnectionType(String.join(",", types)),
                    advice("reconnect", "none"), null, false, null);
        }
        if (session == null) {
            return null;
        }
        if (!service.acquireSlot(session.state)) {
            return new Rejection(StreamingErrors.CONCURRENT_CLIENTS, advice("reconnect", "none"), null, false, null);
        }
        session.state.accessToken = token.get();
        session.state.userId = userId.get();
        return null;
    }

    private static Rejection handshakeDenied(String reason) {
        Map<String, Object> sfdc = new LinkedHashMap<>();
        sfdc.put("failureReason", reason);
        Map<String, Object> ext = new LinkedHashMap<>();
        ext.put("sfdc", sfdc);
        return new Rejection(StreamingErrors.HANDSHAKE_DENIED, advice("reconnect", "none"), ext, false, null);
    }

    /** Checks that apply to every message after the handshake. */
    private Rejection session(ServerSession from, ServerMessage.Mutable message) {
        String clientId = message.getClientId();
        boolean connect = Channel.META_CONNECT.equals(message.getChannel());
        if (clientId == null) {
            return new Rejection(StreamingErrors.NOT_HANDSHAKEN,
                    connect ? advice("interval", 0L, "reconnect", "handshake") : null, null, false, null);
        }
        if (from == null) {
            SalesforceBayeuxServer b = service.bayeux();
            BayeuxContext context = message.getBayeuxContext();
            boolean known = b != null && b.getSession(clientId) != null;
            if (known && context != null && context.getCookie(StreamingService.BROWSER_COOKIE) == null) {
                return new Rejection(StreamingErrors.missingCookie(clientId, StreamingService.BROWSER_COOKIE),
                        null, null, true, null);
            }
            // Otherwise CometD answers 402::session_unknown, rewritten on the way out.
        }
        return null;
    }

    private Rejection connect(SalesforceSession s, ServerMessage.Mutable message) {
        Object type = message.get(Message.CONNECTION_TYPE_FIELD);
        if (type != null && !LONG_POLLING.equals(type)) {
            return new Rejection(StreamingErrors.invalidConnectionType(String.valueOf(type)), null, null, true, null);
        }
        service.counterSet().connects.incrementAndGet();
        return state(s, message.getBayeuxContext());
    }

    /** What the client's state says about answering a /meta/connect now: expired, revoked, over the limit. */
    private Rejection state(SalesforceSession s, BayeuxContext context) {
        ClientState st = s.state;
        if (st.expired) {
            return unknownClient();
        }
        if (st.revoked) {
            return authenticationInvalid();
        }
        Optional<String> headerToken = StreamingService.tokenOf(context == null ? null
                : context.getHeader(AUTHORIZATION));
        String token = headerToken.orElse(st.accessToken);
        if (token == null || service.tokens().userIdFor(token).isEmpty()) {
            st.revoked = true;
            return authenticationInvalid();
        }
        st.accessToken = token;
        if (service.allocation().exhausted()) {
            return new Rejection(StreamingErrors.DAILY_LIMIT, advice("reconnect", "none", "interval", 0L), null,
                    true, service::terminate);
        }
        return null;
    }

    private Rejection authenticationInvalid() {
        return new Rejection(StreamingErrors.AUTHENTICATION_INVALID, advice("reconnect", "none", "interval", 0L),
                null, true, service::terminate);
    }

    private Rejection unknownClient() {
        return new Rejection(StreamingErrors.UNKNOWN_CLIENT, advice("interval", 0L, "reconnect", "handshake"), null,
                false, null);
    }

    private Rejection subscribe(ServerMessage.Mutable message, ServerMessage.Mutable reply) {
        List<String> channels = strings(message.get(Message.SUBSCRIPTION_FIELD));
        if (channels == null || channels.isEmpty()) {
            return failedSubscribe(StreamingErrors.CHANNEL_NOT_SPECIFIED);
        }
        List<Plan> plans = new ArrayList<>();
        for (String channel : channels) {
            if (channel == null || channel.isBlank()) {
                return failedSubscribe(StreamingErrors.CHANNEL_NOT_SPECIFIED);
            }
            if (!channel.startsWith("/")) {
                return failedSubscribe(StreamingErrors.CHANNEL_NEEDS_SLASH);
            }
            Optional<ChangeEventChannels.Target> target = ChangeEventChannels.resolve(channel, service.org());
            if (target.isEmpty()) {
                return failedSubscribe(StreamingErrors.noSuchChannel(channel));
            }
            Object raw = replayFrom(message, channel);
            Long replayId = toLong(raw);
            if (replayId == null) {
                return failedSubscribe(StreamingErrors.invalidReplayId(raw));
            }
            if (!service.log().isValidReplayFrom(replayId)) {
                return failedSubscribe(StreamingErrors.invalidReplayId(replayId));
            }
            long cursor = replayId == -1 ? service.log().lastReplayId()
                    : replayId == -2 ? Long.MIN_VALUE : replayId;
            plans.add(new Plan(channel, target.get().entities(), cursor));
        }
        reply.put(PLANS, plans);
        return null;
    }

    private static Rejection failedSubscribe(String error) {
        return new Rejection(error, null, null, true, null);
    }

    /** The replay id asked for {@code channel}: {@code ext.replay[channel]}, -1 (new events) when absent. */
    private static Object replayFrom(ServerMessage message, String channel) {
        Map<String, Object> ext = message.getExt();
        Object replay = ext == null ? null : ext.get("replay");
        if (replay instanceof Map<?, ?> map && map.containsKey(channel)) {
            return map.get(channel);
        }
        return -1L;
    }

    private static Long toLong(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 9.0e18 ? (long) d : null;
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ outgoing

    @Override
    public boolean sendMeta(ServerSession to, ServerMessage.Mutable reply) {
        Rejection r = (Rejection) reply.remove(REJECTION);
        @SuppressWarnings("unchecked")
        List<Plan> plans = (List<Plan>) reply.remove(PLANS);
        String channel = reply.getChannel();
        SalesforceSession s = to instanceof SalesforceSession ss ? ss : null;
        if (Channel.META_HANDSHAKE.equals(channel)) {
            handshakeReply(s, reply, r);
        } else if (Channel.META_CONNECT.equals(channel)) {
            connectReply(s, reply, r);
        } else if (Channel.META_SUBSCRIBE.equals(channel) || Channel.META_UNSUBSCRIBE.equals(channel)) {
            subscriptionReply(s, reply, r, plans);
        } else if (Channel.META_DISCONNECT.equals(channel)) {
            if (r == null && !reply.isSuccessful() && isSessionUnknown(reply)) {
                r = unknownClient();
            }
            finish(s, reply, r);
        }
        return true;
    }

    private void handshakeReply(SalesforceSession s, ServerMessage.Mutable reply, Rejection r) {
        if (r == null && !reply.isSuccessful()) {
            // CometD's own refusals (403::handshake_denied, 403::handshake_failed).
            r = new Rejection(StreamingErrors.HANDSHAKE_DENIED, advice("reconnect", "none"), null, false, null);
        }
        if (r != null) {
            apply(reply, r);
            service.counterSet().handshakesDenied.incrementAndGet();
            if (s != null) {
                service.releaseSlot(s.state);
            }
            return;
        }
        reply.remove(Message.ADVICE_FIELD);
        Map<String, Object> ext = reply.getExt(true);
        ext.put("replay", true);
        ext.put("payload.format", true);
        reply.put("reestablish", false);
        service.counterSet().handshakes.incrementAndGet();
        BayeuxContext context = reply.getBayeuxContext();
        if (context != null && context.getCookie(StreamingService.BROWSER_COOKIE) != null) {
            service.counterSet().reconnects.incrementAndGet();
        }
    }

    private void connectReply(SalesforceSession s, ServerMessage.Mutable reply, Rejection r) {
        if (r == null && reply.isSuccessful() && s != null) {
            // Checked again: the connect may have been held while the token was revoked or the client expired.
            r = state(s, reply.getBayeuxContext());
        }
        if (r == null && !reply.isSuccessful() && isSessionUnknown(reply)) {
            r = unknownClient();
        }
        if (r != null) {
            finish(s, reply, r);
            return;
        }
        if (reply.isSuccessful()) {
            Map<String, Object> cometd = reply.getAdvice();
            Map<String, Object> advice = new LinkedHashMap<>();
            advice.put(Message.INTERVAL_FIELD, cometd != null && cometd.get(Message.INTERVAL_FIELD) != null
                    ? cometd.get(Message.INTERVAL_FIELD) : 0L);
            advice.put(Message.TIMEOUT_FIELD, service.longPollTimeoutMs());
            // CometD says "none" for a session that disconnected while its connect was held.
            advice.put(Message.RECONNECT_FIELD, cometd != null && cometd.get(Message.RECONNECT_FIELD) != null
                    ? cometd.get(Message.RECONNECT_FIELD) : Message.RECONNECT_RETRY_VALUE);
            if (cometd != null && cometd.containsKey("multiple-clients")) {
                advice.put("multiple-clients", cometd.get("multiple-clients"));
            }
            reply.put(Message.ADVICE_FIELD, advice);
            addClientId(reply);
        }
    }

    private void subscriptionReply(SalesforceSession s, ServerMessage.Mutable reply, Rejection r, List<Plan> plans) {
        boolean subscribe = Channel.META_SUBSCRIBE.equals(reply.getChannel());
        if (r == null && !reply.isSuccessful()) {
            String error = String.valueOf(reply.get(Message.ERROR_FIELD));
            if (isSessionUnknown(reply)) {
                r = unknownClient();
            } else if (error.startsWith("403::subscription_missing")) {
                r = failedSubscribe(StreamingErrors.CHANNEL_NOT_SPECIFIED);
            } else if (error.startsWith("403::subscription_invalid")) {
                r = failedSubscribe(StreamingErrors.CHANNEL_NEEDS_SLASH);
            }
        }
        if (r != null || !reply.isSuccessful() || s == null) {
            finish(s, reply, r);
            return;
        }
        addClientId(reply);
        if (!subscribe) {
            List<String> channels = strings(reply.get(Message.SUBSCRIPTION_FIELD));
            if (channels != null) {
                channels.forEach(s.state::unsubscribe);
            }
            return;
        }
        if (plans == null) {
            return;
        }
        Exchange exchange = Exchange.of(reply);
        for (Plan p : plans) {
            ClientState.Subscription sub = s.state.subscribe(p.channel(), p.entities(), p.cursor());
            service.counterSet().subscribes.incrementAndGet();
            Consumer<Boolean> activate = written -> {
                if (written && s.state.activate(sub)) {
                    service.wake(s);
                }
            };
            if (exchange == null) {
                activate.accept(true);
            } else {
                // Replayed events go out only after the client has its subscribe reply.
                exchange.onComplete(activate);
            }
        }
    }

    private void finish(SalesforceSession s, ServerMessage.Mutable reply, Rejection r) {
        if (r == null) {
            if (reply.isSuccessful()) {
                addClientId(reply);
            }
            return;
        }
        apply(reply, r);
        if (StreamingErrors.UNKNOWN_CLIENT.equals(r.error())) {
            service.counterSet().unknownClientReplies.incrementAndGet();
        }
        if (r.after() != null && s != null) {
            r.after().accept(s);
        }
    }

    private static boolean isSessionUnknown(ServerMessage reply) {
        Object error = reply.get(Message.ERROR_FIELD);
        return error instanceof String e && e.startsWith("402::");
    }

    private static void apply(ServerMessage.Mutable reply, Rejection r) {
        reply.remove(Message.ADVICE_FIELD);
        reply.remove(Message.EXT_FIELD);
        reply.remove(Message.CLIENT_ID_FIELD);
        reply.setSuccessful(false);
        reply.put(Message.ERROR_FIELD, r.error());
        if (r.advice() != null) {
            reply.put(Message.ADVICE_FIELD, new LinkedHashMap<>(r.advice()));
        }
        if (r.ext() != null) {
            reply.put(Message.EXT_FIELD, r.ext());
        }
        if (r.withClientId()) {
            addClientId(reply);
        }
    }

    private static void addClientId(ServerMessage.Mutable reply) {
        ServerMessage.Mutable request = reply.getAssociated();
        String clientId = request == null ? null : request.getClientId();
        if (clientId != null && reply.getClientId() == null) {
            reply.setClientId(clientId);
        }
    }

    private static Map<String, Object> advice(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** A string or an array/list of strings as a list; null for anything else. */
    private static List<String> strings(Object v) {
        if (v instanceof String s) {
            return List.of(s);
        }
        Collection<?> items = v instanceof Object[] array ? Arrays.asList(array)
                : v instanceof Collection<?> c ? c : null;
        if (items == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object o : items) {
            out.add(o == null ? null : String.valueOf(o));
        }
        return out;
    }
}
