package io.sfsync.source;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.source.mapping.RecordMapper;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.sfsync.source.SalesforceSourceTaskTest.header;
import static io.sfsync.source.SalesforceSourceTaskTest.isChange;
import static io.sfsync.source.SalesforceSourceTaskTest.stringField;
import static org.assertj.core.api.Assertions.assertThat;

/** Faults in the middle of the stream: 403::Unknown client, 401 (every session ended), quota exhausted. */
class StreamFaultsTaskTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = TestSupport.emulator();
    static final Duration BOUND = Duration.ofSeconds(60);
    static SalesforceClient sf;

    @BeforeAll
    static void client() {
        sf = TestSupport.client(SALESFORCE.emulator(), "someone-else");
    }

    @AfterAll
    static void close() {
        sf.close();
    }

    static String control(String method, String path, String json) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(SALESFORCE.emulator().baseUrl() + path))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
            return r.body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, String> streamOnly(String object) {
        Map<String, String> p = TestSupport.props(SALESFORCE.emulator(), object);
        p.put(SalesforceSourceConfig.SNAPSHOT_MODE, "NEVER");
        return p;
    }

    static long count(TaskHarness h, String type, String id) {
        return h.received.stream().filter(r -> isChange(r, type, id)).count();
    }

    @Test
    void unknownClientMidStreamResumesWithoutLossOrDuplicates() throws Exception {
        try (TaskHarness h = new TaskHarness(streamOnly("Lead"), new TaskHarness.OffsetStore()).start()) {
            String a = sf.records().create("Lead", Map.of("LastName", "A", "Company", "C"));
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "CREATE", a)));
            control("POST", "/emulator/streaming/expire-clients", null);
            String b = sf.records().create("Lead", Map.of("LastName", "B", "Company", "C"));
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "CREATE", b)));
            assertThat(count(h, "CREATE", a)).isEqualTo(1);
            assertThat(count(h, "CREATE", b)).isEqualTo(1);
        }
    }

    @Test
    void expiredSessionsMidStreamAreRenewedAndKeyLookupsStillWork() throws Exception {
        try (TaskHarness h = new TaskHarness(streamOnly("Account"), new TaskHarness.OffsetStore()).start()) {
            String key = "pg-" + UUID.randomUUID();
            String a = sf.records().create("Account", Map.of("Name", "A", "External_Id__c", key));
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "CREATE", a)));
            control("POST", "/emulator/sessions/expire", null);
            // As a UI user: the update event does not carry the external id, so the task must query it (REST, 401,
            // re-login) unless it remembers it; a second task without that memory is the real test below.
            sf.records().update("Account", a, Map.of("Phone", "+1 555"));
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "UPDATE", a)));
        }
        String key = "pg-" + UUID.randomUUID();
        String b = sf.records().create("Account", Map.of("Name", "B", "External_Id__c", key));
        try (TaskHarness h = new TaskHarness(streamOnly("Account"), new TaskHarness.OffsetStore()).start()) {
            control("POST", "/emulator/sessions/expire", null);
            sf.records().update("Account", b, Map.of("Phone", "+1 556"));
            // The change arrives either as its UPDATE event or, if it fell between the old session and the new
            // subscription from the tip (nothing streamed yet, so no replay id to resume from), through the resync
            // window the task opens on a new session.
            java.util.function.Predicate<SourceRecord> carriesIt = r -> b.equals(header(r, RecordMapper.H_RECORD_ID))
                    && "+1 556".equals(stringField(r, "phone"));
            h.pollUntil(BOUND, l -> l.stream().anyMatch(carriesIt));
            SourceRecord update = h.received.stream().filter(carriesIt).findFirst().orElseThrow();
            assertThat(((Struct) update.key()).getString("sync_key")).isEqualTo(key);
            assertThat(stringField(update, "phone")).isEqualTo("+1 556");
            assertThat(header(update, RecordMapper.H_ORIGIN)).isEqualTo("salesforce");
        }
    }
}
