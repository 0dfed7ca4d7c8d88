package io.sfsync.source;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.testkit.ConnectFixture;
import io.sfsync.testkit.PluginPath;
import io.sfsync.testkit.Polling;
import io.sfsync.testkit.PostgresFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prints figures; asserts nothing about time. Not part of the default run:
 * <pre>mvn -q -B -pl salesforce-source -am package -DskipTests
 * mvn -q -B -pl salesforce-source -am test -Dtest=SourceToPostgresBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 *     [-Dbench.snapshot.rows=200000] [-Dbench.changes.per.second=100] [-Dbench.seconds=20]
 *     [-Dbench.snapshot.mode=staged|together] [-Dbench.partitions=1] [-Dbench.sink.tasks=1]
 *     [-Dbench.sink.url.params=reWriteBatchedInserts=true]
 *     [-Dtest.jvm.extra=-Xmx4g]</pre>
 * The snapshot is measured in one of two modes. {@code staged} (the default) runs the source alone until every row
 * is in the topic, then the JDBC sink alone: each figure is what that stage does with the machine to itself.
 * {@code together} creates both at once, as a user would. The emulator keeps the whole org in this JVM's heap
 * (about 1 GB live for 200,000 accounts), so runs of that size need {@code -Dtest.jvm.extra=-Xmx4g}; at the default
 * 1 GB the JVM spends its time in garbage collection and the figures measure that.
 * Change → row latency is measured in Postgres itself: a trigger stamps {@code clock_timestamp()} when a row's
 * {@code site} takes a new benchmark value, compared with the wall-clock time the change was sent (same machine).
 */
class SourceToPostgresBenchmark {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = new SalesforceEmulatorExtension(
            b -> b.dailyApiRequests(10_000_000));

    @Test
    void figures() throws Exception {
        int snapshotRows = Integer.getInteger("bench.snapshot.rows", 200_000);
        int rate = Integer.getInteger("bench.changes.per.second", 100);
        int seconds = Integer.getInteger("bench.seconds", 20);
        String mode = System.getProperty("bench.snapshot.mode", "staged");
        int partitions = Integer.getInteger("bench.partitions", 1);
        int sinkTasks = Integer.getInteger("bench.sink.tasks", 1);
        String topic = "sf.Account";
        SalesforceEmulator emulator = SALESFORCE.emulator();
        HttpClient http = HttpClient.newHttpClient();
        long seedStart = System.nanoTime();
        for (int done = 0; done < snapshotRows; done += 2000) {
            StringBuilder body = new StringBuilder("{\"operation\":\"create\",\"records\":[");
            for (int i = done; i < Math.min(snapshotRows, done + 2000); i++) {
                body.append(i == done ? "" : ",").append("{\"Name\":\"Bench ").append(i)
                        .append("\",\"BillingCity\":\"City ").append(i % 97).append("\",\"AnnualRevenue\":")
                        .append(i * 10).append(".5}");
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                            + "/emulator/records/Account/batch")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError(r.body());
            }
        }
        System.out.printf("[bench] seeded %,d accounts in %d ms%n", snapshotRows,
                (System.nanoTime() - seedStart) / 1_000_000);

