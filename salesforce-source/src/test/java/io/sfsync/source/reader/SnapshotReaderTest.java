package io.sfsync.source.reader;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.auth.SalesforceCredentials;
import io.sfsync.salesforce.auth.Secret;
import io.sfsync.source.mapping.ObjectSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sfsync.salesforce.error.SalesforceException;
import io.sfsync.testkit.Polling;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * REST paging and Bulk API 2.0 query read the same rows in Id order, and both resume after a cursor; read ahead on
 * the background thread, pages come in the same order, a failed read surfaces in {@code awaitPage} and is read again,
 * and closing mid-read stops the thread.
 */
class SnapshotReaderTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = new SalesforceEmulatorExtension(
            b -> b.dailyApiRequests(1_000_000));
    static SalesforceClient sf;
    static ObjectSchema schema;
    static List<String> ids;

    @BeforeAll
    static void seed() {
        SalesforceEmulator e = SALESFORCE.emulator();
        sf = SalesforceClient.builder(new SalesforceCredentials.ClientCredentials(URI.create(e.baseUrl()),
                SalesforceEmulator.CLIENT_ID, Secret.of(SalesforceEmulator.CLIENT_SECRET)), "test").build();
        List<io.sfsync.salesforce.write.SObjectRecord> records = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            records.add(io.sfsync.salesforce.write.SObjectRecord.of("Contact", Map.of("LastName", "R" + i)));
        }
        ids = sf.collections().create(records).stream().map(o -> o.id()).sorted().toList();
        schema = ObjectSchema.of(sf.describe().describe("Contact"), Set.of(), Set.of(), "External_Id__c",
                "sync_key", "sf.Contact");
    }

    @AfterAll
    static void close() {
        sf.close();
    }

    static List<String> readAll(SnapshotReader r) {
        List<String> out = new ArrayList<>();
        int pages = 0;
        while (!r.done()) {
            List<Map<String, Object>> page = r.nextPage();
            assertThat(page.size()).isLessThanOrEqualTo(200);
            page.forEach(row -> out.add(String.valueOf(row.get("id"))));
            pages++;
        }
        assertThat(pages).isGreaterThanOrEqualTo(3);
        return out;
    }

    @Test
    void restPagingReadsEveryRowInIdOrder() {
        assertThat(readAll(new SnapshotReader(sf, schema, null, null, 200, 1_000_000))).containsExactlyElementsOf(ids);
    }

    @Test
    void bulkQueryAboveTheThresholdReadsTheSameRows() {
        try (SnapshotReader r = new SnapshotReader(sf, schema, null, null, 200, 100)) {
            assertThat(readAll(r)).containsExactlyElementsOf(ids);
        }
    }

    @Test
    void bothResumeAfterTheCursor() {
        String cursor = ids.get(99);
        List<String> rest = ids.subList(100, ids.size());
        List<String> viaRest = new ArrayList<>();
        SnapshotReader r = new SnapshotReader(sf, schema, cursor, null, 200, 1_000_000);
        while (!r.done()) {
            r.nextPage().forEach(row -> viaRest.add(String.valueOf(row.get("id"))));
        }
        assertThat(viaRest).containsExactlyElementsOf(rest);
        List<String> viaBulk = new ArrayList<>();
        try (SnapshotReader b = new SnapshotReader(sf, schema, cursor, null, 200, 10)) {
            while (!b.done()) {
                b.nextPage().forEach(row -> viaBulk.add(String.valueOf(row.get("id"))));
            }
        }
        assertThat(viaBulk).containsExactlyElementsOf(rest);
    }

    static final Duration WAIT = Duration.ofSeconds(30);

    static List<String> readAhead(SnapshotReader r) throws InterruptedException {
        List<String> out = new ArrayList<>();
        r.prefetch();
        while (!r.done()) {
            List<Map<String, Object>> page = r.awaitPage(WAIT);
            assertThat(page).as("page ready within " + WAIT).isNotNull();
            page.forEach(row -> out.add(String.valueOf(row.get("id"))));
            r.prefetch();
        }
        return out;
    }

    @Test
    void readAheadHandsOverEveryPageInIdOrder() throws InterruptedException {
        try (SnapshotReader viaRest = new SnapshotReader(sf, schema, null, null, 200, 1_000_000);
             SnapshotReader viaBulk = new SnapshotReader(sf, schema, null, null, 200, 100)) {
            assertThat(readAhead(viaRest)).containsExactlyElementsOf(ids);
            assertThat(readAhead(viaBulk)).containsExactlyElementsOf(ids);
            // Complete: nothing more is read.
            assertThat(viaRest.awaitPage(WAIT)).isEmpty();
        }
    }

    static void schemaCall(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(SALESFORCE.emulator().baseUrl() + path))
                .header("Content-Type", "application/json");
        HttpResponse<String> r = HttpClient.newHttpClient().send(body == null ? b.DELETE().build()
                : b.method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    }

    @Test
    void aFailedReadSurfacesInAwaitPageAndTheSamePageIsReadAgain() throws Exception {
        String field = "Prefetch_Probe__c";
        String define = "{\"name\":\"" + field + "\",\"type\":\"string\",\"length\":20}";
        schemaCall("POST", "/emulator/schema/Contact/fields", define);
        ObjectSchema withProbe = ObjectSchema.of(sf.describe().revalidate("Contact"), Set.of(), Set.of(),
                "External_Id__c", "sync_key", "sf.Contact");
        List<String> read = new ArrayList<>();
        try (SnapshotReader r = new SnapshotReader(sf, withProbe, null, null, 200, 1_000_000)) {
            r.awaitPage(WAIT).forEach(row -> read.add(String.valueOf(row.get("id"))));
            // The field disappears before the next page is read: the query names it and fails (INVALID_FIELD).
            schemaCall("DELETE", "/emulator/schema/Contact/fields/" + field, null);
            r.prefetch();
            assertThatThrownBy(() -> r.awaitPage(WAIT)).isInstanceOf(SalesforceException.class)
                    .hasMessageContaining(field);
            schemaCall("POST", "/emulator/schema/Contact/fields", define);
            while (!r.done()) {
                List<Map<String, Object>> page = r.awaitPage(WAIT);
                assertThat(page).isNotNull();
                page.forEach(row -> read.add(String.valueOf(row.get("id"))));
            }
        } finally {
            schemaCall("DELETE", "/emulator/schema/Contact/fields/" + field, null);
            sf.describe().revalidate("Contact");
        }
        // Nothing skipped, nothing repeated across the failure.
        assertThat(read).containsExactlyElementsOf(ids);
    }

    static boolean prefetchThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("sfsync-source-snapshot-Contact") && t.isAlive());
    }

    @Test
    void closeDuringARead() throws InterruptedException {
        Polling.await("no reader thread left by other tests", WAIT, () -> !prefetchThreadAlive());
        SALESFORCE.emulator().faults().setLatency(Duration.ofSeconds(20));
        try {
            SnapshotReader r = new SnapshotReader(sf, schema, null, null, 200, 100);
            r.prefetch();
            assertThat(r.awaitPage(Duration.ofMillis(50))).as("still reading").isNull();
            assertThat(prefetchThreadAlive()).isTrue();
            r.close();
            Polling.await("reader thread stopped", WAIT, () -> !prefetchThreadAlive());
            // Closed: no new read starts.
            r.prefetch();
            assertThat(r.awaitPage(WAIT)).isEmpty();
            assertThat(prefetchThreadAlive()).isFalse();
        } finally {
            SALESFORCE.emulator().faults().setLatency(Duration.ZERO);
        }
    }
}
