package io.sfsync.emulator.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The org's API allocations and what has been used of them, counted as Salesforce counts.
 *
 * <ul>
 *   <li>Daily API requests over a rolling 24 hours: every REST, composite, collections and Bulk 2.0 HTTP call
 *   counts 1 (the Versions resource and OAuth do not). Past the allocation every call gets 403
 *   {@code REQUEST_LIMIT_EXCEEDED} "TotalRequests Limit exceeded.".</li>
 *   <li>Concurrent long-running requests: requests running longer than a threshold (20 s in Salesforce) count;
 *   when the limit of them is reached, new requests get 403 "ConcurrentPerOrgLongTxn Limit exceeded.".</li>
 *   <li>An optional per-second cap, which Salesforce does not have as such, to let tests provoke throttling.</li>
 * </ul>
 * Usage is kept in one-minute buckets so the 24-hour window rolls like the real one.
 */
public final class ApiLimits {

    /** Enterprise Edition base allocation; the Developer Edition has 15,000. */
    public static final long DEFAULT_DAILY_API_REQUESTS = 100_000;

    private final Clock clock;
    private volatile long dailyMax = DEFAULT_DAILY_API_REQUESTS;
    private volatile int perSecondCap;
    private volatile int concurrentLongRunningLimit = 25;
    private volatile Duration longRunningThreshold = Duration.ofSeconds(20);

    private final Deque<long[]> minuteBuckets = new ArrayDeque<>(); // {epochMinute, count}
    private long usedInWindow;
    private long currentSecond = -1;
    private int callsThisSecond;

    private final Map<Long, Instant> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong requestSeq = new AtomicLong();
    private final Map<String, LongAdder> callsByEndpoint = new ConcurrentHashMap<>();
    private final LongAdder rejected = new LongAdder();

    public ApiLimits(Clock clock) {
        this.clock = clock;
    }

    /** The outcome of asking to make one counted call. */
    public enum Admission { ADMITTED, DAILY_LIMIT_EXCEEDED, RATE_CAP_EXCEEDED }

    /** Counts one API call against the allocation if there is room; the caller rejects the call otherwise. */
    public synchronized Admission tryAcquire(String endpoint) {
        Instant now = clock.instant();
        roll(now);
        if (usedInWindow >= dailyMax) {
            rejected.increment();
            return Admission.DAILY_LIMIT_EXCEEDED;
        }
        long second = now.getEpochSecond();
        if (second != currentSecond) {
            currentSecond = second;
            callsThisSecond = 0;
        }
        if (perSecondCap > 0 && callsThisSecond >= perSecondCap) {
            rejected.increment();
            return Admission.RATE_CAP_EXCEEDED;
        }
        callsThisSecond++;
        long minute = now.getEpochSecond() / 60;
        long[] last = minuteBuckets.peekLast();
        if (last == null || last[0] != minute) {
            minuteBuckets.addLast(new long[] {minute, 1});
        } else {
            last[1]++;
        }
        usedInWindow++;
        callsByEndpoint.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
        return Admission.ADMITTED;
    }

    private void roll(Instant now) {
        long oldestKept = now.getEpochSecond() / 60 - 24 * 60 + 1;
        while (!minuteBuckets.isEmpty() && minuteBuckets.peekFirst()[0] < oldestKept) {
            usedInWindow -= minuteBuckets.removeFirst()[1];
        }
    }

    public synchronized long used() {
        roll(clock.instant());
        return usedInWindow;
    }

    public long dailyMax() {
        return dailyMax;
    }

    public synchronized long remaining() {
        return Math.max(0, dailyMax - used());
    }

    /** {@code api-usage=N/M}, the value of the Sforce-Limit-Info header. */
    public String limitInfoHeader() {
        return "api-usage=" + used() + "/" + dailyMax;
    }

    public void setDailyMax(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("daily maximum must not be negative");
        }
        dailyMax = max;
    }

    /** Sets how much of the allocation is already used, as if earlier calls had been made this minute. */
    public synchronized void setUsed(long used) {
        minuteBuckets.clear();
        usedInWindow = 0;
        if (used > 0) {
            minuteBuckets.addLast(new long[] {clock.instant().getEpochSecond() / 60, used});
            usedInWindow = used;
        }
    }

    public void setPerSecondCap(int cap) {
        perSecondCap = Math.max(0, cap);
    }

    public int perSecondCap() {
        return perSecondCap;
    }

    public void setConcurrentLongRunning(int limit, Duration threshold) {
        concurrentLongRunningLimit = limit;
        longRunningThreshold = threshold;
    }

    public int concurrentLongRunningLimit() {
        return concurrentLongRunningLimit;
    }

    public Duration longRunningThreshold() {
        return longRunningThreshold;
    }

    /**
     * Registers a request as in flight, or returns -1 if the concurrent long-running limit is already reached by
     * requests that have been running longer than the threshold.
     */
    public synchronized long beginRequest() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(longRunningThreshold);
        long longRunning = inFlight.values().stream().filter(start -> !start.isAfter(cutoff)).count();
        if (longRunning >= concurrentLongRunningLimit) {
            rejected.increment();
            return -1;
        }
        long token = requestSeq.incrementAndGet();
        inFlight.put(token, now);
        return token;
    }

    public void endRequest(long token) {
        inFlight.remove(token);
    }

    public long rejectedCalls() {
        return rejected.sum();
    }

    /** Calls counted so far, by endpoint pattern (e.g. {@code PATCH /composite/sobjects}), since the last reset. */
    public Map<String, Long> callsByEndpoint() {
        Map<String, Long> out = new TreeMap<>();
        callsByEndpoint.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public synchronized void resetCounters() {
        callsByEndpoint.clear();
        rejected.reset();
    }
}
