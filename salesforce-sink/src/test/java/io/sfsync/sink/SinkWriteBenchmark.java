package io.sfsync.sink;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.metrics.CallKind;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints figures, asserts no timing: records per counted call when 10,000 rows are updated at once, and sustained
 * records/s of the task into the emulator (over real HTTP on loopback). Not part of the default run:
 * {@code mvn -q -B -pl salesforce-sink -am test -Dtest=SinkWriteBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (options: {@code -Dsink.concurrency=N} for {@code write.concurrency}, {@code -Dsink.latency.ms=N} to add the
 * emulator latency a real org's network and processing would have).
 */
class SinkWriteBenchmark {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension(b -> b.dailyApiRequests(10_000_000));

    static final Schema ROW = SchemaBuilder.struct().name("pg.public.account.Value")
            .field("id", Schema.STRING_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("phone", Schema.OPTIONAL_STRING_SCHEMA).field("sfid", Schema.OPTIONAL_STRING_SCHEMA)
            .optional().build();
    static final Schema ENVELOPE = SchemaBuilder.struct().name("pg.public.account.Envelope")
            .field("before", ROW).field("after", ROW).field("op", Schema.STRING_SCHEMA).build();

    long offset;

    SinkRecord change(String op, Struct before, Struct after) {
        return new SinkRecord("pg.public.account", 0, null, null, ENVELOPE,
                new Struct(ENVELOPE).put("before", before).put("after", after).put("op", op), offset++);
    }

    @Test
    void recordsPerCallAndThroughput() {
        int rows = 10_000;
        int putSize = 2_000; // what a worker typically hands a task per put() under backlog (max.poll.records x n)
        int rounds = Integer.getInteger("sink.rounds", 3);
        SalesforceSinkTask task = new SalesforceSinkTask(SalesforceSinkTaskTest.testClients());
        task.initialize(new TestContext());
        Map<String, String> props = SalesforceSinkTaskTest.props(SF.emulator());
        props.put(SalesforceSinkConfig.WRITE_CONCURRENCY, System.getProperty("sink.concurrency", "4"));
        task.start(props);
        long latencyMs = Long.getLong("sink.latency.ms", 0); // simulated network/org time per request
        SF.emulator().faults().setLatency(java.time.Duration.ofMillis(latencyMs));
        System.out.printf("[sink-benchmark] %s concurrent calls, %d ms added per request; round 0 warms the JIT up "
                + "(task, client and emulator share this JVM, so CPU ms are both sides together)%n",
                props.get(SalesforceSinkConfig.WRITE_CONCURRENCY), latencyMs);
        try {
            for (int round = 0; round <= rounds; round++) {
                String prefix = "b" + round + "-";
                // insert 10,000 rows (upserts by External ID)
                List<SinkRecord> inserts = new ArrayList<>();
                for (int i = 0; i < rows; i++) {
                    inserts.add(change("c", null, new Struct(ROW).put("id", prefix + i).put("name", "Row " + i)));
                }
                Timing insert = Timing.of(() -> putAll(task, inserts, putSize));

                // update all 10,000 at once, by Id (the sync knows sfid), only Phone changed
                Map<Object, String> ids = new java.util.HashMap<>();
                SF.emulator().org().records(SF.emulator().schema().find("Account").orElseThrow(), false)
                        .forEach(r -> ids.put(r.get("External_Id__c"), r.id()));
                List<SinkRecord> updates = new ArrayList<>();
                for (int i = 0; i < rows; i++) {
                    String sfid = ids.get(prefix + i);
                    Struct before = new Struct(ROW).put("id", prefix + i).put("name", "Row " + i).put("sfid", sfid);
                    Struct after = new Struct(ROW).put("id", prefix + i).put("name", "Row " + i).put("sfid", sfid)
                            .put("phone", "555-" + i);
                    updates.add(change("u", before, after));
                }
                SF.emulator().org().writeStats().reset();
                long callsBefore = task.clientMetrics().calls(CallKind.COLLECTIONS);
                Timing update = Timing.of(() -> putAll(task, updates, putSize));
                long updateCalls = task.clientMetrics().calls(CallKind.COLLECTIONS) - callsBefore;

                assertThat(task.counters().rejected.get()).isZero();
                System.out.printf("[sink-benchmark] round %d: %d inserts (upsert by External ID): %.2f s, %.0f records/s, "
                        + "%.0f CPU ms per 1,000%n", round, rows, insert.seconds(), rows / insert.seconds(),
                        insert.cpuMillis() * 1000.0 / rows);
                System.out.printf("[sink-benchmark] round %d: %d updates at once: %d counted calls, %.1f records per "
                                + "call (org saw %s), %.2f s, %.0f records/s, %.0f CPU ms per 1,000%n", round, rows,
                        updateCalls, (double) rows / updateCalls, SF.emulator().org().writeStats().callsBySize(),
                        update.seconds(), rows / update.seconds(), update.cpuMillis() * 1000.0 / rows);
            }
        } finally {
            SF.emulator().faults().reset();
            task.stop();
        }
    }

    /** Wall time and this JVM's CPU time of one step (CPU time shows the work even when the machine is shared). */
    record Timing(double seconds, double cpuMillis) {
        static Timing of(Runnable step) {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            step.run();
            return new Timing((System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - cpu0) / 1e6);
        }
    }

    private static void putAll(SalesforceSinkTask task, List<SinkRecord> records, int putSize) {
        for (int from = 0; from < records.size(); from += putSize) {
            task.put(records.subList(from, Math.min(records.size(), from + putSize)));
        }
    }
}
