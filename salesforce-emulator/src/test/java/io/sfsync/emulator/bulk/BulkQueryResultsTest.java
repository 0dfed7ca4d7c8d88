package io.sfsync.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.data.ChangeOrigin;
import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.data.WriteContext;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What a finished query job returns: pages, columns, cells, deleted rows, and a snapshot of the org. */
class BulkQueryResultsTest extends BulkQueryTestBase {

    private static final int PAGING_ROWS = 2_500;
    private static final String PAGING_SOQL = "SELECT Id, LastName FROM Lead WHERE Company = 'Paging Co'";

    @BeforeAll
    static void seedLeads() {
        emulator.org().write(new WriteContext(SalesforceEmulator.ADMIN_USER_ID, ChangeOrigin.UI), tx -> {
            for (int i = 0; i < PAGING_ROWS; i++) {
                Map<String, Object> lead = new LinkedHashMap<>();
                lead.put("LastName", "Pager " + i);
                lead.put("Company", "Paging Co");
                assertThat(tx.insert("Lead", lead).success()).isTrue();
            }
            return null;
        });
    }

    @Test
    void pagesThroughEveryRowOnceWithLocators() {
        JsonNode done = runQuery("query", PAGING_SOQL);
        assertThat(done.get("state").asText()).isEqualTo("JobComplete");
        assertThat(done.get("numberRecordsProcessed").asInt()).isEqualTo(PAGING_ROWS);
        String id = done.get("id").asText();

        List<String> ids = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        List<String> locators = new ArrayList<>();
        String locator = null;
        for (int page = 0; page < 10; page++) {
            EmulatorHttp.Reply r = resultsPage(id, locator, 1000);
            assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/csv");
            List<CSVRecord> rows = parse(r.raw().body());
            assertThat(rows.get(0).toList()).containsExactly("Id", "LastName");
            rows.subList(1, rows.size()).forEach(row -> ids.add(row.get(0)));
            pageSizes.add(rows.size() - 1);
            assertThat(r.header("Sforce-NumberOfRecords")).isEqualTo(Integer.toString(rows.size() - 1));
            locator = r.header("Sforce-Locator");
            locators.add(locator);
            if (locator.equals("null")) {
                break;
            }
        }
        assertThat(pageSizes).containsExactly(1000, 1000, 500);
        assertThat(locators.get(2)).isEqualTo("null");
        assertThat(locators.get(0)).isNotEqualTo("null").isNotEqualTo(locators.get(1));
        assertThat(new HashSet<>(ids)).hasSize(PAGING_ROWS);

        Set<String> inOrg;
        try (Stream<StoredRecord> leads = emulator.org().records(emulator.schema().find("Lead").orElseThrow(), false)) {
            inOrg = leads.filter(r -> "Paging Co".equals(r.get("Company"))).map(StoredRecord::id)
                    .collect(Collectors.toSet());
        }
        assertThat(new HashSet<>(ids)).isEqualTo(inOrg);

        // A locator stays valid while the job exists: the second page reads the same again.
        EmulatorHttp.Reply again = resultsPage(id, locators.get(0), 1000);
        assertThat(parse(again.raw().body()).get(1).get(0)).isEqualTo(ids.get(1000));
        assertThat(again.header("Sforce-Locator")).isEqualTo(locators.get(1));
    }

