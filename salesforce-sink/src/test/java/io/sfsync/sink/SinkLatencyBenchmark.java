package io.sfsync.sink;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.testkit.ConnectFixture;
import io.sfsync.testkit.PluginPath;
import io.sfsync.testkit.Polling;
import io.sfsync.testkit.PostgresFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Prints figures, asserts no timing: Postgres commit → Salesforce write acknowledged (the record visible in the
 * emulator's store), one-row commits at light load, through Debezium, Kafka and the packaged sink. Not part of the
 * default run: {@code mvn -B -pl salesforce-sink -am verify -Dit.test=SinkLatencyBenchmark
 * -Dfailsafe.failIfNoSpecifiedTests=false -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SinkLatencyBenchmark {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension(b -> b.dailyApiRequests(1_000_000));

    @Test
    void commitToSalesforceLatency() throws Exception {
        Path zip;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            zip = files.filter(p -> p.getFileName().toString().matches("salesforce-sink-.*-plugin\\.zip"))
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (PostgresFixture postgres = PostgresFixture.start();
             ConnectFixture connect = ConnectFixture.builder()
                     .pluginPath(PluginPath.builder().withDebeziumPostgres().addArchive(zip).build()).start()) {
            postgres.executeScript("""
                    CREATE TABLE account (id text PRIMARY KEY, name text, rating text, phone text, sfid text,
                                          _sync_origin text);
                    ALTER TABLE account REPLICA IDENTITY FULL
                    """);
            connect.createConnector(config("pg-source.json"), postgres.debeziumSourceConnection());
            connect.awaitRunning("pg-source", 1, Duration.ofSeconds(60));
            Map<String, String> sink = new java.util.HashMap<>(SalesforceSinkIT.sinkOverrides(SF.emulator()));
            sink.put("sync.errors.topic", "");
            connect.createConnector(config("salesforce-sink.json"), sink);
            connect.awaitRunning("salesforce-sink", 1, Duration.ofSeconds(60));

            SObjectType account = SF.emulator().schema().find("Account").orElseThrow();
            postgres.execute("INSERT INTO account (id, name) VALUES ('warm-up', 'Warm-up')");
            Polling.await("warm-up in Salesforce", Duration.ofSeconds(60), () -> exists(account, "warm-up"));

            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String key = "lat-" + i;
                long committed = System.nanoTime();
                postgres.execute("INSERT INTO account (id, name) VALUES (?, 'Latency')", key);
                Polling.await(key, Duration.ofSeconds(30), Duration.ofMillis(1), () -> exists(account, key),
                        () -> "");
                micros.add((System.nanoTime() - committed) / 1_000);
                Thread.sleep(10); // light load: about 50 commits/s at most
            }
            Collections.sort(micros);
            System.out.printf("[sink-benchmark] Postgres commit -> Salesforce acknowledged over %d one-row commits: "
                            + "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", micros.size(),
                    micros.get(49) / 1000.0, micros.get(89) / 1000.0, micros.get(98) / 1000.0,
                    micros.get(99) / 1000.0);
        }
    }

    private static boolean exists(SObjectType account, String key) {
        return SF.emulator().org().records(account, false).anyMatch(r -> key.equals(r.get("External_Id__c")));
    }

    private static Path config(String file) throws URISyntaxException {
        return Path.of(SinkLatencyBenchmark.class.getResource("/connectors/" + file).toURI());
    }
}
