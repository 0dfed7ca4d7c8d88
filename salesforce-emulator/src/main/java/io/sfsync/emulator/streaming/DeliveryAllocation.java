package io.sfsync.emulator.streaming;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The org's event delivery allocation: events delivered to subscribers in a rolling 24 hours (each event counts
 * once per subscriber it reaches), shared by all clients. Events are reserved when taken into a response and
 * released if that response fails.
 */
final class DeliveryAllocation {

    private static final Duration WINDOW = Duration.ofHours(24);

    private final Clock clock;
    private final LongSupplier limit;
    /** (epoch millis, count) of each reservation or release, oldest first. */
    private final Deque<long[]> entries = new ArrayDeque<>();
    private long used;

    DeliveryAllocation(Clock clock, LongSupplier limit) {
        this.clock = clock;
        this.limit = limit;
    }

    /** How many of {@code wanted} events may be delivered now; they are counted as used. */
    synchronized int reserve(int wanted) {
        long max = limit.getAsLong();
        if (max < 0) {
            record(wanted);
            return wanted;
        }
        prune();
        int granted = (int) Math.max(0, Math.min(wanted, max - used));
        if (granted > 0) {
            record(granted);
        }
        return granted;
    }

    synchronized void release(int count) {
        if (count > 0) {
            record(-count);
        }
    }

    /** Whether the allocation is on and fully used. */
    synchronized boolean exhausted() {
        long max = limit.getAsLong();
        if (max < 0) {
            return false;
        }
        prune();
        return used >= max;
    }

    synchronized long used() {
        prune();
        return used;
    }

    synchronized void reset() {
        entries.clear();
        used = 0;
    }

    private void record(long count) {
        long now = clock.millis();
        long[] last = entries.peekLast();
        if (last != null && last[0] == now) {
            last[1] += count;
        } else {
            entries.addLast(new long[] {now, count});
        }
        used += count;
        prune();
    }

    private void prune() {
        long cutoff = clock.millis() - WINDOW.toMillis();
        while (!entries.isEmpty() && entries.peekFirst()[0] <= cutoff) {
            used -= entries.removeFirst()[1];
        }
        if (used < 0) {
            used = 0;
        }
    }
}
