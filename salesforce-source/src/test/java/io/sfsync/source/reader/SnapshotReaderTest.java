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

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** REST paging and Bulk API 2.0 query read the same rows in Id order, and both resume after a cursor. */
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
}
