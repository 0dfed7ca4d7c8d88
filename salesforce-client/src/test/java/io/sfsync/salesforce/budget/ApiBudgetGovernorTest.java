package io.sfsync.salesforce.budget;

import io.sfsync.salesforce.MutableClock;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.error.ApiError;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.error.RecordRejectedException;
import io.sfsync.salesforce.error.RetriableSalesforceException;
import io.sfsync.salesforce.error.SalesforceException;
import io.sfsync.salesforce.metrics.CallKind;
import io.sfsync.salesforce.metrics.ClientMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The governor on its own, with a fake clock and sleeper: fast and deterministic. */
class ApiBudgetGovernorTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** Sleeps advance the fake clock instead of waiting. */
    private final Sleeper advancing = d -> clock.advance(d);
    /** Budget waits re-check after a real millisecond, while the fake clock stands still. */
    private final Sleeper realMillisecond = d -> Thread.sleep(1);

    private ApiBudgetGovernor governor(BudgetConfig config, Sleeper sleeper) {
        return ApiBudgetGovernor.builder("00Dtest").config(config).clock(clock).sleeper(sleeper)
                .random(new Random(42)).build();
    }

    private static RetriableSalesforceException unavailable() {
        return new RetriableSalesforceException("HTTP 503", 503, List.of(ApiError.of("SERVER_UNAVAILABLE", "x")),
                null);
    }

    @Test
    void limitInfoHeaderParsing() {
        assertThat(DailyUsage.fromLimitInfoHeader("api-usage=10018/100000")).contains(new DailyUsage(10018, 100000));
        assertThat(DailyUsage.fromLimitInfoHeader("api-usage=5/15000; per-app-api-usage=2/100(appName=x)"))
                .contains(new DailyUsage(5, 15000));
        assertThat(DailyUsage.fromLimitInfoHeader(null)).isEmpty();
        assertThat(DailyUsage.fromLimitInfoHeader("garbage")).isEmpty();
        assertThat(DailyUsage.fromMaxRemaining(15000, 14998).used()).isEqualTo(2);
    }

    @Test
    void readsLimitsOnceAtStartAndHeadersOnlyRaiseUsage() {
        AtomicInteger reads = new AtomicInteger();
        ApiBudgetGovernor g = governor(BudgetConfig.defaults(), advancing);
        g.attachLimitsSource(() -> {
            reads.incrementAndGet();
            return new DailyUsage(100, 1000);
        });
        g.attachLimitsSource(() -> {
            throw new AssertionError("a second source is ignored");
        });
        assertThat(reads).hasValue(1);
        assertThat(g.remaining()).isEqualTo(800 - 100);
        g.observeLimitInfo("api-usage=150/1000");
        g.observeLimitInfo("api-usage=120/1000"); // late response: never lowers the estimate
        assertThat(g.snapshot().used()).isEqualTo(150);
        g.refreshFromLimits(); // /limits is the truth, even when lower
        assertThat(g.snapshot().used()).isEqualTo(100);
        assertThat(g.snapshot().limitsReads()).isEqualTo(2);
    }

    @Test
    void callsBeyondTheShareWaitAndResumeWhenLimitsShowBudget() throws Exception {
        AtomicReference<DailyUsage> org = new AtomicReference<>(new DailyUsage(0, 10));
        AtomicLong used = new AtomicLong();
        ApiBudgetGovernor g = governor(BudgetConfig.defaults().withDailyShare(0.8)
                .withPolling(Duration.ofMinutes(5), Duration.ofMillis(1)), realMillisecond);
        g.attachLimitsSource(() -> new DailyUsage(used.incrementAndGet(), org.get().max()));
        ClientMetrics metrics = new ClientMetrics();
        // The start-up read cost one call: 7 more fit under 0.8 x 10.
        for (int i = 0; i < 7; i++) {
            g.call(CallKind.RECORD, metrics, p -> {
                p.responded("api-usage=" + used.incrementAndGet() + "/" + org.get().max());
                return null;
            });
        }
        assertThat(used).hasValue(8);
        CompletableFuture<Void> held = CompletableFuture.runAsync(() -> g.call(CallKind.RECORD, metrics, p -> {
            p.responded("api-usage=" + used.incrementAndGet() + "/" + org.get().max());
            return null;
        }));
        TestSupport.await("the call waits", () -> g.snapshot().waitingCalls() == 1);
        assertThat(held).isNotDone();
        assertThat(used).hasValue(8);
        assertThat(g.snapshot().waitEpisodes()).isEqualTo(1);
        assertThat(metrics.budgetWaits()).isEqualTo(1);
        assertThat(g.remaining()).isZero();

        org.set(new DailyUsage(0, 20)); // the admin raised the allocation
        clock.advance(Duration.ofMinutes(5)); // the next /limits poll is due
        held.get(30, TimeUnit.SECONDS);
        assertThat(used.get()).isLessThanOrEqualTo(16);
        assertThat(g.snapshot().waitingCalls()).isZero();
        assertThat(g.snapshot().limitsReads()).isEqualTo(2);
    }

    @Test
    void aBoundedBudgetWaitGivesUpRetriablyWithoutSendingAndTheNextCallGoesThroughOnceBudgetIsBack() {
        AtomicReference<DailyUsage> org = new AtomicReference<>(new DailyUsage(10, 10));
        ApiBudgetGovernor g = governor(BudgetConfig.defaults().withDailyShare(1.0)
                .withPolling(Duration.ofSeconds(30), Duration.ofSeconds(1)), advancing);
        g.attachLimitsSource(org::get);
        ClientMetrics metrics = new ClientMetrics();
        AtomicInteger sent = new AtomicInteger();
        Instant before = clock.instant();

        assertThatThrownBy(() -> g.call(CallKind.RECORD, metrics, Duration.ofSeconds(5), p -> sent.incrementAndGet()))
                .isInstanceOfSatisfying(RetriableSalesforceException.class, e ->
                        assertThat(e.errorCode()).isEqualTo(ApiBudgetGovernor.BUDGET_WAIT_TIMEOUT));
        assertThat(sent).hasValue(0);
        assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofSeconds(5));
        assertThat(g.snapshot().waitingCalls()).isZero();
        assertThat(g.snapshot().inFlight()).isZero();
        assertThat(g.snapshot().waitEpisodes()).isEqualTo(1);

        org.set(new DailyUsage(0, 10)); // the window rolled
        int result = g.call(CallKind.RECORD, metrics, Duration.ofMinutes(1), p -> sent.incrementAndGet());
        assertThat(result).isEqualTo(1);
        assertThat(g.snapshot().waitEpisodes()).as("the redelivered call resumes the same episode").isEqualTo(1);
        assertThat(metrics.budgetWaits()).isEqualTo(2);
    }

    @Test
    void retriableFailuresBackOffWithJitterWithinTheRetryTime() {
        BudgetConfig config = BudgetConfig.defaults().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofSeconds(60), 1000);
        ApiBudgetGovernor g = governor(config, advancing);
        for (int retry = 0; retry < 12; retry++) {
            long full = Math.min(5000, 100L << retry);
            assertThat(g.backoffDelay(retry).toMillis()).isBetween(full / 2, full);
        }
        ClientMetrics metrics = new ClientMetrics();
        AtomicInteger attempts = new AtomicInteger();
        Instant start = clock.instant();
        assertThatThrownBy(() -> g.call(CallKind.COLLECTIONS, metrics, p -> {
            attempts.incrementAndGet();
            throw unavailable();
        })).isInstanceOf(RetriableSalesforceException.class);
        assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(60));
        assertThat(metrics.retries()).isEqualTo(attempts.get() - 1L).isGreaterThan(5);
        assertThat(metrics.failures(io.sfsync.salesforce.error.ErrorCategory.RETRIABLE)).isEqualTo(1);
    }

    @Test
    void aCallThatRecoversReturnsAndCountsItsRetries() {
        ApiBudgetGovernor g = governor(BudgetConfig.defaults(), advancing);
        ClientMetrics metrics = new ClientMetrics();
        AtomicInteger attempts = new AtomicInteger();
        String result = g.call(CallKind.QUERY, metrics, p -> {
            if (attempts.incrementAndGet() < 4) {
                throw unavailable();
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(metrics.retries()).isEqualTo(3);
    }

    @Test
    void nonRetriableFailuresAreThrownAtOnce() {
        ApiBudgetGovernor g = governor(BudgetConfig.defaults(), advancing);
        AtomicInteger attempts = new AtomicInteger();
        SalesforceException rejected = new RecordRejectedException("bad", 400, List.of(), null);
        assertThatThrownBy(() -> g.call(CallKind.RECORD, null, p -> {
            attempts.incrementAndGet();
            throw rejected;
        })).isSameAs(rejected);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void theRequestRateIsSpacedEvenly() {
        ApiBudgetGovernor g = governor(BudgetConfig.defaults().withMaxRequestsPerSecond(10), advancing);
        Instant start = clock.instant();
        for (int i = 0; i < 21; i++) {
            g.acquire(CallKind.RECORD, null).close();
        }
        assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void longRunningCallsAreCapped() throws Exception {
        ApiBudgetGovernor g = governor(BudgetConfig.defaults().withMaxConcurrentLongRunning(2), advancing);
        var a = g.acquire(CallKind.QUERY, null);
        var b = g.acquire(CallKind.QUERY, null);
        g.acquire(CallKind.COLLECTIONS, null).close(); // not long-running: not held back
        CompletableFuture<ApiBudgetGovernor.Permit> third = CompletableFuture.supplyAsync(
                () -> g.acquire(CallKind.QUERY, null));
        TestSupport.await("the third query queues", () -> g.snapshot().longRunningQueued() == 1);
        assertThat(g.snapshot().longRunningInUse()).isEqualTo(2);
        assertThat(third).isNotDone();
        a.close();
        third.get(30, TimeUnit.SECONDS).close();
        b.close();
        assertThat(g.snapshot().longRunningInUse()).isZero();
    }

    @Test
    void aCallWithoutResponseCountsAsUsed() {
        ApiBudgetGovernor g = governor(BudgetConfig.defaults(), advancing);
        g.observeLimitInfo("api-usage=10/100");
        g.acquire(CallKind.RECORD, null).close();
        assertThat(g.snapshot().used()).isEqualTo(11);
        var p = g.acquire(CallKind.RECORD, null);
        p.responded(null);
        p.close();
        assertThat(g.snapshot().used()).isEqualTo(11);
    }

    @Test
    void interruptionWhileWaitingIsFatalAndRestoresTheFlag() throws Exception {
        ApiBudgetGovernor g = governor(BudgetConfig.defaults().withPolling(Duration.ofDays(1), Duration.ofMillis(1)),
                realMillisecond);
        g.observeLimitInfo("api-usage=100/100");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                g.acquire(CallKind.RECORD, null);
            } catch (Throwable e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        TestSupport.await("waiting", () -> g.snapshot().waitingCalls() == 1);
        t.interrupt();
        t.join(30_000);
        assertThat(thrown.get()).isInstanceOf(FatalSalesforceException.class);
        assertThat(flag.get()).isTrue();
        assertThat(g.snapshot().waitingCalls()).isZero();
    }

    @Test
    void oneGovernorPerOrg() {
        GovernorRegistry registry = new GovernorRegistry();
        ApiBudgetGovernor a = registry.governorFor("00DA", BudgetConfig.defaults());
        assertThat(registry.governorFor("00DA", BudgetConfig.defaults().withDailyShare(0.5))).isSameAs(a);
        assertThat(registry.governorFor("00DB", BudgetConfig.defaults())).isNotSameAs(a);
        assertThat(GovernorRegistry.shared()).isSameAs(GovernorRegistry.shared());
    }
}
