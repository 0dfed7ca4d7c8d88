package io.sfsync.salesforce.budget;

import io.sfsync.salesforce.error.ApiError;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.error.RetriableSalesforceException;
import io.sfsync.salesforce.error.SalesforceException;
import io.sfsync.salesforce.metrics.CallKind;
import io.sfsync.salesforce.metrics.ClientMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Spends one org's API allocation for every caller in this JVM (get it from a {@link GovernorRegistry}, one per
 * org). Every counted call goes through {@link #call} (or {@link #acquire} for callers that run their own loop,
 * such as a streaming client):
 *
 * <ul>
 *   <li><b>Daily share.</b> Usage is known from {@code Sforce-Limit-Info} on every response and from {@code /limits}
 *   at start. A call is admitted only while {@code used + in flight + 1 <= share x daily max}. Otherwise it
 *   <em>waits</em> (it never fails for lack of budget): one WARN line per waiting episode, a metric, and a read of
 *   {@code /limits} at most every {@link BudgetConfig#limitsPollInterval()} to notice that budget came back (the
 *   window rolled or the allocation was raised).</li>
 *   <li><b>Rate.</b> An optional requests-per-second cap, spacing calls evenly.</li>
 *   <li><b>Long-running calls.</b> At most {@link BudgetConfig#maxConcurrentLongRunning()} calls of a
 *   {@link CallKind#longRunning() long-running kind} at once.</li>
 *   <li><b>Back-off.</b> A retriable failure is retried after an exponential back-off with jitter, within
 *   {@link BudgetConfig#maxRetryTime()} and {@link BudgetConfig#maxAttempts()}; then it is rethrown, still
 *   retriable, for the caller to decide.</li>
 * </ul>
 * The usage estimate errs on the high side: a header never lowers it (responses arrive out of order), only a
 * {@code /limits} read does, and a call that got no response counts as used.
 */
public final class ApiBudgetGovernor {

    private static final Logger LOG = LoggerFactory.getLogger(ApiBudgetGovernor.class);

    /**
     * The error code of the {@link RetriableSalesforceException} thrown when a call with a bounded budget wait gave
     * up waiting. Ours, not Salesforce's: no request was sent.
     */
    public static final String BUDGET_WAIT_TIMEOUT = "SFSYNC_BUDGET_WAIT_TIMEOUT";

    /** One attempt of a call, run while holding a permit. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(Permit permit);
    }

    private final String orgKey;
    private final BudgetConfig config;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Random random;
    private final Semaphore longRunningSlots;

    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile LimitsSource limitsSource;
    // guarded by lock
    private long dailyMax = -1;
    private long reportedUsed;
    private long inFlight;
    private Instant lastLimitsRead = Instant.MIN;
    private Instant nextRateSlot = Instant.MIN;
    private int waitingCalls;
    private Instant episodeStart;
    private Instant episodeEnd;
    private Instant lastEpisodeStart;
    private boolean endLogged;
    private long heldInEpisode;
    private long waitEpisodes;
    private long limitsReads;

    private ApiBudgetGovernor(Builder b) {
        this.orgKey = b.orgKey;
        this.config = b.config;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.random = b.random;
        this.longRunningSlots = new Semaphore(config.maxConcurrentLongRunning(), true);
    }

    public static Builder builder(String orgKey) {
        return new Builder(orgKey);
    }

    public String orgKey() {
        return orgKey;
    }

    public BudgetConfig config() {
        return config;
    }

    // ------------------------------------------------------------------------------------------------ limits

    /**
     * Gives the governor a way to read {@code /limits} (the first one given is kept) and, if it has never read them,
     * reads them now: the start-up read.
     */
    public void attachLimitsSource(LimitsSource source) {
        Objects.requireNonNull(source, "source");
        boolean first;
        lock.lock();
        try {
            first = limitsSource == null;
            if (first) {
                limitsSource = source;
            }
        } finally {
            lock.unlock();
        }
        if (first) {
            try {
                refreshFromLimits();
            } catch (SalesforceException e) {
                if (!e.isRetriable()) {
                    throw e;
                }
                // Not fatal: every response's Sforce-Limit-Info will tell the usage soon enough.
                LOG.warn("org {}: could not read /limits at start ({}); usage will be learnt from responses", orgKey,
                        e.getMessage());
            }
        }
    }

    /** Reads {@code /limits} now (one API call) and takes its figures as the truth. */
    public void refreshFromLimits() {
        LimitsSource source = limitsSource;
        if (source == null) {
            return;
        }
        DailyUsage usage = source.fetchDailyUsage();
        lock.lock();
        try {
            dailyMax = usage.max();
            reportedUsed = usage.used();
            lastLimitsRead = clock.instant();
            limitsReads++;
        } finally {
            lock.unlock();
        }
        LOG.debug("org {}: /limits says {} of {} daily API requests used", orgKey, usage.used(), usage.max());
    }

    /** Takes in a {@code Sforce-Limit-Info} header value; usage only goes up this way, the maximum follows. */
    public void observeLimitInfo(String header) {
        DailyUsage.fromLimitInfoHeader(header).ifPresent(this::observeUsage);
    }

    public void observeUsage(DailyUsage usage) {
        lock.lock();
        try {
            dailyMax = usage.max();
            reportedUsed = Math.max(reportedUsed, usage.used());
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------ calls

    /**
     * Runs a call: waits for admission, runs the attempt, and retries retriable failures with back-off. Budget
     * waits do not count against the retry time. Non-retriable failures are thrown at once.
     */
    public <T> T call(CallKind kind, ClientMetrics metrics, Attempt<T> attempt) {
        return call(kind, metrics, null, attempt);
    }

    /**
     * Like {@link #call(CallKind, ClientMetrics, Attempt)}, but each admission waits at most {@code maxBudgetWait}
     * for budget (null: no bound); past it the call fails with a retriable {@link #BUDGET_WAIT_TIMEOUT} error and
     * nothing is sent. For callers that must give control back to their framework now and then (a Kafka Connect
     * sink task inside {@code put()}).
     */
    public <T> T call(CallKind kind, ClientMetrics metrics, Duration maxBudgetWait, Attempt<T> attempt) {
        int retries = 0;
        Duration retryTime = Duration.ZERO;
        while (true) {
            Permit permit = acquire(kind, metrics, maxBudgetWait);
            SalesforceException failure;
            try {
                return attempt.run(permit);
            } catch (SalesforceException e) {
                failure = e;
            } finally {
                permit.close();
            }
            if (!failure.isRetriable() || retries + 1 >= config.maxAttempts()
                    || retryTime.compareTo(config.maxRetryTime()) >= 0) {
                if (metrics != null) {
                    metrics.recordFailure(kind, failure.category());
                }
                throw failure;
            }
            Duration delay = backoffDelay(retries);
            Duration left = config.maxRetryTime().minus(retryTime);
            if (delay.compareTo(left) > 0) {
                delay = left;
            }
            retries++;
            retryTime = retryTime.plus(delay);
            if (metrics != null) {
                metrics.recordRetry(kind, failure.errorCode());
            }
            LOG.debug("org {}: {} call failed ({} {}), retry {} in {} ms", orgKey, kind, failure.httpStatus(),
                    failure.errorCode(), retries, delay.toMillis());
            sleepOrFail(delay, "backing off");
        }
    }

    /**
     * The back-off before retry number {@code retry} (0-based): {@code initial x 2^retry}, capped, then "equal
     * jitter" (half fixed, half random) so that many callers do not retry in step.
     */
    public Duration backoffDelay(int retry) {
        long initial = Math.max(1, config.initialBackoff().toMillis());
        long cap = Math.max(initial, config.maxBackoff().toMillis());
        long exp = retry >= 30 ? cap : Math.min(cap, initial << retry);
        long half = exp / 2;
        double r = random == null ? ThreadLocalRandom.current().nextDouble() : random.nextDouble();
        long jitter = half == 0 ? 0 : (long) (r * (exp - half + 1));
        return Duration.ofMillis(half + jitter);
    }

    /** Sleeps the back-off before retry number {@code retry}, for callers that resubmit on their own. */
    public void backOff(int retry) {
        sleepOrFail(backoffDelay(retry), "backing off");
    }

    /**
     * Waits until a call of this kind may go out, then holds its place until the permit is closed. For callers that
     * run their own retry loop; most use {@link #call}.
     */
    public Permit acquire(CallKind kind, ClientMetrics metrics) {
        return acquire(kind, metrics, null);
    }

    /** Like {@link #acquire(CallKind, ClientMetrics)}, waiting at most {@code maxBudgetWait} (null: no bound) for budget. */
    public Permit acquire(CallKind kind, ClientMetrics metrics, Duration maxBudgetWait) {
        boolean slot = false;
        if (kind.longRunning()) {
            try {
                longRunningSlots.acquire();
                slot = true;
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
        }
        try {
            awaitRateSlot();
            awaitBudget(metrics, maxBudgetWait == null ? null : clock.instant().plus(maxBudgetWait));
            return new Permit(slot);
        } catch (RuntimeException e) {
            if (slot) {
                longRunningSlots.release();
            }
            throw e;
        }
    }

    private void awaitRateSlot() {
        if (config.maxRequestsPerSecond() <= 0) {
            return;
        }
        long spacingNanos = (long) (1_000_000_000L / config.maxRequestsPerSecond());
        Instant now = clock.instant();
        Instant slot;
        lock.lock();
        try {
            slot = nextRateSlot.isAfter(now) ? nextRateSlot : now;
            nextRateSlot = slot.plusNanos(spacingNanos);
        } finally {
            lock.unlock();
        }
        if (slot.isAfter(now)) {
            sleepOrFail(Duration.between(now, slot), "pacing");
        }
    }

    private void awaitBudget(ClientMetrics metrics, Instant deadline) {
        boolean waiting = false;
        while (true) {
            Duration left = null;
            boolean poll = false;
            lock.lock();
            try {
                if (admissible()) {
                    inFlight++;
                    if (waiting) {
                        waitingCalls--;
                        endEpisodeIfOver();
                    }
                    return;
                }
                if (!waiting) {
                    waiting = true;
                    waitingCalls++;
                    if (metrics != null) {
                        metrics.recordBudgetWait();
                    }
                    startOrResumeEpisode();
                    heldInEpisode++;
                }
                Instant now = clock.instant();
                if (limitsSource != null && !now.isBefore(lastLimitsRead.plus(config.limitsPollInterval()))) {
                    poll = polling.compareAndSet(false, true);
                }
                if (!poll && deadline != null) {
                    left = Duration.between(now, deadline);
                    if (left.isNegative() || left.isZero()) {
                        giveUpWaiting();
                        throw new RetriableSalesforceException("org " + orgKey + ": no API budget within "
                                + "the allowed wait (" + reportedUsed + " used and " + inFlight + " in flight of the "
                                + allowed() + " calls allowed); nothing was sent", 0,
                                List.of(new ApiError(BUDGET_WAIT_TIMEOUT, "API budget wait timed out", List.of())),
                                null);
                    }
                }
            } finally {
                lock.unlock();
            }
            if (poll) {
                try {
                    refreshFromLimits();
                } catch (RuntimeException e) {
                    lock.lock();
                    try {
                        lastLimitsRead = clock.instant();
                    } finally {
                        lock.unlock();
                    }
                    LOG.debug("org {}: reading /limits while waiting for budget failed: {}", orgKey, e.toString());
                } finally {
                    polling.set(false);
                }
                continue;
            }
            try {
                Duration pause = config.waitCheckInterval();
                sleeper.sleep(left != null && left.compareTo(pause) < 0 ? left : pause);
            } catch (InterruptedException e) {
                lock.lock();
                try {
                    waitingCalls--;
                    endEpisodeIfOver();
                } finally {
                    lock.unlock();
                }
                throw interrupted(e);
            }
        }
    }

    private boolean admissible() {
        return dailyMax < 0 || reportedUsed + inFlight + 1 <= allowed();
    }

    private long allowed() {
        return dailyMax < 0 ? Long.MAX_VALUE : (long) Math.floor(dailyMax * config.dailyShare());
    }

    /**
     * Starts a waiting episode (one WARN line), or resumes the last one if it ended less than a poll interval ago:
     * near the boundary the conservative estimate can let a call through and then hold the next one, which is
     * still the same shortage.
     */
    private void startOrResumeEpisode() {
        if (episodeStart != null) {
            return;
        }
        Instant now = clock.instant();
        if (episodeEnd != null && now.isBefore(episodeEnd.plus(config.limitsPollInterval()))) {
            episodeStart = lastEpisodeStart;
        } else {
            episodeStart = now;
            waitEpisodes++;
            heldInEpisode = 0;
            endLogged = false;
            LOG.warn("org {}: API budget used up ({} used and {} in flight of the {} calls allowed, {}% of the daily "
                            + "{}); holding calls until budget frees up, checking /limits every {} s", orgKey,
                    reportedUsed, inFlight, allowed(), Math.round(config.dailyShare() * 100), dailyMax,
                    config.limitsPollInterval().toSeconds());
        }
        episodeEnd = null;
    }

    /**
     * A call stops waiting without being admitted. The episode is set aside without its "available again" line:
     * the caller is expected back soon (a redelivered batch), and then the same episode resumes.
     */
    private void giveUpWaiting() {
        waitingCalls--;
        if (waitingCalls == 0 && episodeStart != null) {
            lastEpisodeStart = episodeStart;
            episodeEnd = clock.instant();
            episodeStart = null;
        }
    }

    private void endEpisodeIfOver() {
        if (waitingCalls == 0 && episodeStart != null) {
            Instant now = clock.instant();
            if (!endLogged) {
                endLogged = true;
                LOG.info("org {}: API budget available again after {} s; {} calls were held", orgKey,
                        Duration.between(episodeStart, now).toSeconds(), heldInEpisode);
            }
            lastEpisodeStart = episodeStart;
            episodeEnd = now;
            episodeStart = null;
        }
    }

    private void sleepOrFail(Duration d, String what) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            throw interrupted(e, what);
        }
    }

    private FatalSalesforceException interrupted(InterruptedException e) {
        return interrupted(e, "waiting to call Salesforce");
    }

    private FatalSalesforceException interrupted(InterruptedException e, String what) {
        Thread.currentThread().interrupt();
        return new FatalSalesforceException("org " + orgKey + ": interrupted while " + what, 0, List.of(), e);
    }

    // ------------------------------------------------------------------------------------------------ state

    /** Calls still admitted under the share before calls start waiting; -1 before the usage is known. */
    public long remaining() {
        lock.lock();
        try {
            return dailyMax < 0 ? -1 : Math.max(0, allowed() - reportedUsed - inFlight);
        } finally {
            lock.unlock();
        }
    }

    public Snapshot snapshot() {
        lock.lock();
        try {
            return new Snapshot(dailyMax, reportedUsed, inFlight, dailyMax < 0 ? -1 : allowed(),
                    dailyMax < 0 ? -1 : Math.max(0, allowed() - reportedUsed - inFlight), waitingCalls,
                    waitEpisodes, limitsReads, config.maxConcurrentLongRunning() - longRunningSlots.availablePermits(),
                    longRunningSlots.getQueueLength());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The governor's view at one moment.
     *
     * @param dailyMax     the org's daily allocation, -1 until known
     * @param used         the org's usage as last reported
     * @param inFlight     admitted calls without a response yet
     * @param allowed      the share of the allocation callers may use
     * @param remaining    calls still admitted before waiting starts
     * @param waitingCalls calls waiting for budget right now
     * @param waitEpisodes how many times calls started waiting for budget
     * @param limitsReads  {@code /limits} reads made by the governor
     * @param longRunningInUse long-running call slots in use
     * @param longRunningQueued calls waiting for a long-running slot
     */
    public record Snapshot(long dailyMax, long used, long inFlight, long allowed, long remaining, int waitingCalls,
                           long waitEpisodes, long limitsReads, int longRunningInUse, int longRunningQueued) {
    }

    /** One admitted call. Report what the response said about usage, then close it (exactly once). */
    public final class Permit implements AutoCloseable {
        private final boolean longRunningSlot;
        private boolean responded;
        private boolean released;
        private boolean closed;

        private Permit(boolean longRunningSlot) {
            this.longRunningSlot = longRunningSlot;
        }

        /**
         * A response came; {@code limitInfoHeader} is its {@code Sforce-Limit-Info} (null for uncounted answers such
         * as a 401). Once a counted response is in, the call's use is part of the reported usage, so it stops
         * counting as in flight.
         */
        public void responded(String limitInfoHeader) {
            responded = true;
            Optional<DailyUsage> usage = DailyUsage.fromLimitInfoHeader(limitInfoHeader);
            if (usage.isEmpty()) {
                return;
            }
            lock.lock();
            try {
                dailyMax = usage.get().max();
                reportedUsed = Math.max(reportedUsed, usage.get().used());
                if (!released) {
                    released = true;
                    inFlight--;
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            lock.lock();
            try {
                if (!released) {
                    released = true;
                    inFlight--;
                    if (!responded && dailyMax >= 0) {
                        reportedUsed++; // no response: it may have been counted; assume it was
                    }
                }
            } finally {
                lock.unlock();
            }
            if (longRunningSlot) {
                longRunningSlots.release();
            }
        }
    }

    public static final class Builder {
        private final String orgKey;
        private BudgetConfig config = BudgetConfig.defaults();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private Random random; // null: ThreadLocalRandom

        private Builder(String orgKey) {
            this.orgKey = Objects.requireNonNull(orgKey, "orgKey");
        }

        public Builder config(BudgetConfig v) { config = Objects.requireNonNull(v); return this; }
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }
        public Builder sleeper(Sleeper v) { sleeper = Objects.requireNonNull(v); return this; }
        /** A seeded source for the jitter (tests); by default each thread's own. */
        public Builder random(Random v) { random = v; return this; }

        public ApiBudgetGovernor build() {
            return new ApiBudgetGovernor(this);
        }
    }
}
