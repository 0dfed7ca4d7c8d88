package io.sfsync.salesforce.budget;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link ApiBudgetGovernor} spends an org's API allocation.
 *
 * @param dailyShare               the share of the daily API allocation this JVM's callers may use (0 &lt; share
 *                                 &lt;= 1); calls beyond it wait for budget
 * @param maxRequestsPerSecond     a request rate not to exceed, 0 for none
 * @param maxConcurrentLongRunning how many possibly long-running calls (queries, Bulk) may run at once
 * @param initialBackoff           the first back-off after a retriable error; it doubles per retry, with jitter
 * @param maxBackoff               the longest single back-off
 * @param maxRetryTime             the total time spent retrying one call (time waiting for budget not included),
 *                                 after which the retriable error is rethrown to the caller
 * @param maxAttempts              the most attempts for one call, retries included
 * @param limitsPollInterval       while calls wait for budget, how often {@code /limits} is read (each read is
 *                                 one API call, made even above the share but never past the org's hard limit)
 * @param waitCheckInterval        how often a waiting call re-checks the budget
 */
public record BudgetConfig(double dailyShare, double maxRequestsPerSecond, int maxConcurrentLongRunning,
                           Duration initialBackoff, Duration maxBackoff, Duration maxRetryTime, int maxAttempts,
                           Duration limitsPollInterval, Duration waitCheckInterval) {

    public BudgetConfig {
        if (!(dailyShare > 0 && dailyShare <= 1)) {
            throw new IllegalArgumentException("dailyShare must be in (0, 1], got " + dailyShare);
        }
        if (maxRequestsPerSecond < 0 || Double.isNaN(maxRequestsPerSecond)) {
            throw new IllegalArgumentException("maxRequestsPerSecond must be >= 0, got " + maxRequestsPerSecond);
        }
        if (maxConcurrentLongRunning < 1) {
            throw new IllegalArgumentException("maxConcurrentLongRunning must be >= 1");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxRetryTime, "maxRetryTime");
        Objects.requireNonNull(limitsPollInterval, "limitsPollInterval");
        Objects.requireNonNull(waitCheckInterval, "waitCheckInterval");
    }

    /** 80% of the daily allocation, no rate cap, 5 long-running calls, back-off 200 ms..30 s within 5 minutes. */
    public static BudgetConfig defaults() {
        return new BudgetConfig(0.8, 0, 5, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofMinutes(5),
                30, Duration.ofMinutes(5), Duration.ofSeconds(1));
    }

    public BudgetConfig withDailyShare(double v) {
        return new BudgetConfig(v, maxRequestsPerSecond, maxConcurrentLongRunning, initialBackoff, maxBackoff,
                maxRetryTime, maxAttempts, limitsPollInterval, waitCheckInterval);
    }

    public BudgetConfig withMaxRequestsPerSecond(double v) {
        return new BudgetConfig(dailyShare, v, maxConcurrentLongRunning, initialBackoff, maxBackoff,
                maxRetryTime, maxAttempts, limitsPollInterval, waitCheckInterval);
    }

    public BudgetConfig withMaxConcurrentLongRunning(int v) {
        return new BudgetConfig(dailyShare, maxRequestsPerSecond, v, initialBackoff, maxBackoff,
                maxRetryTime, maxAttempts, limitsPollInterval, waitCheckInterval);
    }

    public BudgetConfig withBackoff(Duration initial, Duration max, Duration maxTotal, int attempts) {
        return new BudgetConfig(dailyShare, maxRequestsPerSecond, maxConcurrentLongRunning, initial, max,
                maxTotal, attempts, limitsPollInterval, waitCheckInterval);
    }

    public BudgetConfig withPolling(Duration limitsPoll, Duration waitCheck) {
        return new BudgetConfig(dailyShare, maxRequestsPerSecond, maxConcurrentLongRunning, initialBackoff,
                maxBackoff, maxRetryTime, maxAttempts, limitsPoll, waitCheck);
    }
}
