package io.sfsync.salesforce.metrics;

import io.sfsync.salesforce.error.ErrorCategory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counters of one client (typically one connector task), cheap and thread-safe, for the connectors to publish as
 * Kafka metrics. No Kafka types here: a connector reads {@link #snapshot()} or the getters, or registers a
 * {@link Listener} to be told of each event.
 */
public final class ClientMetrics {

    /** Told of each event as it happens, on the calling thread; implementations must be fast and not throw. */
    public interface Listener {
        default void onCall(CallKind kind) { }
        default void onRetry(CallKind kind, String errorCode) { }
        default void onFailure(CallKind kind, ErrorCategory category) { }
        default void onReauthentication() { }
        default void onTokenRequest() { }
        default void onWriteCall(CallKind kind, int records, int failedRecords) { }
        default void onBudgetWait() { }
    }

    private final Map<CallKind, LongAdder> calls = new EnumMap<>(CallKind.class);
    private final Map<ErrorCategory, LongAdder> failures = new EnumMap<>(ErrorCategory.class);
    private final LongAdder retries = new LongAdder();
    private final LongAdder reauthentications = new LongAdder();
    private final LongAdder tokenRequests = new LongAdder();
    private final LongAdder writeCalls = new LongAdder();
    private final LongAdder recordsWritten = new LongAdder();
    private final LongAdder recordsFailed = new LongAdder();
    private final AtomicLong maxRecordsPerCall = new AtomicLong();
    private final LongAdder budgetWaits = new LongAdder();
    private final LongAdder describeNotModified = new LongAdder();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile LongSupplier budgetRemaining = () -> -1;

    public ClientMetrics() {
        for (CallKind k : CallKind.values()) {
            calls.put(k, new LongAdder());
        }
        for (ErrorCategory c : ErrorCategory.values()) {
            failures.put(c, new LongAdder());
        }
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Where {@link #budgetRemaining()} reads from: the org's budget governor. */
    public void budgetRemainingFrom(LongSupplier supplier) {
        budgetRemaining = supplier;
    }

    // -------------------------------------------------------------------------------------------- recording

    /** One HTTP request sent to the API (retries and re-sends after a re-login count again). */
    public void recordCall(CallKind kind) {
        calls.get(kind).increment();
        listeners.forEach(l -> l.onCall(kind));
    }

    public void recordRetry(CallKind kind, String errorCode) {
        retries.increment();
        listeners.forEach(l -> l.onRetry(kind, errorCode));
    }

    /** A call that finally failed (after any retries). */
    public void recordFailure(CallKind kind, ErrorCategory category) {
        failures.get(category).increment();
        listeners.forEach(l -> l.onFailure(kind, category));
    }

    public void recordReauthentication() {
        reauthentications.increment();
        listeners.forEach(Listener::onReauthentication);
    }

    public void recordTokenRequest() {
        tokenRequests.increment();
        listeners.forEach(Listener::onTokenRequest);
    }

    /** One write call that carried {@code records} records, of which {@code failedRecords} were rejected. */
    public void recordWriteCall(CallKind kind, int records, int failedRecords) {
        writeCalls.increment();
        recordsWritten.add(records);
        recordsFailed.add(failedRecords);
        maxRecordsPerCall.accumulateAndGet(records, Math::max);
        listeners.forEach(l -> l.onWriteCall(kind, records, failedRecords));
    }

    public void recordBudgetWait() {
        budgetWaits.increment();
        listeners.forEach(Listener::onBudgetWait);
    }

    public void recordDescribeNotModified() {
        describeNotModified.increment();
    }

    // -------------------------------------------------------------------------------------------- reading

    public long calls(CallKind kind) {
        return calls.get(kind).sum();
    }

    public long totalCalls() {
        return calls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long failures(ErrorCategory category) {
        return failures.get(category).sum();
    }

    public long retries() {
        return retries.sum();
    }

    public long reauthentications() {
        return reauthentications.sum();
    }

    public long tokenRequests() {
        return tokenRequests.sum();
    }

    public long writeCalls() {
        return writeCalls.sum();
    }

    public long recordsWritten() {
        return recordsWritten.sum();
    }

    public long recordsFailed() {
        return recordsFailed.sum();
    }

    /** Average records per write call, 0 before the first write. */
    public double recordsPerWriteCall() {
        long c = writeCalls.sum();
        return c == 0 ? 0 : (double) recordsWritten.sum() / c;
    }

    public long maxRecordsPerCall() {
        return maxRecordsPerCall.get();
    }

    /** Calls of this client that had to wait for API budget. */
    public long budgetWaits() {
        return budgetWaits.sum();
    }

    public long describeNotModified() {
        return describeNotModified.sum();
    }

    /** Calls the governor will still admit under its share of the daily allocation; -1 when unknown. */
    public long budgetRemaining() {
        return budgetRemaining.getAsLong();
    }

    public Snapshot snapshot() {
        Map<CallKind, Long> byKind = new EnumMap<>(CallKind.class);
        calls.forEach((k, v) -> byKind.put(k, v.sum()));
        Map<ErrorCategory, Long> byCategory = new EnumMap<>(ErrorCategory.class);
        failures.forEach((k, v) -> byCategory.put(k, v.sum()));
        return new Snapshot(Map.copyOf(byKind), Map.copyOf(byCategory), retries(), reauthentications(),
                tokenRequests(), writeCalls(), recordsWritten(), recordsFailed(), recordsPerWriteCall(),
                budgetWaits(), budgetRemaining());
    }

    /** All counters at one moment. */
    public record Snapshot(Map<CallKind, Long> callsByKind, Map<ErrorCategory, Long> failuresByCategory,
                           long retries, long reauthentications, long tokenRequests, long writeCalls,
                           long recordsWritten, long recordsFailed, double recordsPerWriteCall, long budgetWaits,
                           long budgetRemaining) {
    }
}
