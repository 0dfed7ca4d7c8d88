package io.sfsync.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling for integration tests: wait until a condition holds, or fail with what was last seen. No test of
 * ours sleeps for a fixed time or asserts on a duration.
 */
public final class Polling {

    /** The interval used when none is given. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(20);

    private Polling() {
    }

    /** Waits until {@code condition} holds; throws {@link AssertionError} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, DEFAULT_INTERVAL, condition, () -> "");
    }

    /**
     * Waits until {@code condition} holds, checking every {@code interval}; after {@code timeout} throws an
     * {@link AssertionError} naming {@code what} and {@code detail}. An exception from the condition ends the wait.
     */
    public static void await(String what, Duration timeout, Duration interval, BooleanSupplier condition,
                             Supplier<String> detail) {
        awaitValue(what, timeout, interval, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE)
                : Optional.empty(), detail);
    }

    /** Waits until {@code probe} yields a value and returns it; throws {@link AssertionError} after the timeout. */
    public static <T> T awaitValue(String what, Duration timeout, Supplier<Optional<T>> probe) {
        return awaitValue(what, timeout, DEFAULT_INTERVAL, probe, () -> "");
    }

    public static <T> T awaitValue(String what, Duration timeout, Duration interval, Supplier<Optional<T>> probe,
                                   Supplier<String> detail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                String more = detail.get();
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + (more.isEmpty() ? "" : "; " + more));
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
    }
}
