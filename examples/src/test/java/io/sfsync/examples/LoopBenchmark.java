package io.sfsync.examples;

import io.sfsync.emulator.cdc.ChangeEvent;
import io.sfsync.examples.LoopFixture.Activity;
import io.sfsync.testkit.Polling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency through the whole loop, with the example connectors (prints figures; not part of the default run):
 *
 * <pre>
 * mvn -B -pl examples -am verify -Dit.test=LoopBenchmark -Dfailsafe.failIfNoSpecifiedTests=false \
 *     -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.changes=300] [-Dbench.rate=20]
 * </pre>
 *
 * Times come from the two systems' own records, not from polling: a Salesforce change's commit time is its
 * change event's {@code committedAt}; a Postgres write's time is {@code clock_timestamp()} in the test's audit
 * trigger (same machine clock). Salesforce → Postgres: a UI edit until the JDBC sink's row write. Postgres →
 * Salesforce: an application UPDATE until the sink's write commits in Salesforce, and on until its echo is back
 * in Postgres (the whole loop). Echo and conflict counters: Salesforce API writes, Postgres writes by the sync,
 * conflict rows, for each phase.
 */
class LoopBenchmark {

    static final int CHANGES = Integer.getInteger("bench.changes", 300);
    static final int RATE = Integer.getInteger("bench.rate", 20);
    static final int RECORDS = 20;

    static LoopFixture loop;

    @RegisterExtension
    static final LoopExtension LOOP = new LoopExtension(started -> loop = started);

    @Test
    void roundTrips() {
        List<String> fromSalesforce = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            fromSalesforce.add(loop.salesforce.create("Account", Map.of("Name", "Bench SF " + i)));
        }
        List<String[]> fromPostgres = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            String key = loop.insert("account", Map.of("name", "Bench PG " + i));
            fromPostgres.add(new String[] {key, null});
        }
        for (String[] account : fromPostgres) {
            account[1] = (String) loop.awaitRow("account", account[0], r -> r.get("sfid") != null).get("sfid");
        }
        fromSalesforce.forEach(id -> loop.awaitRow("account", id, r -> true));
        loop.awaitQuiet();

        // ---- Salesforce -> Postgres
        long replayBefore = loop.emulator.events().lastReplayId();
        Activity before = loop.activity();
        long writesBefore = maxAudit();
        paced(i -> loop.salesforce.update("Account", fromSalesforce.get(i % RECORDS), Map.of("Phone", "sf-" + i)));
        Map<String, Instant> sfCommits = eventTimes(replayBefore, "sf-");
        Polling.await("every Salesforce change in Postgres", Duration.ofMinutes(2),
                () -> auditTimes(writesBefore, "sfsync_writer", "sf-").size() == CHANGES);
        Activity sfPhase = loop.awaitQuiet();
        Map<String, Instant> pgWrites = auditTimes(writesBefore, "sfsync_writer", "sf-");
        print("Salesforce edit -> Postgres row", latencies(sfCommits, pgWrites));
        printCounters("Salesforce -> Postgres", before, sfPhase);

        // ---- Postgres -> Salesforce (and back: the echo that confirms it)
        long replayMid = loop.emulator.events().lastReplayId();
        long writesMid = maxAudit();
        paced(i -> loop.update("account", fromPostgres.get(i % RECORDS)[0], Map.of("phone", "pg-" + i)));
        Polling.await("every Postgres change echoed back", Duration.ofMinutes(2),
                () -> auditTimes(writesMid, "sfsync_writer", "pg-").size() == CHANGES);
        Activity pgPhase = loop.awaitQuiet();
        Map<String, Instant> pgCommits = auditTimes(writesMid, "postgres", "pg-");
        Map<String, Instant> sfWrites = eventTimes(replayMid, "pg-");
        Map<String, Instant> echoes = auditTimes(writesMid, "sfsync_writer", "pg-");
        print("Postgres commit -> Salesforce write", latencies(pgCommits, sfWrites));
        print("Postgres commit -> echo back in Postgres (whole loop)", latencies(pgCommits, echoes));
        printCounters("Postgres -> Salesforce", sfPhase, pgPhase);
    }

    interface Change {
        void make(int i);
    }

    /** CHANGES changes at RATE per second (a steady load, not a burst); prints the rate achieved. */
    private static void paced(Change change) {
        long interval = 1_000_000_000L / RATE;
        long start = System.nanoTime();
        long next = start;
        for (int i = 0; i < CHANGES; i++) {
            change.make(i);
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        System.out.printf("BENCH %-55s %.1f changes/s%n", "achieved rate",
                CHANGES * 1e9 / (System.nanoTime() - start));
    }

    private static long maxAudit() {
        return ((Number) loop.postgres.query("SELECT coalesce(max(n), 0) AS n FROM loop_test.writes").get(0)
                .get("n")).longValue();
    }

    /** Phone value → time of the first audit row after {@code after} by {@code role} that wrote it. */
    private static Map<String, Instant> auditTimes(long after, String role, String prefix) {
        Map<String, Instant> times = new HashMap<>();
        for (Map<String, Object> row : loop.postgres.query("SELECT row_data->>'phone' AS phone, at FROM "
                + "loop_test.writes WHERE n > ? AND by_role = ? AND row_data->>'phone' LIKE ? ORDER BY n", after,
                role, prefix + "%")) {
            times.putIfAbsent((String) row.get("phone"), ((Timestamp) row.get("at")).toInstant());
        }
        return times;
    }

    /** Phone value → commit time of the first Account change event after {@code replayId} that set it. */
    private static Map<String, Instant> eventTimes(long replayId, String prefix) {
        Map<String, Instant> times = new HashMap<>();
        for (ChangeEvent event : loop.emulator.events().after(replayId, Set.of("Account"), 1_000_000)) {
            Object phone = ((Map<?, ?>) event.data().get("payload")).get("Phone");
            if (phone instanceof String value && value.startsWith(prefix)) {
                times.putIfAbsent(value, event.committedAt());
            }
        }
        return times;
    }

    private static List<Long> latencies(Map<String, Instant> from, Map<String, Instant> to) {
        List<Long> millis = new ArrayList<>();
        from.forEach((value, start) -> {
            Instant end = to.get(value);
            if (end != null) {
                millis.add(Duration.between(start, end).toMillis());
            }
        });
        Collections.sort(millis);
        return millis;
    }

    private static void print(String what, List<Long> millis) {
        if (millis.isEmpty()) {
            System.out.printf("BENCH %-55s no samples%n", what);
            return;
        }
        System.out.printf("BENCH %-55s n=%d p50=%d ms p90=%d ms p99=%d ms max=%d ms (%d changes, %d/s requested)%n",
                what, millis.size(), pct(millis, 50), pct(millis, 90), pct(millis, 99), millis.get(millis.size() - 1),
                CHANGES, RATE);
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static void printCounters(String phase, Activity from, Activity to) {
        System.out.printf("BENCH %-55s Salesforce API write calls %d, Postgres row writes by the sync %d, conflicts %d%n",
                phase + " counters", to.salesforceWrites() - from.salesforceWrites(),
                to.postgresWrites() - from.postgresWrites(), to.conflicts() - from.conflicts());
    }
}
