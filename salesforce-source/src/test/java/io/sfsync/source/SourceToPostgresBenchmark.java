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
 *     [-Dbench.snapshot.rows=200000] [-Dbench.changes.per.second=100] [-Dbench.seconds=20]</pre>
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
                     .addArchive(SalesforceToPostgresIT.pluginArchive()).build()).start();
             SalesforceClient sf = TestSupport.client(emulator, "bench");
             Admin admin = connect.admin()) {
            connect.createConnector(Path.of("src/test/resources/connectors/postgres-sink.json"),
                    postgres.jdbcSinkConnection());
            long start = System.nanoTime();
            connect.createConnector(Path.of("src/test/resources/connectors/salesforce-source.json"), Map.of(
                    SalesforceSourceConfig.LOGIN_URL, emulator.baseUrl(),
                    SalesforceSourceConfig.CLIENT_ID, SalesforceEmulator.CLIENT_ID,
                    SalesforceSourceConfig.CLIENT_SECRET, SalesforceEmulator.CLIENT_SECRET,
                    SalesforceSourceConfig.OBJECTS, "Account"));
            // Two stages: the source has handed a row to Connect once it is in the topic, then the sink writes it.
            long[] inKafkaMillis = {-1};
            TopicPartition topic = new TopicPartition("sf.Account", 0);
            Polling.await("snapshot in Postgres", Duration.ofMinutes(15), Duration.ofMillis(200), () -> {
                if (inKafkaMillis[0] < 0 && endOffset(admin, topic) >= snapshotRows) {
                    inKafkaMillis[0] = (System.nanoTime() - start) / 1_000_000;
                }
                return postgres.tableExists("account") && ((Number) postgres.query(
                        "SELECT count(*) AS n FROM account").get(0).get("n")).longValue() >= snapshotRows;
            }, () -> connect.connectorStatus("salesforce-source").toString());
            long snapshotMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("[bench] snapshot of %,d accounts handed to Connect (all in the topic), from connector"
                    + " creation: %,d ms = %,.0f rows/s%n", snapshotRows, inKafkaMillis[0],
                    snapshotRows * 1000.0 / inKafkaMillis[0]);
            printRecordSizes(connect, admin, topic, snapshotRows);
            System.out.printf("[bench] snapshot of %,d accounts into Postgres (REST pages, or one Bulk 2.0 job above"
                    + " snapshot.bulk.threshold; source, Kafka, JDBC sink), from connector creation: %,d ms = %,.0f rows/s%n", snapshotRows, snapshotMillis,
                    snapshotRows * 1000.0 / snapshotMillis);

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

    private static long endOffset(Admin admin, TopicPartition tp) {
        try {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get()
                    .offset();
        } catch (Exception e) {
            return -1; // the topic is created with the first record
        }
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
    }
}
