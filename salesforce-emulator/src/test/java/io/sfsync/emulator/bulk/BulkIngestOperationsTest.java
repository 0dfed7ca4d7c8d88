package io.sfsync.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.model.SalesforceIds;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Ingest operations end to end: insert, update, upsert, delete, relationship columns, CSV dialects. */
class BulkIngestOperationsTest extends BulkIngestTestBase {

    @Test
    void insertJobRunsToCompletionWithPartialFailures() {
        String csv = "Name,Industry,NumberOfEmployees\n"
                + "Bulk Alpha,Energy,10\n"
                + ",Banking,20\n"
                + "\"Bulk, Gamma\",,30\n";
        String id = createJob("{\"object\":\"Account\",\"operation\":\"insert\"}").get("id").asText();
        EmulatorHttp.Reply up = upload(id, csv);
        assertThat(up.status()).isEqualTo(201);
        assertThat(up.raw().body()).isEmpty();
        EmulatorHttp.Reply closed = close(id);
        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.json().get("state").asText()).isEqualTo("UploadComplete");
        assertThat(closed.json().get("id").asText()).isEqualTo(id);

        JsonNode done = awaitDone(id);
        assertThat(done.get("state").asText()).isEqualTo("JobComplete");
        assertThat(done.get("numberRecordsProcessed").asInt()).isEqualTo(3);
        assertThat(done.get("numberRecordsFailed").asInt()).isEqualTo(1);
        assertThat(done.get("retries").asInt()).isZero();

        String ok = results(id, "successfulResults");
        assertThat(firstLine(ok)).isEqualTo("\"sf__Id\",\"sf__Created\",\"Name\",\"Industry\",\"NumberOfEmployees\"");
        List<CSVRecord> okRows = parse(ok);
        assertThat(okRows).hasSize(3);
        assertThat(okRows.get(1).get(1)).isEqualTo("true");
        assertThat(okRows.get(1).get(2)).isEqualTo("Bulk Alpha");
        assertThat(okRows.get(2).get(2)).isEqualTo("Bulk, Gamma");
        String alphaId = okRows.get(1).get(0);
        assertThat(alphaId).hasSize(18).startsWith("001");
        JsonNode alpha = restGet("/sobjects/Account/" + alphaId);
        assertThat(alpha.get("Name").asText()).isEqualTo("Bulk Alpha");
        assertThat(alpha.get("Industry").asText()).isEqualTo("Energy");
        assertThat(alpha.get("NumberOfEmployees").asInt()).isEqualTo(10);
        JsonNode gamma = restGet("/sobjects/Account/" + okRows.get(2).get(0));
        assertThat(gamma.get("Industry").isNull()).isTrue();

        String failed = results(id, "failedResults");
        assertThat(firstLine(failed)).isEqualTo("\"sf__Id\",\"sf__Error\",\"Name\",\"Industry\",\"NumberOfEmployees\"");
        List<CSVRecord> failedRows = parse(failed);
        assertThat(failedRows).hasSize(2);
        assertThat(failedRows.get(1).toList()).containsExactly("",
                "REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --", "", "Banking", "20");