        try (PostgresFixture postgres = PostgresFixture.start();
             ConnectFixture connect = ConnectFixture.builder().pluginPath(PluginPath.builder().withDebeziumJdbc()
                     .addArchive(PostgresPipeline.pluginArchive()).build()).start();
             SalesforceClient sf = TestSupport.client(emulator, "bench");
             Admin admin = connect.admin()) {
            Map<String, String> sinkOverrides = new java.util.HashMap<>(postgres.jdbcSinkConnection());
            sinkOverrides.put("tasks.max", Integer.toString(sinkTasks));
            String urlParams = System.getProperty("bench.sink.url.params", "");
            if (!urlParams.isEmpty()) {
                String url = sinkOverrides.get("connection.url");
                sinkOverrides.put("connection.url", url + (url.contains("?") ? "&" : "?") + urlParams);
            }
            Map<String, String> sourceOverrides = Map.of(
                    SalesforceSourceConfig.LOGIN_URL, emulator.baseUrl(),
                    SalesforceSourceConfig.CLIENT_ID, SalesforceEmulator.CLIENT_ID,
                    SalesforceSourceConfig.CLIENT_SECRET, SalesforceEmulator.CLIENT_SECRET,
                    SalesforceSourceConfig.OBJECTS, "Account",
                    "topic.creation.default.partitions", Integer.toString(partitions));
            System.out.printf("[bench] snapshot mode %s: %d topic partition(s), %d JDBC sink task(s)%n", mode,
                    partitions, sinkTasks);
            if (mode.equals("staged")) {
                // Each stage alone on the machine: the source into Kafka, then the JDBC sink from the full topic.
                long start = System.nanoTime();
                long cpuStart = jvmCpuNanos();
                connect.createConnector(Path.of("src/test/resources/connectors/salesforce-source.json"),
                        sourceOverrides);
                Polling.await("snapshot in Kafka", Duration.ofMinutes(15), Duration.ofMillis(100),
                        () -> endOffsets(admin, topic, partitions) >= snapshotRows,
                        () -> connect.connectorStatus("salesforce-source").toString());
                long sourceMillis = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("[bench] stage 1, source alone: %,d accounts read from Salesforce and in the topic"
                        + " in %,d ms = %,.0f rows/s; JVM CPU %.1f µs per row (emulator, source task, broker)%n",
                        snapshotRows, sourceMillis, snapshotRows * 1000.0 / sourceMillis,
                        (jvmCpuNanos() - cpuStart) / 1000.0 / snapshotRows);
                start = System.nanoTime();
                cpuStart = jvmCpuNanos();
                connect.createConnector(Path.of("src/test/resources/connectors/postgres-sink.json"), sinkOverrides);
                awaitRows(postgres, connect, snapshotRows);
                long sinkMillis = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("[bench] stage 2, JDBC sink alone: %,d rows from the topic into Postgres in %,d ms"
                        + " = %,.0f rows/s; JVM CPU %.1f µs per row (sink task, broker; Postgres not counted)%n",
                        snapshotRows, sinkMillis, snapshotRows * 1000.0 / sinkMillis,
                        (jvmCpuNanos() - cpuStart) / 1000.0 / snapshotRows);
            } else {
                connect.createConnector(Path.of("src/test/resources/connectors/postgres-sink.json"), sinkOverrides);
                long start = System.nanoTime();
                connect.createConnector(Path.of("src/test/resources/connectors/salesforce-source.json"),
                        sourceOverrides);
                // Two stages at once: the source has handed a row to Connect once it is in the topic, then the sink
                // writes it.
                long[] inKafkaMillis = {-1};
                Polling.await("snapshot in Postgres", Duration.ofMinutes(15), Duration.ofMillis(200), () -> {
                    if (inKafkaMillis[0] < 0 && endOffsets(admin, topic, partitions) >= snapshotRows) {
                        inKafkaMillis[0] = (System.nanoTime() - start) / 1_000_000;
                    }
                    return rows(postgres) >= snapshotRows;
                }, () -> connect.connectorStatus("salesforce-source").toString());
                long snapshotMillis = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("[bench] snapshot of %,d accounts handed to Connect (all in the topic), from"
                        + " connector creation: %,d ms = %,.0f rows/s%n", snapshotRows, inKafkaMillis[0],
                        snapshotRows * 1000.0 / inKafkaMillis[0]);
                System.out.printf("[bench] snapshot of %,d accounts into Postgres (source, Kafka and JDBC sink at"
                        + " once), from connector creation: %,d ms = %,.0f rows/s%n", snapshotRows, snapshotMillis,
                        snapshotRows * 1000.0 / snapshotMillis);
            }
            printRecordSizes(connect, admin, new TopicPartition(topic, 0), snapshotRows / partitions);

            postgres.execute("CREATE TABLE bench_seen (seq text PRIMARY KEY, seen_at timestamptz NOT NULL)");
            postgres.execute("""
                    CREATE FUNCTION bench_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF NEW.site LIKE 'bench-%' THEN
                        INSERT INTO bench_seen VALUES (NEW.site, clock_timestamp()) ON CONFLICT DO NOTHING;
                      END IF;
                      RETURN NEW;
                    END $$""");
            postgres.execute("CREATE TRIGGER bench_stamp AFTER INSERT OR UPDATE ON account FOR EACH ROW"
                    + " EXECUTE FUNCTION bench_stamp()");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(sf.records().create("Account", Map.of("Name", "Latency " + i)));
            }
            Polling.await("latency records in Postgres", Duration.ofMinutes(2), () -> ((Number) postgres.query(
                    "SELECT count(*) AS n FROM account WHERE name LIKE 'Latency %'").get(0).get("n")).intValue() == 50);
            int total = rate * seconds;
            Map<String, Long> sentAtMicros = new ConcurrentHashMap<>();
            AtomicInteger seq = new AtomicInteger();
            ScheduledExecutorService pace = Executors.newScheduledThreadPool(4);
            long periodMicros = 1_000_000L / rate;
            pace.scheduleAtFixedRate(() -> {
                int n = seq.getAndIncrement();
                if (n >= total) {
                    return;
                }
                String value = "bench-" + n;
                java.time.Instant now = java.time.Instant.now();
                sentAtMicros.put(value, now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
                sf.records().update("Account", ids.get(n % ids.size()), Map.of("Site", value));
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
            Polling.await("all changes seen", Duration.ofMinutes(5), Duration.ofMillis(200),
                    () -> ((Number) postgres.query("SELECT count(*) AS n FROM bench_seen").get(0).get("n"))
                            .intValue() >= total, () -> "");
            pace.shutdownNow();
            List<Long> latencies = new ArrayList<>();
            for (Map<String, Object> row : postgres.query(
                    "SELECT seq, (extract(epoch FROM seen_at) * 1000000)::bigint AS us FROM bench_seen")) {
                Long sent = sentAtMicros.get((String) row.get("seq"));
                if (sent != null) {
                    latencies.add((((Number) row.get("us")).longValue() - sent) / 1000);
                }
            }
            Collections.sort(latencies);
            System.out.printf("[bench] Salesforce change -> Postgres row over %,d changes at %d/s: p50 %d ms,"
                            + " p90 %d ms, p99 %d ms, max %d ms%n", latencies.size(), rate,
                    latencies.get(latencies.size() / 2), latencies.get(latencies.size() * 9 / 10),
                    latencies.get(latencies.size() * 99 / 100), latencies.get(latencies.size() - 1));
        }
    }

    /** CPU time of this JVM, all threads: on a shared machine a steadier measure of cost than wall time. */
    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Records in all partitions of the topic (its log end offsets: nothing is deleted during the run). */
    private static long endOffsets(Admin admin, String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try {
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            return -1; // the topic is created with the first record
        }
    }

    private static long rows(PostgresFixture postgres) {
        return postgres.tableExists("account") ? ((Number) postgres.query("SELECT count(*) AS n FROM account")
                .get(0).get("n")).longValue() : 0;
    }

    private static void awaitRows(PostgresFixture postgres, ConnectFixture connect, long expected) {
        Polling.await("snapshot in Postgres", Duration.ofMinutes(15), Duration.ofMillis(200),
                () -> rows(postgres) >= expected, () -> connect.connectorStatus("salesforce-postgres-sink").toString());
    }

    /** Bytes per record as JsonConverter with schemas writes it, and as the broker stores it (lz4 batches). */
    private static void printRecordSizes(ConnectFixture connect, Admin admin, TopicPartition tp, int rows) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> sample = connect.consume(2000, Duration.ofMinutes(1), tp.topic());
        long key = 0;
        long value = 0;
        long headers = 0;
        for (ConsumerRecord<byte[], byte[]> r : sample) {
            key += r.key() == null ? 0 : r.key().length;
            value += r.value() == null ? 0 : r.value().length;
            for (org.apache.kafka.common.header.Header h : r.headers()) {
                headers += h.key().length() + (h.value() == null ? 0 : h.value().length);
            }
        }
        long onDisk = admin.describeLogDirs(admin.describeCluster().nodes().get()
                        .stream().map(org.apache.kafka.common.Node::id).toList()).allDescriptions().get().values().stream()
                .flatMap(dirs -> dirs.values().stream())
                .mapToLong(d -> d.replicaInfos().entrySet().stream().filter(e -> e.getKey().equals(tp))
                        .mapToLong(e -> e.getValue().size()).sum()).sum();
        System.out.printf("[bench] record size over %,d records: key %,d B, value %,d B, headers %,d B (uncompressed);"
                        + " on the broker %,d B per record (lz4)%n", sample.size(), key / sample.size(),
                value / sample.size(), headers / sample.size(), onDisk / rows);
        printConverterCost(sample);
    }

