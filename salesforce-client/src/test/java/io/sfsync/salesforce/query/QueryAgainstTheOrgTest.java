package io.sfsync.salesforce.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.error.ErrorCategory;
import io.sfsync.salesforce.error.SalesforceException;
import io.sfsync.salesforce.write.SObjectRecord;
import io.sfsync.salesforce.write.SaveOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Query and queryAll paging against the org's SOQL endpoint. */
class QueryAgainstTheOrgTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension();

    static SalesforceClient sf;
    static String run;
    static List<String> ids = new ArrayList<>();

    @BeforeAll
    static void seed() {
        sf = TestSupport.client(SF.emulator()).build();
        run = "Paged-" + UUID.randomUUID().toString().substring(0, 8);
        List<SObjectRecord> records = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            records.add(SObjectRecord.of("Account", Map.of("Name", run + "-" + i)));
        }
        sf.collections().create(records).stream().map(SaveOutcome::id).forEach(ids::add);
    }

    @AfterAll
    static void close() {
        sf.close();
    }

    @Test
    void pagesAreFetchedLazilyAsRowsAreRead() {
        QueryCursor cursor = sf.query().query("SELECT Id, Name FROM Account WHERE Name LIKE '" + run + "%'", 200);
        assertThat(cursor.totalSize()).isEqualTo(450);
        assertThat(cursor.pagesFetched()).isEqualTo(1);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(cursor.next().path("Id").asText());
        }
        assertThat(cursor.pagesFetched()).isEqualTo(1);
        assertThat(cursor.hasNext()).isTrue();
        assertThat(cursor.pagesFetched()).isEqualTo(2);
        cursor.forEachRemaining(row -> seen.add(row.path("Id").asText()));
        assertThat(cursor.pagesFetched()).isEqualTo(3);
        assertThat(seen).hasSize(450).containsAll(ids);
    }

    @Test
    void streamReadsEveryRowWithAttributes() {
        List<ObjectNode> rows = sf.query().query("SELECT Id, Name FROM Account WHERE Name LIKE '" + run + "%'")
                .stream().toList();
        assertThat(rows).hasSize(450);
        assertThat(rows.get(0).path("attributes").path("type").asText()).isEqualTo("Account");
        assertThat(rows.get(0).path("Name").asText()).startsWith(run);
    }

    @Test
    void queryAllIncludesDeletedRows() {
        String prefix = "Deleted-" + UUID.randomUUID().toString().substring(0, 8);
        List<SaveOutcome> created = sf.collections().create(List.of(
                SObjectRecord.of("Account", Map.of("Name", prefix + "-a")),
                SObjectRecord.of("Account", Map.of("Name", prefix + "-b"))));
        sf.collections().delete(List.of(created.get(0).id()));
        String soql = "SELECT Id, IsDeleted FROM Account WHERE Name LIKE '" + prefix + "%'";
        assertThat(sf.query().query(soql).stream().count()).isEqualTo(1);
        List<ObjectNode> all = sf.query().queryAll(soql).stream().toList();
        assertThat(all).hasSize(2);
        assertThat(all).filteredOn(r -> r.path("IsDeleted").asBoolean()).extracting(r -> r.path("Id").asText())
                .containsExactly(created.get(0).id());
    }

    @Test
    void aMalformedQueryIsFatal() {
        SalesforceException e = catchThrowableOfType(SalesforceException.class,
                () -> sf.query().query("SELEKT nothing"));
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.category()).isEqualTo(ErrorCategory.FATAL);
    }
}
