package io.sfsync.salesforce.budget;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.salesforce.MutableClock;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.write.SObjectRecord;
import io.sfsync.salesforce.write.SaveOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The governor with the org's real counting: quota exhaustion makes calls wait, 503 storms lose nothing. */
class BudgetAgainstTheOrgTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension(b -> b.dailyApiRequests(100));

    @AfterEach
    void reset() {
        SF.emulator().faults().reset();
        SF.emulator().limits().setDailyMax(100);
        SF.emulator().limits().setUsed(0);
    }

    private static SObjectType account() {
        return SF.emulator().schema().find("Account").orElseThrow();
    }

    private static long countByExternalIdPrefix(String prefix) {
        return SF.emulator().org().records(account(), false)
                .filter(r -> String.valueOf(r.get("External_Id__c")).startsWith(prefix)).count();
    }

    @Test
    void callsWaitForBudgetInsteadOfFailingAndNeverExceedTheShare() throws Exception {
        SF.emulator().limits().setDailyMax(100);
        SF.emulator().limits().setUsed(0);
        MutableClock clock = new MutableClock(Instant.now());
        BudgetConfig config = TestSupport.fastBudget().withDailyShare(0.8)
                .withPolling(Duration.ofMinutes(1), Duration.ofMillis(2));
        SalesforceClient sf = TestSupport.client(SF.emulator())
                .governorFactory(key -> ApiBudgetGovernor.builder(key).config(config).clock(clock)
                        .sleeper(d -> Thread.sleep(1)).build())
                .build();

        // Watch the org's own counter the whole time: it must never pass 80% of the allocation.
        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicLong worst = new AtomicLong(Long.MIN_VALUE);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                long allowed = (long) Math.floor(SF.emulator().limits().dailyMax() * 0.8);
                worst.accumulateAndGet(SF.emulator().limits().used() - allowed, Math::max);
                Thread.onSpinWait();
            }
        });
        watcher.start();

        String run = "budget-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        int writers = 4;
        int perWriter = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<SaveOutcome>>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                List<SaveOutcome> out = new ArrayList<>();
                for (int i = 0; i < perWriter; i++) {
                    out.addAll(sf.collections().upsert("Account", "External_Id__c", List.of(SObjectRecord.of(
                            "Account", Map.of("External_Id__c", run + writer + "-" + i, "Name", "Budget " + i)))));
                }
                return out;
            }));
        }

        // Every writer that still has work waits (a writer may have finished all its calls within the budget).
        TestSupport.await("the writers with work left wait for budget", () -> {
            long done = futures.stream().filter(Future::isDone).count();
            int waiting = sf.governor().snapshot().waitingCalls();
            return waiting > 0 && waiting + done == writers;
        });
        assertThat(futures).allSatisfy(f -> {
            if (f.isDone()) {
                assertThat(f.get()).hasSize(perWriter); // finished, not failed
            }
        });
        assertThat(SF.emulator().limits().used()).isLessThanOrEqualTo(80);
        assertThat(SF.emulator().limits().rejectedCalls()).isZero();
        // One episode (one WARN line), even if the conservative estimate let a call through near the boundary.
        assertThat(sf.governor().snapshot().waitEpisodes()).isEqualTo(1);
        assertThat(sf.metrics().budgetWaits()).isGreaterThanOrEqualTo(sf.governor().snapshot().waitingCalls());
        assertThat(sf.metrics().budgetRemaining()).isZero();
        long writtenWhileHeld = countByExternalIdPrefix(run);
        assertThat(writtenWhileHeld).isLessThan(writers * perWriter);

        // Budget comes back (the allocation is raised); the governor notices at its next /limits poll.
        SF.emulator().limits().setDailyMax(200);
        clock.advance(Duration.ofMinutes(1));
        for (Future<List<SaveOutcome>> f : futures) {
            assertThat(f.get(60, TimeUnit.SECONDS)).allSatisfy(o -> assertThat(o.success()).isTrue());
        }
        pool.shutdown();
        watching.set(false);
        watcher.join();

        assertThat(worst.get()).as("org usage above the share, at worst").isLessThanOrEqualTo(0);
        assertThat(SF.emulator().limits().used()).isLessThanOrEqualTo(160);
        assertThat(SF.emulator().limits().rejectedCalls()).isZero();
        assertThat(countByExternalIdPrefix(run)).isEqualTo(writers * perWriter);
        assertThat(sf.governor().snapshot().waitingCalls()).isZero();
    }

    @Test
    void aServerUnavailableStormLosesAndDuplicatesNothing() throws Exception {
        SF.emulator().limits().setDailyMax(100_000);
        SalesforceClient sf = TestSupport.client(SF.emulator()).build();
        SF.emulator().faults().setServerUnavailableRate(0.5);

        String run = "storm-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        int writers = 4;
        int perWriter = 250;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<SaveOutcome>>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                List<SObjectRecord> records = new ArrayList<>();
                for (int i = 0; i < perWriter; i++) {
                    records.add(SObjectRecord.of("Account",
                            Map.of("External_Id__c", run + writer + "-" + i, "Name", "Storm " + i)));
                }
                return sf.collections().upsert("Account", "External_Id__c", records);
            }));
        }
        Set<String> ids = new HashSet<>();
        for (Future<List<SaveOutcome>> f : futures) {
            List<SaveOutcome> out = f.get(120, TimeUnit.SECONDS);
            assertThat(out).hasSize(perWriter).allSatisfy(o -> {
                assertThat(o.success()).isTrue();
                assertThat(o.created()).isTrue();
            });
            out.forEach(o -> ids.add(o.id()));
        }
        pool.shutdown();
        SF.emulator().faults().reset();

        assertThat(ids).hasSize(writers * perWriter);
        assertThat(countByExternalIdPrefix(run)).isEqualTo(writers * perWriter);
        assertThat(sf.metrics().retries()).isPositive();
        assertThat(sf.metrics().recordsWritten()).isEqualTo(writers * perWriter);
        assertThat(sf.metrics().writeCalls()).isEqualTo(writers * 2L); // 200 + 50 per writer
    }

    @Test
    void aRowLockStormIsRetriedPerRecordUntilEveryRecordIsWritten() {
        SF.emulator().limits().setDailyMax(100_000);
        SalesforceClient sf = TestSupport.client(SF.emulator()).build();
        SF.emulator().faults().setLockRowRate(0.3);
        String run = "locks-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<SObjectRecord> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            records.add(SObjectRecord.of("Account", Map.of("External_Id__c", run + i, "Name", "Lock " + i)));
        }
        List<SaveOutcome> out = sf.collections().upsert("Account", "External_Id__c", records,
                io.sfsync.salesforce.write.WriteOptions.defaults().withRecordRetries(50));
        SF.emulator().faults().reset();
        assertThat(out).allSatisfy(o -> assertThat(o.success()).isTrue());
        assertThat(countByExternalIdPrefix(run)).isEqualTo(300);
        assertThat(sf.metrics().recordsFailed()).isPositive();
    }

    @Test
    void anOrgExhaustedBySomeoneElseMakesCallsWaitNotFail() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        BudgetConfig config = TestSupport.fastBudget().withPolling(Duration.ofMinutes(1), Duration.ofMillis(2));
        SalesforceClient sf = TestSupport.client(SF.emulator())
                .governorFactory(key -> ApiBudgetGovernor.builder(key).config(config).clock(clock)
                        .sleeper(d -> Thread.sleep(1)).build())
                .build();
        // Another integration uses up the whole allocation behind the governor's back.
        SF.emulator().limits().setUsed(100);
        java.util.concurrent.CompletableFuture<String> call = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> sf.records().create("Account", Map.of("Name", "After the shortage")));
        // The first attempt gets 403 REQUEST_LIMIT_EXCEEDED with api-usage=100/100: the call then waits for budget.
        TestSupport.await("the call waits", () -> sf.governor().snapshot().waitingCalls() == 1);
        assertThat(SF.emulator().limits().rejectedCalls()).isEqualTo(1);
        assertThat(call).isNotDone();

        SF.emulator().limits().setUsed(10); // the window rolled
        clock.advance(Duration.ofMinutes(1));
        assertThat(call.get(60, TimeUnit.SECONDS)).startsWith("001");
        assertThat(sf.metrics().retries()).isEqualTo(1);
        assertThat(SF.emulator().limits().rejectedCalls()).isEqualTo(1);
    }

    @Test
    void clientsOfTheSameOrgShareOneGovernor() {
        GovernorRegistry registry = new GovernorRegistry();
        SalesforceClient a = TestSupport.client(SF.emulator()).governorRegistry(registry).build();
        SalesforceClient b = TestSupport.client(SF.emulator()).governorRegistry(registry).build();
        assertThat(b.governor()).isSameAs(a.governor());
        assertThat(a.governor().orgKey()).isEqualTo(io.sfsync.emulator.SalesforceEmulator.ORG_ID);
        assertThat(a.governor().snapshot().limitsReads()).isEqualTo(1); // read once at start, not once per client
    }
}
