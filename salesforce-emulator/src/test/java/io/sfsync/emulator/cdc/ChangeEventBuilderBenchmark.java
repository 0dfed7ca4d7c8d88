package io.sfsync.emulator.cdc;

import io.sfsync.emulator.data.ChangeOrigin;
import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.data.WriteContext;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.Schema;
import io.sfsync.emulator.model.StandardObjects;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures for building the change events of one sObject Collections call (200 records), printed, never asserted.
 * Not part of the default test run (surefire picks up *Test classes only):
 * {@code mvn -o -q -B -pl salesforce-emulator test -Dtest=ChangeEventBuilderBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 *
 * <p>Figures are the benchmark thread's CPU time, which moves less with the load of a shared machine than wall time.
 * Measured on the 2-core shared machine (load 7-12), old and new builder run alternately, per 200-record commit:
 * 200 creates 2.4-2.7 ms before (each draft compared with every earlier one, a SHA-256 schema id per event),
 * 0.41-0.44 ms after (hash index, schema id once per type, stored values read directly); 200 distinct updates
 * 2.3-2.4 ms before, 0.30-0.39 ms after; 200 identical updates (one event) 0.79-0.83 ms before, 0.22-0.31 ms after.
 */
class ChangeEventBuilderBenchmark {

    static final int RECORDS_PER_COMMIT = 200;
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant COMMIT = Instant.parse("2026-01-02T03:04:05Z");
    static final WriteContext CTX = new WriteContext("005000000000001AAA", ChangeOrigin.rest("62.0", "bench"));

    @Test
    void figures() {
        Schema schema = new Schema();
        StandardObjects.addTo(schema, CREATED);
        SObjectType account = schema.find("Account").orElseThrow();
        List<StoredRecord> before = new ArrayList<>();
        List<StoredRecord> created = new ArrayList<>();
        List<StoredRecord> distinctUpdates = new ArrayList<>();
        List<StoredRecord> sameUpdates = new ArrayList<>();
        for (int i = 0; i < RECORDS_PER_COMMIT; i++) {
            Map<String, Object> v = new HashMap<>();
            v.put("Name", "Account " + i);
            v.put("AccountNumber", "AN-" + i);
            v.put("Industry", "Banking");
            v.put("BillingCity", "Paris");
            v.put("CreatedDate", CREATED);
            v.put("LastModifiedDate", CREATED);
            StoredRecord b = new StoredRecord(account, String.format("001%015d", i), v, false);
            before.add(b);
            created.add(b);
            Map<String, Object> distinct = new HashMap<>(v);
            distinct.put("Description", "note " + i);
            distinct.put("LastModifiedDate", COMMIT);
            distinctUpdates.add(b.withValues(distinct));
            Map<String, Object> same = new HashMap<>(v);
            same.put("Industry", "Energy");
            same.put("LastModifiedDate", COMMIT);
            sameUpdates.add(b.withValues(same));
        }
        for (int round = 0; round < 3; round++) {
            String label = round == 0 ? "warm-up" : "round " + round;
            System.out.printf("ChangeEventBuilder %s: 200 creates (200 events) %.1f us CPU per commit; "
                            + "200 distinct updates (200 events) %.1f us; 200 identical updates (1 event) %.1f us%n",
                    label, microsPerCommit(null, created), microsPerCommit(before, distinctUpdates),
                    microsPerCommit(before, sameUpdates));
        }
    }

    private static double microsPerCommit(List<StoredRecord> before, List<StoredRecord> after) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int commits = 2_000;
        long events = 0;
        long start = threads.getCurrentThreadCpuTime();
        for (int c = 0; c < commits; c++) {
            ChangeEventBuilder builder = new ChangeEventBuilder(COMMIT, CTX, c);
            for (int i = 0; i < after.size(); i++) {
                builder.add(before == null ? null : before.get(i), after.get(i));
            }
            events += builder.build().size();
        }
        long nanos = threads.getCurrentThreadCpuTime() - start;
        if (events == 0) {
            throw new IllegalStateException("no events built");
        }
        return nanos / 1e3 / commits;
    }
}
