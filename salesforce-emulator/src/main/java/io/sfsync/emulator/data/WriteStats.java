package io.sfsync.emulator.data;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many records each write call carried, so tests and benchmarks can check batching (records per counted
 * API call) from the server's side.
 */
public final class WriteStats {

    private final LongAdder calls = new LongAdder();
    private final LongAdder records = new LongAdder();
    private final Map<Integer, LongAdder> callsBySize = new ConcurrentHashMap<>();

    /** Records one write call (a REST write, a collections call, a composite call or a Bulk job). */
    public void recordCall(int recordCount) {
        calls.increment();
        records.add(recordCount);
        callsBySize.computeIfAbsent(recordCount, k -> new LongAdder()).increment();
    }

    public long calls() { return calls.sum(); }
    public long records() { return records.sum(); }

    public Map<Integer, Long> callsBySize() {
        Map<Integer, Long> out = new TreeMap<>();
        callsBySize.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public void reset() {
        calls.reset();
        records.reset();
        callsBySize.clear();
    }
}
