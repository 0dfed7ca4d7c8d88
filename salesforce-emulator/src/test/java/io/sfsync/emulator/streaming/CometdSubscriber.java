package io.sfsync.emulator.streaming;

import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSession;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A CDC subscriber the way Salesforce's own examples build one on the CometD Java client: Authorization header
 * on every request, a replay extension sending the whole channel map on subscribe, subscriptions made from the
 * /meta/handshake listener (so they are made again after a re-handshake) from the last replay id received.
 */
final class CometdSubscriber {

    final HttpClient httpClient = new HttpClient();
    final BayeuxClient client;
    final Map<String, Long> replayFrom = new ConcurrentHashMap<>();
    final List<Message> events = new CopyOnWriteArrayList<>();
    /** {@link System#nanoTime()} when each of {@link #events} arrived, same order (one listener thread). */
    final List<Long> arrivalNanos = new CopyOnWriteArrayList<>();
    final List<Message> handshakeReplies = new CopyOnWriteArrayList<>();
    final List<Message> connectReplies = new CopyOnWriteArrayList<>();
    final List<Message> subscribeReplies = new CopyOnWriteArrayList<>();
    private final List<String> channels;
    private final ExecutorService subscriber = Executors.newSingleThreadExecutor();
    volatile String token;
    /** When set, re-subscribing after a handshake waits for it (to commit events while unsubscribed). */
    volatile CountDownLatch subscribeGate;

    CometdSubscriber(String url, String token, long replayFromId, String... channels) throws Exception {
        this.token = token;
        this.channels = List.of(channels);
        for (String c : channels) {
            replayFrom.put(c, replayFromId);
        }
        httpClient.start();
        JettyHttpClientTransport transport = new JettyHttpClientTransport(new HashMap<>(), httpClient) {
            @Override
            protected void customize(Request request) {
                request.headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + CometdSubscriber.this.token));
            }
        };
        client = new BayeuxClient(url, transport);
        client.setBackOffStrategy(new BayeuxClient.BackOffStrategy.Linear(20, 200));
        client.addExtension(new ClientSession.Extension() {
            @Override
            public boolean sendMeta(ClientSession session, Message.Mutable message) {
                if (Channel.META_SUBSCRIBE.equals(message.getChannel())) {
                    message.getExt(true).put("replay", new HashMap<>(replayFrom));
                }
                return true;
            }
        });
        client.getChannel(Channel.META_HANDSHAKE).addListener((ClientSessionChannel.MessageListener) (ch, m) -> {
            handshakeReplies.add(m);
            if (m.isSuccessful()) {
                subscriber.execute(this::subscribeAll);
            }
        });
        client.getChannel(Channel.META_CONNECT).addListener(
                (ClientSessionChannel.MessageListener) (ch, m) -> connectReplies.add(m));
    }

    CometdSubscriber start() {
        client.handshake();
        return this;
    }

    private void subscribeAll() {
        CountDownLatch gate = subscribeGate;
        if (gate != null) {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (String c : channels) {
            client.getChannel(c).subscribe((ch, m) -> {
                arrivalNanos.add(System.nanoTime());
                events.add(m);
                Object replayId = m.getDataAsMap() == null ? null
                        : ((Map<?, ?>) m.getDataAsMap().get("event")).get("replayId");
                replayFrom.put(c, ((Number) replayId).longValue());
            }, subscribeReplies::add);
        }
    }

    /** Whether every channel has had a successful subscribe reply. */
    boolean subscribed() {
        return subscribeReplies.stream().filter(Message::isSuccessful).count() >= channels.size();
    }

    List<String> errors(List<Message> replies) {
        List<String> out = new ArrayList<>();
        for (Message m : replies) {
            if (!m.isSuccessful() && m.get(Message.ERROR_FIELD) != null) {
                out.add(String.valueOf(m.get(Message.ERROR_FIELD)));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> header(Message event) {
        Map<String, Object> payload = (Map<String, Object>) event.getDataAsMap().get("payload");
        return (Map<String, Object>) payload.get("ChangeEventHeader");
    }

    static String firstRecordId(Message event) {
        Object ids = header(event).get("recordIds");
        Object first = ids instanceof Object[] a ? a[0] : ((List<?>) ids).get(0);
        return String.valueOf(first);
    }

    /** A JSON array as the client parsed it (a list or an array), as strings. */
    static List<String> strings(Object array) {
        List<?> items = array instanceof Object[] a ? List.of(a) : (List<?>) array;
        return items.stream().map(String::valueOf).toList();
    }

    static long replayId(Message event) {
        return ((Number) ((Map<?, ?>) event.getDataAsMap().get("event")).get("replayId")).longValue();
    }

    public void close() throws Exception {
        subscriber.shutdownNow();
        client.disconnect(2000);
        httpClient.stop();
    }
}