        String unprocessed = results(id, "unprocessedrecords");
        assertThat(parse(unprocessed)).hasSize(1);
        assertThat(firstLine(unprocessed)).isEqualTo("\"Name\",\"Industry\",\"NumberOfEmployees\"");
    }

    @Test
    void updateJobHonoursNullMarkerAndEmptyCells() {
        String id1 = createAccount("{\"Name\":\"Upd One\",\"Industry\":\"Energy\",\"Phone\":\"111\"}");
        String id2 = createAccount("{\"Name\":\"Upd Two\",\"Industry\":\"Banking\",\"Phone\":\"222\"}");
        String missing = SalesforceIds.newId("001", "5e", 999_999);
        String csv = "Id,Industry,Phone\n"
                + id1 + ",#N/A,\n"
                + id2 + ",Retail,333\n"
                + missing + ",Retail,\n"
                + ",Retail,\n";
        JsonNode done = runJob("{\"object\":\"Account\",\"operation\":\"update\"}", csv);
        String jobId = done.get("id").asText();
        assertThat(done.get("state").asText()).isEqualTo("JobComplete");
        assertThat(done.get("numberRecordsProcessed").asInt()).isEqualTo(4);
        assertThat(done.get("numberRecordsFailed").asInt()).isEqualTo(2);

        JsonNode one = restGet("/sobjects/Account/" + id1);
        assertThat(one.get("Industry").isNull()).isTrue();
        assertThat(one.get("Phone").asText()).isEqualTo("111");
        JsonNode two = restGet("/sobjects/Account/" + id2);
        assertThat(two.get("Industry").asText()).isEqualTo("Retail");
        assertThat(two.get("Phone").asText()).isEqualTo("333");

        List<CSVRecord> ok = parse(results(jobId, "successfulResults"));
        assertThat(ok).hasSize(3);
        assertThat(ok.get(1).toList()).containsExactly(id1, "false", id1, "#N/A", "");
        List<CSVRecord> failed = parse(results(jobId, "failedResults"));
        assertThat(failed).hasSize(3);
        assertThat(failed.get(1).get(0)).isEqualTo(missing);
        assertThat(failed.get(1).get(1)).isEqualTo("INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--");
        assertThat(failed.get(2).get(1)).isEqualTo("MISSING_ARGUMENT:Id not specified in an update call:--");
    }

    @Test
    void upsertJobReportsCreatedAndUpdatedRows() {
        EmulatorHttp.Reply existing = http.patch(V + "/sobjects/Contact/External_Id__c/bulk-c-1",
                "{\"LastName\":\"Before\"}");
        assertThat(existing.status()).isEqualTo(201);
        String existingId = existing.json().get("id").asText();
        String csv = "External_Id__c,LastName,FirstName\n"
                + "bulk-c-1,After,Ada\n"
                + "bulk-c-2,New,Grace\n"
                + ",Nobody,\n";
        JsonNode done = runJob("{\"object\":\"Contact\",\"operation\":\"upsert\",\"externalIdFieldName\":\"External_Id__c\"}",
                csv);
        String jobId = done.get("id").asText();
        assertThat(done.get("state").asText()).isEqualTo("JobComplete");
        assertThat(done.get("externalIdFieldName").asText()).isEqualTo("External_Id__c");
        assertThat(done.get("numberRecordsFailed").asInt()).isEqualTo(1);

        List<CSVRecord> ok = parse(results(jobId, "successfulResults"));
        assertThat(ok).hasSize(3);
        assertThat(ok.get(1).toList()).containsExactly(existingId, "false", "bulk-c-1", "After", "Ada");
        assertThat(ok.get(2).get(1)).isEqualTo("true");
        assertThat(ok.get(2).get(0)).startsWith("003").isNotEqualTo(existingId);
        assertThat(restGet("/sobjects/Contact/" + existingId).get("LastName").asText()).isEqualTo("After");
        assertThat(restGet("/sobjects/Contact/" + ok.get(2).get(0)).get("FirstName").asText()).isEqualTo("Grace");

        List<CSVRecord> failed = parse(results(jobId, "failedResults"));
        assertThat(failed.get(1).get(1)).isEqualTo("MISSING_ARGUMENT:External_Id__c not specified:External_Id__c --");
    }

    @Test
    void relationshipColumnResolvesParentByExternalId() {
        String accountId = createAccount("{\"Name\":\"Parent Co\",\"External_Id__c\":\"bulk-acct-9\"}");
        String csv = "LastName,Account.External_Id__c\n"
                + "Child,bulk-acct-9\n"
                + "Orphan,no-such-account\n";
        JsonNode done = runJob("{\"object\":\"Contact\",\"operation\":\"insert\"}", csv);
        String jobId = done.get("id").asText();
        assertThat(done.get("state").asText()).isEqualTo("JobComplete");
        List<CSVRecord> ok = parse(results(jobId, "successfulResults"));
        assertThat(ok).hasSize(2);
        assertThat(ok.get(0).toList()).containsExactly("sf__Id", "sf__Created", "LastName", "Account.External_Id__c");
        JsonNode child = restGet("/sobjects/Contact/" + ok.get(1).get(0));
        assertThat(child.get("AccountId").asText()).isEqualTo(accountId);
        List<CSVRecord> failed = parse(results(jobId, "failedResults"));
        assertThat(failed).hasSize(2);
        assertThat(failed.get(1).get(1)).isEqualTo("INVALID_FIELD:Foreign key external ID: no-such-account not found "
                + "for field External_Id__c in entity Account:--");
    }

    @Test
    void deleteJobDeletesRecords() {
        String a = createAccount("{\"Name\":\"Del A\"}");
        String b = createAccount("{\"Name\":\"Del B\"}");
        JsonNode done = runJob("{\"object\":\"Account\",\"operation\":\"delete\"}", "Id\n" + a + "\n" + b + "\n" + a + "\n");
        String jobId = done.get("id").asText();
        assertThat(done.get("state").asText()).isEqualTo("JobComplete");
        assertThat(done.get("numberRecordsProcessed").asInt()).isEqualTo(3);
        assertThat(done.get("numberRecordsFailed").asInt()).isEqualTo(1);
        assertThat(http.get(V + "/sobjects/Account/" + a).status()).isEqualTo(404);
        assertThat(http.get(V + "/sobjects/Account/" + b).status()).isEqualTo(404);
        List<CSVRecord> ok = parse(results(jobId, "successfulResults"));
        assertThat(ok.get(1).toList()).containsExactly(a, "false", a);
        List<CSVRecord> failed = parse(results(jobId, "failedResults"));
        assertThat(failed.get(1).toList()).containsExactly(a, "ENTITY_IS_DELETED:entity is deleted:--", a);
    }

    @Test
    void hardDeleteJobRemovesRecordsForGood() {
        String a = createAccount("{\"Name\":\"Hard A\"}");
        JsonNode done = runJob("{\"object\":\"Account\",\"operation\":\"hardDelete\"}", "Id\n" + a + "\n");
        assertThat(done.get("state").asText()).isEqualTo("JobComplete");
        assertThat(done.get("operation").asText()).isEqualTo("hardDelete");
        assertThat(done.get("numberRecordsFailed").asInt()).isZero();
        assertThat(emulator.org().byId(a)).isEmpty();
        assertThat(http.get(V + "/sobjects/Account/" + a).status()).isEqualTo(404);
    }

    @Test
    void delimiterLineEndingAndQuotingFollowTheJob() {
        String csv = "Name|Description\r\n"
                + "Pipe Co|\"has | pipe, \"\"quotes\"\"\r\nand a line break\"\r\n";
        JsonNode done = runJob("{\"object\":\"Account\",\"operation\":\"insert\",\"columnDelimiter\":\"PIPE\","
                + "\"lineEnding\":\"CRLF\"}", csv);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("JobComplete");
        assertThat(done.get("lineEnding").asText()).isEqualTo("CRLF");
        String ok = results(done.get("id").asText(), "successfulResults");
        assertThat(ok).startsWith("\"sf__Id\"|\"sf__Created\"|\"Name\"|\"Description\"\r\n");
        List<CSVRecord> rows = parse(ok, '|');
        assertThat(rows.get(1).get(3)).isEqualTo("has | pipe, \"quotes\"\r\nand a line break");
        JsonNode account = restGet("/sobjects/Account/" + rows.get(1).get(0));
        assertThat(account.get("Description").asText()).isEqualTo("has | pipe, \"quotes\"\r\nand a line break");
    }
}
