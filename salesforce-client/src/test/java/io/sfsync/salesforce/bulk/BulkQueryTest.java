package io.sfsync.salesforce.bulk;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.http.RestRequest;
import io.sfsync.salesforce.metrics.CallKind;
import io.sfsync.salesforce.write.SObjectRecord;
import io.sfsync.salesforce.write.SaveOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bulk API 2.0 query jobs against the emulator over real HTTP: paging by locator, queryAll, refused queries. */
class BulkQueryTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension(b -> b.dailyApiRequests(1_000_000));

    static final int ROWS = 5000;
    static SalesforceClient sf;
    static String run;
    static List<String> ids;

    @BeforeAll
    static void seed() {
        sf = BulkTestSupport.client(SF.emulator(), BulkTestSupport.FAST);
        run = UUID.randomUUID().toString().substring(0, 8);
        BulkIngestResult r = sf.bulk().insert("Account", IntStream.range(0, ROWS).mapToObj(i -> Map.<String, Object>of(
                "Name", "Snap " + run + " " + i, "Phone", "555-" + i, "Description", "a, \"b\"\nc")).toList());
        assertThat(r.succeeded()).isEqualTo(ROWS);
        ids = r.outcomes().stream().map(BulkRecordOutcome::id).toList();
    }

    @AfterAll
    static void close() {
        sf.close();
    }

    @Test
    void fiveThousandRowsComeBackOnceInPagesOfMaxRecordsHoldingOnePageAtATime() {
        int page = 700;
        Set<String> names = new HashSet<>();
        Set<String> seenIds = new HashSet<>();
        int maxBuffered = 0;
        try (BulkQueryCursor rows = sf.bulkQuery().open(false,
                "SELECT Id, Name, Phone, Description FROM Account WHERE Name LIKE 'Snap " + run + "%'", page)) {
            assertThat(rows.header()).containsExactly("Id", "Name", "Phone", "Description");
            assertThat(rows.pagesFetched()).isEqualTo(1);
            assertThat(rows.job().numberRecordsProcessed()).isEqualTo(ROWS);
            while (rows.hasNext()) {
                maxBuffered = Math.max(maxBuffered, rows.bufferedRows());
                int pagesBefore = rows.pagesFetched();
                long returnedBefore = rows.rowsReturned();
                Map<String, String> row = rows.next();
                // a page is fetched only once the previous one is used up
                assertThat(rows.pagesFetched() == pagesBefore || returnedBefore % page == 0).isTrue();
                assertThat(names.add(row.get("Name"))).as("row seen once: %s", row.get("Name")).isTrue();
                seenIds.add(row.get("Id"));
                assertThat(row.get("Description")).isEqualTo("a, \"b\"\nc");
                assertThat(row.get("Phone")).startsWith("555-");
            }
            assertThat(rows.rowsReturned()).isEqualTo(ROWS);
            assertThat(rows.pagesFetched()).isEqualTo((ROWS + page - 1) / page);
            assertThat(rows.bufferedRows()).isZero();
        }
        assertThat(maxBuffered).isLessThanOrEqualTo(page);
        assertThat(names).hasSize(ROWS);
        assertThat(seenIds).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void queryAllSeesDeletedRowsAndQueryDoesNot() {
        List<String> gone = sf.bulk().insert("Account", IntStream.range(0, 30)
                .mapToObj(i -> Map.<String, Object>of("Name", "Gone " + run + " " + i)).toList())
                .outcomes().stream().map(BulkRecordOutcome::id).toList();
        List<String> doomed = gone.subList(10, 20);
        assertThat(sf.bulk().delete("Account", doomed).succeeded()).isEqualTo(10);
        String soql = "SELECT Id, IsDeleted FROM Account WHERE Name LIKE 'Gone " + run + "%'";

        long live;
        try (var rows = sf.bulkQuery().query(soql).stream()) {
            live = rows.count();
        }
        List<Map<String, String>> all;
        try (var rows = sf.bulkQuery().queryAll(soql).stream()) {
            all = rows.toList();
        }

        assertThat(live).isEqualTo(20);
        assertThat(all).hasSize(30);
        assertThat(all.stream().filter(r -> "true".equals(r.get("IsDeleted"))).map(r -> r.get("Id")))
                .containsExactlyInAnyOrderElementsOf(doomed);
    }

    @Test
    void relationshipColumnsKeepTheirPathsAndNullsAreNull() {
        SObjectRecord contact = SObjectRecord.of("Contact", Map.of("LastName", "Rel " + run, "AccountId", ids.get(0)));
        SObjectRecord orphan = SObjectRecord.of("Contact", Map.of("LastName", "Rel " + run + " orphan"));
        assertThat(sf.collections().create(List.of(contact, orphan))).allMatch(SaveOutcome::success);

        List<Map<String, String>> rows;
        try (var cursor = sf.bulkQuery().query(
                "SELECT LastName, Account.Name FROM Contact WHERE LastName LIKE 'Rel " + run + "%' ORDER BY LastName")) {
            assertThat(cursor.header()).containsExactly("LastName", "Account.Name");
            rows = cursor.stream().toList();
        }
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("Account.Name", "Snap " + run + " 0");
        assertThat(rows.get(1)).containsEntry("LastName", "Rel " + run + " orphan").containsEntry("Account.Name", null);
    }

    @Test
    void aSessionRevokedBetweenPagesIsRenewedAndReadingGoesOn() {
        try (SalesforceClient fresh = BulkTestSupport.client(SF.emulator(), BulkTestSupport.FAST);
             BulkQueryCursor rows = fresh.bulkQuery().open(false,
                     "SELECT Id FROM Account WHERE Name LIKE 'Snap " + run + "%'", 1000)) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 1500; i++) {
                seen.add(rows.next().get("Id"));
            }
            SF.emulator().tokens().revoke(fresh.tokens().current().value());
            rows.forEachRemaining(r -> seen.add(r.get("Id")));
            assertThat(seen).hasSize(ROWS);
            assertThat(fresh.metrics().reauthentications()).isEqualTo(1);
        }
    }

    @Test
    void anEmptyResultHasNoRows() {
        try (var cursor = sf.bulkQuery().query("SELECT Id FROM Account WHERE Name = 'nothing " + run + "'")) {
            assertThat(cursor.hasNext()).isFalse();
            assertThat(cursor.rowsReturned()).isZero();
        }
    }

    @Test
    void aMalformedQueryIsAFatalErrorWithSalesforcesMessage() {
        assertThatThrownBy(() -> sf.bulkQuery().query("SELEKT Id FROM Account"))
                .isInstanceOfSatisfying(FatalSalesforceException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo("API_ERROR");
                    assertThat(e.getMessage()).startsWith("POST /jobs/query: HTTP 400 API_ERROR")
                            .contains("unexpected token: 'SELEKT'");
                });
        assertThatThrownBy(() -> sf.bulkQuery().query("SELECT COUNT() FROM Account"))
                .isInstanceOf(FatalSalesforceException.class)
                .hasMessageContaining("Aggregate queries are not supported in Bulk Query");
        assertThatThrownBy(() -> sf.bulkQuery().query("SELECT Id, NoSuchField__c FROM Account"))
                .isInstanceOf(FatalSalesforceException.class);
    }

    @Test
    void closingTheCursorDeletesItsJobAndEveryCallIsCountedUnderBulk() {
        long bulk = sf.metrics().calls(CallKind.BULK);
        long query = sf.metrics().calls(CallKind.QUERY);
        String jobId;
        try (var cursor = sf.bulkQuery().query("SELECT Id FROM Account WHERE Name LIKE 'Snap " + run + " 1%'")) {
            jobId = cursor.job().id();
            assertThat(cursor.hasNext()).isTrue();
        }
        // create, at least one status check, one results page, delete
        assertThat(sf.metrics().calls(CallKind.BULK) - bulk).isGreaterThanOrEqualTo(4);
        assertThat(sf.metrics().calls(CallKind.QUERY)).isEqualTo(query);
        assertThatThrownBy(() -> sf.transport().send(CallKind.BULK, RestRequest.get("/jobs/query/" + jobId)))
                .isInstanceOfSatisfying(FatalSalesforceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("NOT_FOUND"));
        // a streamed call classifies a failure answer as any other call does
        assertThatThrownBy(() -> sf.transport().sendStreamed(CallKind.BULK,
                RestRequest.get("/jobs/query/" + jobId + "/results")))
                .isInstanceOfSatisfying(FatalSalesforceException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo("NOT_FOUND");
                });
    }
}
