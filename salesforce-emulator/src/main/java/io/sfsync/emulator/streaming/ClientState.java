package io.sfsync.emulator.streaming;

import io.sfsync.emulator.cdc.ChangeEvent;
import io.sfsync.emulator.cdc.ChangeEventLog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the streaming service knows about one CometD client: its token, its subscriptions with their delivery
 * cursors, and the batch of events in the response being written, if any.
 *
 * <p>Each subscription has one cursor, the replay id of the last event taken into a response. Retained and live
 * events are read from the {@link ChangeEventLog} through the same cursor, in replay id order, so a subscription
 * made while events are being committed neither skips nor repeats one. A taken batch is confirmed when its
 * response was written; when the response fails, the cursors go back to where they were and the events are sent
 * again. While a batch is in flight no other is taken, so events stay in order.
 */
final class ClientState {

    /** One subscription: a channel, the entities it carries ({@code null} = all), and its cursor. */
    static final class Subscription {
        final String channel;
        final Set<String> entities;
        long cursor;
        boolean active;

        Subscription(String channel, Set<String> entities, long cursor) {
            this.channel = channel;
            this.entities = entities;
            this.cursor = cursor;
        }
    }

    /** An event for one subscription. */
    record Item(Subscription subscription, ChangeEvent event) {
    }

    /** The events of one /meta/connect response, and the cursors to go back to if it is not written. */
    static final class Batch {
        final List<Item> items;
        final Map<Subscription, Long> previousCursors;

        Batch(List<Item> items, Map<Subscription, Long> previousCursors) {
            this.items = items;
            this.previousCursors = previousCursors;
        }
    }

    final String clientId;
    final AtomicBoolean holdsClientSlot = new AtomicBoolean();
    volatile String accessToken;
    volatile String userId;
    volatile boolean expired;
    volatile boolean revoked;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private Batch inflight;
    private boolean closed;

    ClientState(String clientId) {
        this.clientId = clientId;
    }

    /** Adds (or replaces) a subscription; it delivers nothing until {@link #activate} is called. */
    synchronized Subscription subscribe(String channel, Set<String> entities, long cursor) {
        Subscription s = new Subscription(channel, entities, cursor);
        if (!closed) {
            subscriptions.put(channel, s);
        }
        return s;
    }

    /** Starts delivery on a subscription whose subscribe reply has been written; false if it was replaced. */
    synchronized boolean activate(Subscription s) {
        if (subscriptions.get(s.channel) != s) {
            return false;
        }
        s.active = true;
        return true;
    }

    synchronized void unsubscribe(String channel) {
        subscriptions.remove(channel);
    }

    synchronized List<String> channels() {
        return List.copyOf(subscriptions.keySet());
    }

    synchronized void close() {
        closed = true;
        subscriptions.clear();
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Whether an active subscription would receive one of {@code events}. */
    synchronized boolean wantsAny(Collection<ChangeEvent> events) {
        for (Subscription s : subscriptions.values()) {
            if (!s.active) {
                continue;
            }
            for (ChangeEvent e : events) {
                if (e.replayId() > s.cursor && (s.entities == null || s.entities.contains(e.entityName()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a response taken now would carry at least one event. */
    synchronized boolean hasDeliverable(ChangeEventLog log) {
        if (closed || inflight != null) {
            return false;
        }
        for (Subscription s : subscriptions.values()) {
            if (s.active && !log.after(s.cursor, s.entities, 1).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes up to {@code max} events, across the active subscriptions in replay id order, and advances their
     * cursors; null when there is nothing to take or a batch is still in flight.
     */
    synchronized Batch take(ChangeEventLog log, int max) {
        if (closed || inflight != null || max <= 0) {
            return null;
        }
        List<Item> candidates = new ArrayList<>();
        for (Subscription s : subscriptions.values()) {
            if (s.active) {
                for (ChangeEvent e : log.after(s.cursor, s.entities, max)) {
                    candidates.add(new Item(s, e));
                }
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        // Stable sort: events of the same replay id (one event on two channels) keep subscription order.
        candidates.sort(Comparator.comparingLong(i -> i.event().replayId()));
        List<Item> items = List.copyOf(candidates.subList(0, Math.min(max, candidates.size())));
        Map<Subscription, Long> previous = new IdentityHashMap<>();
        for (Item i : items) {
            previous.putIfAbsent(i.subscription(), i.subscription().cursor);
            i.subscription().cursor = i.event().replayId();
        }
        inflight = new Batch(items, previous);
        return inflight;
    }

    /** The batch's response was written: its events are delivered. */
    synchronized void confirm(Batch b) {
        if (inflight == b) {
            inflight = null;
        }
    }

    /** The batch's response was not written: its subscriptions go back to where they were. */
    synchronized void restore(Batch b) {
        if (inflight != b) {
            return;
        }
        inflight = null;
        for (Map.Entry<Subscription, Long> e : b.previousCursors.entrySet()) {
            Subscription s = e.getKey();
            if (subscriptions.get(s.channel) == s) {
                s.cursor = e.getValue();
            }
        }
    }
}