    /**
     * What JsonConverter alone costs per record, reading (as the JDBC sink's worker does) and writing (as the
     * source's worker does), measured in CPU time of one thread over the sample, after a warm-up pass.
     */
    private static void printConverterCost(List<ConsumerRecord<byte[], byte[]>> sample) {
        try (org.apache.kafka.connect.json.JsonConverter converter = new org.apache.kafka.connect.json.JsonConverter()) {
            converter.configure(Map.of("schemas.enable", "true"), false);
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            List<org.apache.kafka.connect.data.SchemaAndValue> values = new ArrayList<>();
            long readNanos = 0;
            long writeNanos = 0;
            for (int pass = 0; pass < 4; pass++) {
                values.clear();
                long t0 = threads.getCurrentThreadCpuTime();
                for (ConsumerRecord<byte[], byte[]> r : sample) {
                    values.add(converter.toConnectData(r.topic(), r.value()));
                }
                long t1 = threads.getCurrentThreadCpuTime();
                for (org.apache.kafka.connect.data.SchemaAndValue v : values) {
                    converter.fromConnectData("sf.Account", v.schema(), v.value());
                }
                long t2 = threads.getCurrentThreadCpuTime();
                if (pass > 0) {
                    readNanos += t1 - t0;
                    writeNanos += t2 - t1;
                }
            }
            System.out.printf("[bench] JsonConverter with schemas, one thread's CPU: %.1f µs to read a record value,"
                    + " %.1f µs to write one%n", readNanos / 3000.0 / sample.size(), writeNanos / 3000.0 / sample.size());
        }
    }
}
