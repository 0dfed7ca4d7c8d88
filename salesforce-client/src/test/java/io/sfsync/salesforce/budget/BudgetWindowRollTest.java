package io.sfsync.salesforce.budget;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.MutableClock;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The org and the governor share one fake clock. Calls held for budget are released when time moves on and the
 * rolling 24-hour window frees the allocation: the next /limits poll sees it (after a re-login, since the idle
 * session has expired by then).
 */
class BudgetWindowRollTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension(b -> b.clock(CLOCK)
            .dailyApiRequests(50));

    @Test
    void heldCallsResumeWhenTheWindowRolls() throws Exception {
        BudgetConfig config = TestSupport.fastBudget().withDailyShare(0.5)
                .withPolling(Duration.ofMinutes(10), Duration.ofMillis(2));
        SalesforceClient sf = TestSupport.client(SF.emulator())
                .governorFactory(key -> ApiBudgetGovernor.builder(key).config(config).clock(CLOCK)
                        .sleeper(d -> Thread.sleep(1)).build())
                .build();

        CompletableFuture<Integer> work = CompletableFuture.supplyAsync(() -> {
            for (int i = 0; i < 40; i++) {
                sf.describe().revalidate("Account");
            }
            return 40;
        });
        TestSupport.await("the caller waits for budget", () -> sf.governor().snapshot().waitingCalls() == 1);
        assertThat(SF.emulator().limits().used()).isEqualTo(25);
        assertThat(work).isNotDone();

        CLOCK.advance(Duration.ofHours(24).plusMinutes(1));
        assertThat(work.get(60, TimeUnit.SECONDS)).isEqualTo(40);
        assertThat(sf.metrics().reauthentications()).isGreaterThanOrEqualTo(1);
        assertThat(SF.emulator().limits().used()).isLessThanOrEqualTo(25);
        assertThat(SF.emulator().limits().rejectedCalls()).isZero();
    }
}