    @Test
    void relationshipColumnsAndNullsAreCells() {
        String parent = createAccount("{\"Name\":\"Bulk Rel Parent\"}");
        EmulatorHttp.Reply child = http.post(V + "/sobjects/Contact",
                "{\"LastName\":\"BulkRelChild\",\"AccountId\":\"" + parent + "\",\"Email\":\"child@example.com\"}");
        assertThat(child.status()).isEqualTo(201);
        EmulatorHttp.Reply orphan = http.post(V + "/sobjects/Contact", "{\"LastName\":\"BulkRelOrphan\"}");
        assertThat(orphan.status()).isEqualTo(201);

        JsonNode done = runQuery("query", "SELECT Id, LastName, Account.Name, Email FROM Contact "
                + "WHERE LastName LIKE 'BulkRel%' ORDER BY LastName");
        String csv = allResults(done.get("id").asText());
        assertThat(firstLine(csv)).isEqualTo("\"Id\",\"LastName\",\"Account.Name\",\"Email\"");
        List<CSVRecord> rows = parse(csv);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).toList()).containsExactly(child.json().get("id").asText(), "BulkRelChild",
                "Bulk Rel Parent", "child@example.com");
        assertThat(rows.get(2).toList()).containsExactly(orphan.json().get("id").asText(), "BulkRelOrphan", "", "");
    }

    @Test
    void resultsUseTheJobsDelimiterAndLineEnding() {
        createAccount("{\"Name\":\"Dialect|Pipe\",\"NumberOfEmployees\":12}");
        EmulatorHttp.Reply created = http.post(QUERY, "{\"operation\":\"query\",\"query\":\"SELECT Name, "
                + "NumberOfEmployees FROM Account WHERE Name = 'Dialect|Pipe'\",\"contentType\":\"CSV\","
                + "\"columnDelimiter\":\"PIPE\",\"lineEnding\":\"CRLF\"}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
        assertThat(created.json().get("columnDelimiter").asText()).isEqualTo("PIPE");
        assertThat(created.json().get("lineEnding").asText()).isEqualTo("CRLF");
        String id = created.json().get("id").asText();
        awaitTerminal(QUERY + "/" + id);
        assertThat(allResults(id)).isEqualTo("\"Name\"|\"NumberOfEmployees\"\r\n\"Dialect|Pipe\"|\"12\"\r\n");
    }

    @Test
    void queryAllReturnsDeletedRowsAndQueryDoesNot() {
        String kept = createAccount("{\"Name\":\"Recycled Kept\"}");
        String binned = createAccount("{\"Name\":\"Recycled Binned\"}");
        assertThat(http.delete(V + "/sobjects/Account/" + binned).status()).isEqualTo(204);
        String soql = "SELECT Id, IsDeleted FROM Account WHERE Name LIKE 'Recycled %' ORDER BY Name";

        JsonNode live = runQuery("query", soql);
        assertThat(live.get("operation").asText()).isEqualTo("query");
        List<CSVRecord> liveRows = parse(allResults(live.get("id").asText()));
        assertThat(liveRows.subList(1, liveRows.size())).extracting(r -> r.get(0)).containsExactly(kept);

        JsonNode all = runQuery("queryAll", soql);
        assertThat(all.get("operation").asText()).isEqualTo("queryAll");
        assertThat(all.get("numberRecordsProcessed").asInt()).isEqualTo(2);
        List<CSVRecord> allRows = parse(allResults(all.get("id").asText()));
        assertThat(allRows.subList(1, allRows.size())).extracting(CSVRecord::toList)
                .containsExactly(List.of(binned, "true"), List.of(kept, "false"));
    }

    @Test
    void resultsAreTheRowsAsTheyWereWhenTheJobRan() {
        String first = createAccount("{\"Name\":\"Snapshot One\",\"Industry\":\"Energy\"}");
        JsonNode done = runQuery("query", "SELECT Id, Name, Industry FROM Account WHERE Name LIKE 'Snapshot %'");
        String id = done.get("id").asText();
        String before = allResults(id);
        assertThat(parse(before)).hasSize(2);

        assertThat(http.patch(V + "/sobjects/Account/" + first, "{\"Industry\":\"Banking\"}").status()).isEqualTo(204);
        createAccount("{\"Name\":\"Snapshot Two\"}");
        assertThat(allResults(id)).isEqualTo(before);
        assertThat(before).contains("\"Energy\"").doesNotContain("Banking");

        String rerun = allResults(runQuery("query", "SELECT Id, Name, Industry FROM Account "
                + "WHERE Name LIKE 'Snapshot %'").get("id").asText());
        assertThat(parse(rerun)).hasSize(3);
        assertThat(rerun).contains("\"Banking\"");
    }
}
