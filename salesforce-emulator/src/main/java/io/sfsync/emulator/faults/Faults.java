package io.sfsync.emulator.faults;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Faults injected on purpose, set through the control API, read by the HTTP layer, the write engine and the
 * streaming server. Rates are probabilities in [0, 1]; every field is independent and can change at any time.
 */
public final class Faults {

    private volatile Duration latency = Duration.ZERO;
    private volatile double serverUnavailableRate;
    private volatile double serverErrorRate;
    private volatile double lockRowRate;
    private volatile double dropLongPollRate;
    private volatile int failNextRequests503;

    public Duration latency() { return latency; }
    public void setLatency(Duration v) { latency = v == null ? Duration.ZERO : v; }
    public double serverUnavailableRate() { return serverUnavailableRate; }
    public void setServerUnavailableRate(double v) { serverUnavailableRate = checkRate(v); }
    public double serverErrorRate() { return serverErrorRate; }
    public void setServerErrorRate(double v) { serverErrorRate = checkRate(v); }
    public double lockRowRate() { return lockRowRate; }
    public void setLockRowRate(double v) { lockRowRate = checkRate(v); }
    public double dropLongPollRate() { return dropLongPollRate; }
    public void setDropLongPollRate(double v) { dropLongPollRate = checkRate(v); }

    /** Makes exactly the next {@code n} counted API requests answer 503, for deterministic tests. */
    public void failNextRequestsWith503(int n) { failNextRequests503 = n; }

    public synchronized boolean takeForced503() {
        if (failNextRequests503 > 0) {
            failNextRequests503--;
            return true;
        }
        return false;
    }

    public boolean roll(double rate) {
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    public void reset() {
        latency = Duration.ZERO;
        serverUnavailableRate = 0;
        serverErrorRate = 0;
        lockRowRate = 0;
        dropLongPollRate = 0;
        failNextRequests503 = 0;
    }

    private static double checkRate(double v) {
        if (v < 0 || v > 1 || Double.isNaN(v)) {
            throw new IllegalArgumentException("a rate must be between 0 and 1, got " + v);
        }
        return v;
    }
}
