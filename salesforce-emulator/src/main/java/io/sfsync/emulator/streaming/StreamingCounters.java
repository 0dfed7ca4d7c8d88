package io.sfsync.emulator.streaming;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the streaming endpoint has done, for the control API and tests. Thread-safe. */
final class StreamingCounters {

    final AtomicLong handshakes = new AtomicLong();
    final AtomicLong handshakesDenied = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong connects = new AtomicLong();
    final AtomicLong unknownClientReplies = new AtomicLong();
    final AtomicLong expiredClients = new AtomicLong();
    final AtomicLong droppedLongPolls = new AtomicLong();
    final AtomicLong failedResponses = new AtomicLong();
    final AtomicLong subscribes = new AtomicLong();
    final AtomicLong eventsDelivered = new AtomicLong();
    final AtomicLong eventsRedelivered = new AtomicLong();
    private final Map<String, AtomicLong> deliveredByClient = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> deliveredByChannel = new ConcurrentHashMap<>();

    void delivered(String clientId, String channel) {
        eventsDelivered.incrementAndGet();
        deliveredByClient.computeIfAbsent(clientId, k -> new AtomicLong()).incrementAndGet();
        deliveredByChannel.computeIfAbsent(channel, k -> new AtomicLong()).incrementAndGet();
    }

    Map<String, Long> deliveredByClient() {
        return snapshot(deliveredByClient);
    }

    Map<String, Long> deliveredByChannel() {
        return snapshot(deliveredByChannel);
    }

    Map<String, Object> toMap(int currentClients, long dailyUsed, long dailyAllocation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("currentClients", currentClients);
        m.put("handshakes", handshakes.get());
        m.put("handshakesDenied", handshakesDenied.get());
        m.put("reconnects", reconnects.get());
        m.put("connects", connects.get());
        m.put("unknownClientReplies", unknownClientReplies.get());
        m.put("expiredClients", expiredClients.get());
        m.put("droppedLongPolls", droppedLongPolls.get());
        m.put("failedResponses", failedResponses.get());
        m.put("subscribes", subscribes.get());
        m.put("eventsDelivered", eventsDelivered.get());
        m.put("eventsRedelivered", eventsRedelivered.get());
        m.put("dailyDeliveredEvents", dailyUsed);
        m.put("dailyDeliveryAllocation", dailyAllocation);
        m.put("deliveredByClient", deliveredByClient());
        m.put("deliveredByChannel", deliveredByChannel());
        return m;
    }

    void reset() {
        for (AtomicLong a : new AtomicLong[] {handshakes, handshakesDenied, reconnects, connects,
                unknownClientReplies, expiredClients, droppedLongPolls, failedResponses, subscribes, eventsDelivered,
                eventsRedelivered}) {
            a.set(0);
        }
        deliveredByClient.clear();
        deliveredByChannel.clear();
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
