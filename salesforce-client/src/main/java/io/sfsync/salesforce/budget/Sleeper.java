package io.sfsync.salesforce.budget;

import java.time.Duration;

/** Waits; injected so tests do not sleep for real. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep}. */
    static Sleeper system() {
        return d -> {
            if (!d.isNegative() && !d.isZero()) {
                Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
            }
        };
    }
}
