package io.sfsync.emulator.cdc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The org's event bus for Change Data Capture: an append-only log of change events with replay ids, kept for
 * the retention window (72 hours in Salesforce) and then dropped, or dropped earlier once more than a bounded number
 * of events are retained (the org lives in the heap).
 *
 * <p>Replay ids grow but are not contiguous (Salesforce says to treat them as opaque), so ids advance by a small
 * random step; clients that assume {@code +1} break here as they would against a real org. The same replay id
 * identifies an event on {@code /data/ChangeEvents} and on its entity channel.
 *
 * <p>Subscribers (the streaming server) register a listener that is called after each append, outside the lock.
 */
public final class ChangeEventLog {

    /** Salesforce retains change events for 72 hours. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(72);
    /** The emulator's bound on retained events, whatever their age: about 1.3 KB of heap each. */
    public static final int DEFAULT_MAX_RETAINED_EVENTS = 100_000;

    private final Clock clock;
    /** Retained events are {@code events[head..]}; evicted ones before head are dropped in batches (compact). */
    private final List<ChangeEvent> events = new ArrayList<>();
    private int head;
    private final List<Consumer<List<ChangeEvent>>> listeners = new CopyOnWriteArrayList<>();
    private volatile Duration retention = DEFAULT_RETENTION;
    private volatile int maxRetainedEvents = DEFAULT_MAX_RETAINED_EVENTS;
    private long lastReplayId;
    /** Replay ids handed out and later dropped by retention are still "known" but expired. */
    private long oldestRetainedFloor;

    public ChangeEventLog(Clock clock, long firstReplayId) {
        this.clock = clock;
        this.lastReplayId = firstReplayId;
        this.oldestRetainedFloor = firstReplayId;
    }

    /** An event before it has a replay id. */
    public record Pending(String entityName, String changeType, List<String> recordIds, Instant committedAt,
                          Map<String, Object> dataWithoutEvent) {
    }

    /** Appends events of one commit, in order, assigning replay ids; returns them as retained. */
    public List<ChangeEvent> append(List<Pending> pending) {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<ChangeEvent> appended = new ArrayList<>(pending.size());
        synchronized (this) {
            for (Pending p : pending) {
                lastReplayId += 1 + ThreadLocalRandom.current().nextInt(3);
                Map<String, Object> data = new LinkedHashMap<>(p.dataWithoutEvent());
                data.put("event", Map.of("replayId", lastReplayId));
                ChangeEvent e = new ChangeEvent(lastReplayId, p.entityName(), p.changeType(), p.recordIds(),
                        p.committedAt(), data);
                events.add(e);
                appended.add(e);
            }
            evictLocked();
        }
        for (Consumer<List<ChangeEvent>> l : listeners) {
            l.accept(appended);
        }
        return appended;
    }

    public void addListener(Consumer<List<ChangeEvent>> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<List<ChangeEvent>> listener) {
        listeners.remove(listener);
    }

    /**
     * Retained events with a replay id greater than {@code afterReplayId}, for the given entities (null = all),
     * at most {@code max} of them, oldest first.
     */
    public synchronized List<ChangeEvent> after(long afterReplayId, Set<String> entities, int max) {
        evictLocked();
        List<ChangeEvent> out = new ArrayList<>();
        int from = Math.max(head, firstIndexAfter(afterReplayId));
        for (int i = from; i < events.size() && out.size() < max; i++) {
            ChangeEvent e = events.get(i);
            if (entities == null || entities.contains(e.entityName())) {
                out.add(e);
            }
        }
        return out;
    }

    private int firstIndexAfter(long replayId) {
        int lo = head;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).replayId() <= replayId) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Whether a client may resume after {@code replayId}: it must be -1 (tip), -2 (earliest), or an id this bus
     * issued whose successors are all still retained. An id older than the retention window, or one this bus
     * never issued (greater than the last id), is invalid and gets Salesforce's 400 on subscribe.
     */
    public synchronized boolean isValidReplayFrom(long replayId) {
        if (replayId == -1 || replayId == -2) {
            return true;
        }
        evictLocked();
        return replayId >= oldestRetainedFloor && replayId <= lastReplayId;
    }

    public synchronized long lastReplayId() {
        return lastReplayId;
    }

    /** Drops every event committed before {@code cutoff}, as if the retention window had passed over them. */
    public synchronized int expireBefore(Instant cutoff) {
        int n = 0;
        while (head < events.size() && events.get(head).committedAt().isBefore(cutoff)) {
            evictOldest();
            n++;
        }
        compact();
        return n;
    }

    private void evictOldest() {
        oldestRetainedFloor = events.get(head).replayId();
        events.set(head, null);
        head++;
    }

    /** Drops evicted slots once they are the larger part of the list, keeping eviction amortised O(1). */
    private void compact() {
        if (head > 0 && head >= events.size() / 2) {
            events.subList(0, head).clear();
            head = 0;
        }
    }

    /** Drops every retained event now (the control API's "retention expiry" fault). */
    public synchronized int expireAll() {
        int n = events.size() - head;
        if (n > 0) {
            oldestRetainedFloor = events.get(events.size() - 1).replayId();
        }
        events.clear();
        head = 0;
        return n;
    }

    public synchronized int size() {
        return events.size() - head;
    }

    public Duration retention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public void setMaxRetainedEvents(int max) {
        this.maxRetainedEvents = max;
    }

    private void evictLocked() {
        expireBefore(clock.instant().minus(retention));
        while (events.size() - head > maxRetainedEvents) {
            evictOldest();
        }
        compact();
    }
}
