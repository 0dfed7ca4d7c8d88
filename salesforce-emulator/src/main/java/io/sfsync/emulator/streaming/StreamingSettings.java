package io.sfsync.emulator.streaming;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the streaming endpoint, with Salesforce's values as defaults. Every duration can be shortened for
 * tests.
 *
 * <p>The long-poll timeout, the reconnect window and the sweep period are read when the CometD server starts
 * (when the servlet is initialised); the client limit, the daily delivery allocation and the batch size are read
 * on every use and can change at any time.
 */
public final class StreamingSettings {

    /** Salesforce holds a /meta/connect for 110 seconds ({@code advice.timeout} 110000). */
    public static final Duration DEFAULT_LONG_POLL_TIMEOUT = Duration.ofSeconds(110);
    /** A client that has not re-connected within 40 seconds of its last connect reply is expired. */
    public static final Duration DEFAULT_RECONNECT_WINDOW = Duration.ofSeconds(40);
    /** Concurrent CometD clients of a Developer Edition org. */
    public static final int DEFAULT_MAX_CONCURRENT_CLIENTS = 20;
    /** The version shown in the "URI format" error texts. */
    public static final String DEFAULT_CURRENT_API_VERSION = "62.0";

    private volatile Duration longPollTimeout = DEFAULT_LONG_POLL_TIMEOUT;
    private volatile Duration reconnectWindow = DEFAULT_RECONNECT_WINDOW;
    private volatile Duration sweepPeriod;
    private volatile int maxConcurrentClients = DEFAULT_MAX_CONCURRENT_CLIENTS;
    private volatile long dailyDeliveryAllocation = -1;
    private volatile int maxEventsPerResponse = 100;
    private volatile double minimumApiVersion = 37.0;
    private volatile String currentApiVersion = DEFAULT_CURRENT_API_VERSION;
    private volatile int maxRequestBytes = 32_768;

    public static StreamingSettings defaults() {
        return new StreamingSettings();
    }

    public Duration longPollTimeout() {
        return longPollTimeout;
    }

    /** How long a /meta/connect is held when there is nothing to deliver (Salesforce: 110 s). */
    public StreamingSettings longPollTimeout(Duration v) {
        longPollTimeout = positive(v, "longPollTimeout");
        return this;
    }

    public Duration reconnectWindow() {
        return reconnectWindow;
    }

    /** How long after a connect reply the client has to send its next /meta/connect (Salesforce: 40 s). */
    public StreamingSettings reconnectWindow(Duration v) {
        reconnectWindow = positive(v, "reconnectWindow");
        return this;
    }

    /** How often expired clients are looked for: a quarter of the reconnect window, between 50 ms and 1 s. */
    public Duration sweepPeriod() {
        Duration explicit = sweepPeriod;
        if (explicit != null) {
            return explicit;
        }
        long quarter = reconnectWindow.toMillis() / 4;
        return Duration.ofMillis(Math.max(50, Math.min(997, quarter)));
    }

    public StreamingSettings sweepPeriod(Duration v) {
        sweepPeriod = positive(v, "sweepPeriod");
        return this;
    }

    public int maxConcurrentClients() {
        return maxConcurrentClients;
    }

    /** Handshakes beyond this many live clients fail with {@code 403::Organization concurrent user limit exceeded}. */
    public StreamingSettings maxConcurrentClients(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("maxConcurrentClients must not be negative: " + v);
        }
        maxConcurrentClients = v;
        return this;
    }

    /** Events that may be delivered in a rolling 24 hours, counted per subscriber; negative = unlimited. */
    public long dailyDeliveryAllocation() {
        return dailyDeliveryAllocation;
    }

    public StreamingSettings dailyDeliveryAllocation(long v) {
        dailyDeliveryAllocation = v;
        return this;
    }

    public int maxEventsPerResponse() {
        return maxEventsPerResponse;
    }

    /** At most this many events are put in one /meta/connect response. */
    public StreamingSettings maxEventsPerResponse(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("maxEventsPerResponse must be at least 1: " + v);
        }
        maxEventsPerResponse = v;
        return this;
    }

    public double minimumApiVersion() {
        return minimumApiVersion;
    }

    public StreamingSettings minimumApiVersion(double v) {
        minimumApiVersion = v;
        return this;
    }

    public String currentApiVersion() {
        return currentApiVersion;
    }

    public StreamingSettings currentApiVersion(String v) {
        currentApiVersion = Objects.requireNonNull(v);
        return this;
    }

    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    /** Larger request bodies get HTTP 413, as Salesforce's 32,768-byte limit. */
    public StreamingSettings maxRequestBytes(int v) {
        maxRequestBytes = v;
        return this;
    }

    private static Duration positive(Duration v, String name) {
        if (v == null || v.isNegative() || v.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
        return v;
    }
}
