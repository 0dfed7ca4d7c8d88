package io.sfsync.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.model.SalesforceIds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** Creating, reading, listing and deleting ingest jobs: JobInfo shape, validation errors, 404s. */
class BulkIngestJobInfoTest extends BulkIngestTestBase {

    @Test
    void createJobAnswersJobInfoShapedLikeSalesforce() {
        JsonNode info = createJob("{\"object\":\"Account\",\"operation\":\"insert\",\"contentType\":\"CSV\","
                + "\"lineEnding\":\"LF\",\"columnDelimiter\":\"COMMA\"}");
        assertThat(info.fieldNames()).toIterable().containsExactly("id", "operation", "object", "createdById",
                "createdDate", "systemModstamp", "state", "concurrencyMode", "contentType", "apiVersion", "jobType",
                "contentUrl", "lineEnding", "columnDelimiter");
        String id = info.get("id").asText();
        assertThat(id).hasSize(18).startsWith("750");
        assertThat(SalesforceIds.normalize(id.substring(0, 15))).isEqualTo(id);
        assertThat(info.get("operation").asText()).isEqualTo("insert");
        assertThat(info.get("object").asText()).isEqualTo("Account");
        assertThat(info.get("createdById").asText()).isEqualTo(SalesforceEmulator.INTEGRATION_USER_ID);
        assertThat(info.get("createdDate").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000\\+0000");
        assertThat(info.get("systemModstamp").asText()).isEqualTo(info.get("createdDate").asText());
        assertThat(info.get("state").asText()).isEqualTo("Open");
        assertThat(info.get("concurrencyMode").asText()).isEqualTo("Parallel");
        assertThat(info.get("contentType").asText()).isEqualTo("CSV");
        assertThat(info.get("apiVersion").isNumber()).isTrue();
        assertThat(info.get("apiVersion").asDouble()).isEqualTo(62.0);
        assertThat(info.get("jobType").asText()).isEqualTo("V2Ingest");
        assertThat(info.get("contentUrl").asText()).isEqualTo("services/data/v62.0/jobs/ingest/" + id + "/batches");
        assertThat(info.get("lineEnding").asText()).isEqualTo("LF");
        assertThat(info.get("columnDelimiter").asText()).isEqualTo("COMMA");

        // Defaults, and externalIdFieldName right after state for upsert jobs.
        JsonNode upsert = createJob("{\"object\":\"contact\",\"operation\":\"upsert\",\"externalIdFieldName\":\"External_Id__c\"}");
        assertThat(upsert.fieldNames()).toIterable().containsSequence("state", "externalIdFieldName", "concurrencyMode");
        assertThat(upsert.get("object").asText()).isEqualTo("Contact");
        assertThat(upsert.get("lineEnding").asText()).isEqualTo("LF");
        assertThat(upsert.get("columnDelimiter").asText()).isEqualTo("COMMA");

        JsonNode got = http.get(INGEST + "/" + id).json();
        assertThat(got.fieldNames()).toIterable().containsSequence("columnDelimiter", "numberRecordsProcessed",
                "numberRecordsFailed", "retries", "totalProcessingTime", "apiActiveProcessingTime", "apexProcessingTime");
        assertThat(got.has("errorMessage")).isFalse();
    }

    @Test
    void createJobValidatesLikeSalesforce() {
        EmulatorHttp.Reply unknown = http.post(INGEST, "{\"object\":\"Nope__c\",\"operation\":\"insert\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(error(unknown).get("errorCode").asText()).isEqualTo("INVALIDJOB");
        assertThat(error(unknown).get("message").asText()).isEqualTo("InvalidJob : Unable to find object: Nope__c");

        EmulatorHttp.Reply noKey = http.post(INGEST, "{\"object\":\"Contact\",\"operation\":\"upsert\"}");
        assertThat(error(noKey).get("errorCode").asText()).isEqualTo("INVALIDJOB");
        assertThat(error(noKey).get("message").asText())
                .isEqualTo("InvalidJob : External ID was blank for Contact. An External ID must be specified for upsert.");

        EmulatorHttp.Reply notExternal = http.post(INGEST,
                "{\"object\":\"Account\",\"operation\":\"upsert\",\"externalIdFieldName\":\"Website\"}");
        assertThat(error(notExternal).get("message").asText()).isEqualTo("InvalidJob : Field name provided, website "
                + "does not match an External ID, Salesforce Id, or indexed field for Account");

        EmulatorHttp.Reply badOperation = http.post(INGEST, "{\"object\":\"Account\",\"operation\":\"merge\"}");
        assertThat(badOperation.status()).isEqualTo(400);
        assertThat(error(badOperation).get("errorCode").asText()).isEqualTo("API_ERROR");
        assertThat(error(badOperation).get("message").asText())
                .isEqualTo("Invalid value: 'merge' supplied for property: 'operation'");

        EmulatorHttp.Reply badDelimiter = http.post(INGEST,
                "{\"object\":\"Account\",\"operation\":\"insert\",\"columnDelimiter\":\"COLON\"}");
        assertThat(error(badDelimiter).get("message").asText())
                .isEqualTo("Invalid value: 'COLON' supplied for property: 'columnDelimiter'");

        EmulatorHttp.Reply badJson = http.post(INGEST, "{\"object\":");
        assertThat(error(badJson).get("errorCode").asText()).isEqualTo("JSON_PARSER_ERROR");
    }

    @Test
    void unknownAndDeletedJobsAreNotFound() throws Exception {
        JsonNode expected = MAPPER.readTree(
                "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]");
        String unknown = SalesforceIds.newId("750", "5e", 888_888);
        EmulatorHttp.Reply missing = http.get(INGEST + "/" + unknown);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json()).isEqualTo(expected);
        assertThat(upload(unknown, "Name\nx\n").status()).isEqualTo(404);
        assertThat(http.get(INGEST + "/not-an-id/failedResults/").status()).isEqualTo(404);

        JsonNode done = runJob("{\"object\":\"Account\",\"operation\":\"insert\"}", "Name\nTo Delete Job\n");
        String id = done.get("id").asText();
        EmulatorHttp.Reply listed = http.get(INGEST);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().fieldNames()).toIterable().containsExactly("done", "records", "nextRecordsUrl");
        assertThat(listed.json().get("done").asBoolean()).isTrue();
        assertThat(listed.json().get("nextRecordsUrl").isNull()).isTrue();
        List<String> ids = new ArrayList<>();
        listed.json().get("records").forEach(r -> ids.add(r.get("id").asText()));
        assertThat(ids).contains(id);

        EmulatorHttp.Reply deleted = http.delete(INGEST + "/" + id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.raw().body()).isEmpty();
        EmulatorHttp.Reply after = http.get(INGEST + "/" + id);
        assertThat(after.status()).isEqualTo(404);
        assertThat(after.json()).isEqualTo(expected);
        assertThat(http.get(INGEST + "/" + id + "/successfulResults/").status()).isEqualTo(404);
        assertThat(http.delete(INGEST + "/" + id).status()).isEqualTo(404);
        List<String> idsAfter = new ArrayList<>();
        http.get(INGEST).json().get("records").forEach(r -> idsAfter.add(r.get("id").asText()));
        assertThat(idsAfter).doesNotContain(id);
    }
}
