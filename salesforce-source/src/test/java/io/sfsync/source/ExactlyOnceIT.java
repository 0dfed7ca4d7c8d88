package io.sfsync.source;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.source.mapping.RecordMapper;
import io.sfsync.testkit.ConnectFixture;
import io.sfsync.testkit.PluginPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KIP-618: the connector runs with {@code exactly.once.support=required} on a worker with
 * {@code exactly.once.source.support=enabled}; its records and offsets are committed in one transaction per poll,
 * so a read_committed consumer sees them and a restart neither repeats the snapshot nor loses a change.
 */
class ExactlyOnceIT {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = TestSupport.emulator();
    static final String NAME = "salesforce-source-eos";
    static final String TOPIC = "eos.Lead";
    static ConnectFixture connect;
    static SalesforceClient sf;

    @BeforeAll
    static void start() throws IOException {
        SalesforceEmulator emulator = SALESFORCE.emulator();
        sf = TestSupport.client(emulator, "someone-else");
        for (int i = 0; i < 3; i++) {
            sf.records().create("Lead", Map.of("LastName", "Seed" + i, "Company", "C"));
        }
        connect = ConnectFixture.builder().exactlyOnceSourceSupport(true)
                .pluginPath(PluginPath.builder().addArchive(PostgresPipeline.pluginArchive()).build()).start();
        connect.createConnector(Path.of("src/test/resources/connectors/salesforce-source-exactly-once.json"), Map.of(
                SalesforceSourceConfig.LOGIN_URL, emulator.baseUrl(),
                SalesforceSourceConfig.CLIENT_ID, SalesforceEmulator.CLIENT_ID,
                SalesforceSourceConfig.CLIENT_SECRET, SalesforceEmulator.CLIENT_SECRET));
        connect.awaitRunning(NAME, 1, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
        if (sf != null) {
            sf.close();
        }
    }

    static long count(List<ConsumerRecord<byte[], byte[]>> records, String changeType) {
        return records.stream().filter(r -> changeType.equals(ConnectFixture.headerAsString(r,
                RecordMapper.H_CHANGE_TYPE))).count();
    }

    static List<ConsumerRecord<byte[], byte[]>> awaitRecords(int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> records = connect.consume(atLeast, Duration.ofSeconds(60), TOPIC);
        assertThat(records).as("committed records on " + TOPIC).hasSizeGreaterThanOrEqualTo(atLeast);
        return records;
    }

    @Test
    void snapshotAndChangesAreCommittedTransactionallyAndSurviveARestart() {
        assertThat(count(awaitRecords(3), RecordMapper.SNAPSHOT)).isEqualTo(3);
        String first = sf.records().create("Lead", Map.of("LastName", "Live", "Company", "C"));
        List<ConsumerRecord<byte[], byte[]>> records = awaitRecords(4);
        assertThat(records).anyMatch(r -> first.equals(ConnectFixture.headerAsString(r, RecordMapper.H_RECORD_ID)));

        connect.restartConnector(NAME);
        connect.awaitRunning(NAME, 1, Duration.ofSeconds(60));
        String second = sf.records().create("Lead", Map.of("LastName", "After restart", "Company", "C"));
        records = awaitRecords(5);
        assertThat(records).anyMatch(r -> second.equals(ConnectFixture.headerAsString(r, RecordMapper.H_RECORD_ID)));
        // The snapshot was not repeated after the restart, and no change came twice.
        assertThat(count(records, RecordMapper.SNAPSHOT)).isEqualTo(3);
        assertThat(count(records, "CREATE")).isEqualTo(2);

        // A deletion is two records (delete marker, tombstone) of one poll, so of one transaction.
        sf.records().delete("Lead", first);
        records = awaitRecords(7);
        List<ConsumerRecord<byte[], byte[]>> delete = records.stream().filter(r -> "DELETE".equals(
                ConnectFixture.headerAsString(r, RecordMapper.H_CHANGE_TYPE))).toList();
        assertThat(delete).hasSize(2);
        assertThat(ConnectFixture.valueAsString(delete.get(0))).contains("\"_sync_deleted\":true");
        assertThat(delete.get(1).value()).isNull();
    }
}
