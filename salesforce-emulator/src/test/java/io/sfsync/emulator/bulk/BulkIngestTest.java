package io.sfsync.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.cdc.ChangeEvent;
import io.sfsync.emulator.model.SalesforceIds;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bulk API 2.0 ingest jobs over real HTTP: lifecycle, results CSVs, errors, limits and change events. */
class BulkIngestTest {

    static SalesforceEmulator emulator;
    static EmulatorHttp http;
    static final String V = "/services/data/v62.0";
    static final String INGEST = V + "/jobs/ingest";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() {
        emulator = SalesforceEmulator.builder().start();
        http = new EmulatorHttp(emulator.baseUrl(), emulator.accessToken());
    }

    @AfterAll
    static void stop() {
        emulator.stop();
    }

    // ------------------------------------------------------------------ helpers

    static JsonNode createJob(String body) {
        EmulatorHttp.Reply r = http.post(INGEST, body);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    static EmulatorHttp.Reply upload(String jobId, String csv) {
        return http.send("PUT", INGEST + "/" + jobId + "/batches", csv, "text/csv");
    }

    static EmulatorHttp.Reply close(String jobId) {
        return http.patch(INGEST + "/" + jobId, "{\"state\":\"UploadComplete\"}");
    }

    /** Polls Get Job Info until the job reaches a terminal state, for at most 20 seconds. */
    static JsonNode awaitDone(String jobId) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode info = http.get(INGEST + "/" + jobId).json();
            String state = info.get("state").asText();
            if (state.equals("JobComplete") || state.equals("Failed") || state.equals("Aborted")) {
                return info;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return fail("job " + jobId + " did not finish");
    }

    /** Creates, uploads, closes and waits for a job; returns its final JobInfo. */
    static JsonNode runJob(String jobBody, String csv) {
        String id = createJob(jobBody).get("id").asText();
        assertThat(upload(id, csv).status()).isEqualTo(201);
        assertThat(close(id).status()).isEqualTo(200);
        return awaitDone(id);
    }

    static String results(String jobId, String kind) {
        EmulatorHttp.Reply r = http.get(INGEST + "/" + jobId + "/" + kind + "/");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/csv");
        return r.raw().body();
    }

    static List<CSVRecord> parse(String csv) {
        try (CSVParser p = CSVParser.builder().setReader(new StringReader(csv)).setFormat(CSVFormat.RFC4180).get()) {
            return p.getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String firstLine(String csv) {
        return csv.substring(0, csv.indexOf('\n'));
    }

    static JsonNode restGet(String path) {
        return http.get(V + path).json();
    }

    static String createAccount(String json) {
        EmulatorHttp.Reply r = http.post(V + "/sobjects/Account", json);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    static JsonNode error(EmulatorHttp.Reply r) {
        assertThat(r.json()).as(r.raw().body()).isNotNull();
        assertThat(r.json().isArray()).isTrue();
        return r.json().get(0);
    }

    static long apiUsage(EmulatorHttp.Reply r) {
        Matcher m = Pattern.compile("api-usage=(\\d+)/\\d+").matcher(r.header("Sforce-Limit-Info"));
        assertThat(m.matches()).isTrue();
        return Long.parseLong(m.group(1));
    }

    // ------------------------------------------------------------------ tests

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
    void unknownHeaderFieldFailsTheJob() {
        JsonNode done = runJob("{\"object\":\"Account\",\"operation\":\"insert\"}", "Name,Foo__c\nX,1\nY,2\n");
        String jobId = done.get("id").asText();
        assertThat(done.get("state").asText()).isEqualTo("Failed");
        assertThat(done.get("errorMessage").asText()).isEqualTo("InvalidBatch : Field name not found : Foo__c");
        assertThat(done.get("numberRecordsProcessed").asInt()).isZero();
        assertThat(parse(results(jobId, "unprocessedrecords"))).hasSize(3);
        assertThat(parse(results(jobId, "successfulResults"))).hasSize(1);

        JsonNode crlf = runJob("{\"object\":\"Account\",\"operation\":\"insert\"}", "Name\r\nX\r\n");
        assertThat(crlf.get("state").asText()).isEqualTo("Failed");
        assertThat(crlf.get("errorMessage").asText())
                .isEqualTo("ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF");
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
        List<CSVRecord> rows;
        try (CSVParser p = CSVParser.builder().setReader(new StringReader(ok))
                .setFormat(CSVFormat.RFC4180.builder().setDelimiter('|').get()).get()) {
            rows = p.getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(rows.get(1).get(3)).isEqualTo("has | pipe, \"quotes\"\r\nand a line break");
        JsonNode account = restGet("/sobjects/Account/" + rows.get(1).get(0));
        assertThat(account.get("Description").asText()).isEqualTo("has | pipe, \"quotes\"\r\nand a line break");
    }

    @Test
    void abortedJobLeavesEveryRecordUnprocessed() {
        long before = emulator.org().count(emulator.schema().find("Lead").orElseThrow());
        String id = createJob("{\"object\":\"Lead\",\"operation\":\"insert\"}").get("id").asText();
        String csv = "LastName,Company\nA,Acme\nB,Acme\n";
        assertThat(upload(id, csv).status()).isEqualTo(201);
        EmulatorHttp.Reply aborted = http.patch(INGEST + "/" + id, "{\"state\":\"Aborted\"}");
        assertThat(aborted.status()).isEqualTo(200);
        assertThat(aborted.json().get("state").asText()).isEqualTo("Aborted");
        assertThat(http.get(INGEST + "/" + id).json().get("state").asText()).isEqualTo("Aborted");

        String unprocessed = results(id, "unprocessedrecords");
        assertThat(unprocessed).isEqualTo("\"LastName\",\"Company\"\n\"A\",\"Acme\"\n\"B\",\"Acme\"\n");
        assertThat(parse(results(id, "successfulResults"))).hasSize(1);
        assertThat(emulator.org().count(emulator.schema().find("Lead").orElseThrow())).isEqualTo(before);

        EmulatorHttp.Reply closeAborted = close(id);
        assertThat(closeAborted.status()).isEqualTo(400);
        assertThat(error(closeAborted).get("errorCode").asText()).isEqualTo("INVALIDJOBSTATE");
        assertThat(error(closeAborted).get("message").asText()).isEqualTo("Closing already Aborted Job not allowed");
        EmulatorHttp.Reply abortAgain = http.patch(INGEST + "/" + id, "{\"state\":\"Aborted\"}");
        assertThat(error(abortAgain).get("message").asText()).isEqualTo("Aborting already Aborted Job not allowed");
    }

    @Test
    void abortWhileInProgressStopsAfterTheCurrentChunk() throws Exception {
        StringBuilder csv = new StringBuilder("Name\n");
        for (int i = 0; i < 250; i++) {
            csv.append("Aborted midway ").append(i).append('\n');
        }
        String id = createJob("{\"object\":\"Account\",\"operation\":\"insert\"}").get("id").asText();
        assertThat(upload(id, csv.toString()).status()).isEqualTo(201);

        // Hold the org's write lock so the job stops at its first chunk, then abort it while it is InProgress.
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread blocker = new Thread(() -> emulator.org().write(new io.sfsync.emulator.data.WriteContext(
                SalesforceEmulator.ADMIN_USER_ID, io.sfsync.emulator.data.ChangeOrigin.UI), tx -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        blocker.start();
        assertThat(holding.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(close(id).status()).isEqualTo(200);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!http.get(INGEST + "/" + id).json().get("state").asText().equals("InProgress")) {
                assertThat(System.nanoTime()).as("job never started").isLessThan(deadline);
                Thread.sleep(5);
            }
            EmulatorHttp.Reply aborted = http.patch(INGEST + "/" + id, "{\"state\":\"Aborted\"}");
            assertThat(aborted.status()).isEqualTo(200);
            assertThat(aborted.json().get("state").asText()).isEqualTo("Aborted");
        } finally {
            release.countDown();
            blocker.join(10_000);
        }
        // Jobs run one at a time in order: once a later job is done, the aborted one has stopped.
        runJob("{\"object\":\"Account\",\"operation\":\"insert\"}", "Name\nAfter the abort\n");
        JsonNode info = http.get(INGEST + "/" + id).json();
        assertThat(info.get("state").asText()).isEqualTo("Aborted");
        assertThat(info.get("numberRecordsProcessed").asInt()).isEqualTo(200);
        assertThat(parse(results(id, "successfulResults"))).hasSize(201);
        List<CSVRecord> unprocessed = parse(results(id, "unprocessedrecords"));
        assertThat(unprocessed).hasSize(51);
        assertThat(unprocessed.get(1).get(0)).isEqualTo("Aborted midway 200");
    }

    @Test
    void invalidStateTransitionsAreRejected() {
        String id = createJob("{\"object\":\"Account\",\"operation\":\"insert\"}").get("id").asText();
        EmulatorHttp.Reply deleteOpen = http.delete(INGEST + "/" + id);
        assertThat(deleteOpen.status()).isEqualTo(400);
        assertThat(error(deleteOpen).get("errorCode").asText()).isEqualTo("INVALIDJOBSTATE");

        assertThat(upload(id, "Name\nTransitions\n").status()).isEqualTo(201);
        EmulatorHttp.Reply second = upload(id, "Name\nAgain\n");
        assertThat(second.status()).isEqualTo(400);
        assertThat(error(second).get("errorCode").asText()).isEqualTo("BULK_API_ERROR");
        assertThat(error(second).get("message").asText()).isEqualTo("Found multipe contents for job: <"
                + id.substring(0, 15) + ">, please 'Close' / 'Abort' / 'Delete' the current Job then create a new "
                + "Job and make sure you only do 'PUT' once on a given Job.");

        EmulatorHttp.Reply bogus = http.patch(INGEST + "/" + id, "{\"state\":\"Finished\"}");
        assertThat(bogus.status()).isEqualTo(400);
        assertThat(error(bogus).get("errorCode").asText()).isEqualTo("API_ERROR");
        assertThat(error(bogus).get("message").asText()).isEqualTo("Invalid value: 'Finished' supplied for property: 'state'");
        EmulatorHttp.Reply toComplete = http.patch(INGEST + "/" + id, "{\"state\":\"JobComplete\"}");
        assertThat(error(toComplete).get("errorCode").asText()).isEqualTo("INVALIDJOBSTATE");

        assertThat(close(id).status()).isEqualTo(200);
        assertThat(awaitDone(id).get("state").asText()).isEqualTo("JobComplete");
        EmulatorHttp.Reply abortDone = http.patch(INGEST + "/" + id, "{\"state\":\"Aborted\"}");
        assertThat(abortDone.status()).isEqualTo(400);
        assertThat(error(abortDone).get("errorCode").asText()).isEqualTo("INVALIDJOBSTATE");
        assertThat(error(abortDone).get("message").asText()).isEqualTo("Aborting already Completed Job not allowed");
        EmulatorHttp.Reply closeDone = close(id);
        assertThat(error(closeDone).get("message").asText()).isEqualTo("Closing already Completed Job not allowed");
        assertThat(upload(id, "Name\nLate\n").status()).isEqualTo(400);
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

    @Test
    void everyHttpRequestCountsAsOneApiCall() {
        EmulatorHttp.Reply created = http.post(INGEST, "{\"object\":\"Account\",\"operation\":\"insert\"}");
        long used = apiUsage(created);
        String id = created.json().get("id").asText();
        EmulatorHttp.Reply up = upload(id, "Name\nCounted\n");
        assertThat(apiUsage(up)).isEqualTo(used + 1);
        EmulatorHttp.Reply closed = close(id);
        assertThat(apiUsage(closed)).isEqualTo(used + 2);
        awaitDone(id);
        EmulatorHttp.Reply info = http.get(INGEST + "/" + id);
        long afterPolling = apiUsage(info);
        assertThat(afterPolling).isGreaterThan(used + 2);
        EmulatorHttp.Reply ok = http.get(INGEST + "/" + id + "/successfulResults/");
        assertThat(apiUsage(ok)).isEqualTo(afterPolling + 1);
        EmulatorHttp.Reply failed = http.get(INGEST + "/" + id + "/failedResults/");
        assertThat(apiUsage(failed)).isEqualTo(afterPolling + 2);
        assertThat(emulator.limits().used()).isEqualTo(afterPolling + 2);
    }

    @Test
    void changesArriveAsCdcEventsFromBulkApiOneEventPerChunk() {
        EmulatorHttp client = new EmulatorHttp(emulator.baseUrl(), emulator.accessToken()).withClientId("bulk-it");
        StringBuilder insert = new StringBuilder("Name,External_Id__c\n");
        for (int i = 0; i < 250; i++) {
            insert.append("Chunked ").append(i).append(",bulk-chunk-").append(i).append('\n');
        }
        long statsCalls = emulator.org().writeStats().calls();
        long statsRecords = emulator.org().writeStats().records();
        String insertJob = client.post(INGEST, "{\"object\":\"Account\",\"operation\":\"insert\"}").json().get("id").asText();
        assertThat(client.send("PUT", INGEST + "/" + insertJob + "/batches", insert.toString(), "text/csv").status())
                .isEqualTo(201);
        assertThat(client.patch(INGEST + "/" + insertJob, "{\"state\":\"UploadComplete\"}").status()).isEqualTo(200);
        JsonNode inserted = awaitDone(insertJob);
        assertThat(inserted.get("numberRecordsProcessed").asInt()).isEqualTo(250);
        assertThat(inserted.get("numberRecordsFailed").asInt()).isZero();
        assertThat(emulator.org().writeStats().calls()).isEqualTo(statsCalls + 1);
        assertThat(emulator.org().writeStats().records()).isEqualTo(statsRecords + 250);

        List<CSVRecord> ok = parse(results(insertJob, "successfulResults"));
        StringBuilder update = new StringBuilder("Id,Industry\n");
        for (int i = 1; i < ok.size(); i++) {
            update.append(ok.get(i).get(0)).append(",Chemicals\n");
        }
        long mark = emulator.events().lastReplayId();
        String updateJob = client.post(INGEST, "{\"object\":\"Account\",\"operation\":\"update\"}").json().get("id").asText();
        client.send("PUT", INGEST + "/" + updateJob + "/batches", update.toString(), "text/csv");
        client.patch(INGEST + "/" + updateJob, "{\"state\":\"UploadComplete\"}");
        assertThat(awaitDone(updateJob).get("numberRecordsProcessed").asInt()).isEqualTo(250);

        List<ChangeEvent> events = emulator.events().after(mark, Set.of("Account"), 1000);
        assertThat(events).hasSize(2);
        assertThat(events).extracting(ChangeEvent::changeType).containsOnly("UPDATE");
        assertThat(events.get(0).recordIds()).hasSize(200);
        assertThat(events.get(1).recordIds()).hasSize(50);
        for (ChangeEvent e : events) {
            @SuppressWarnings("unchecked")
            Map<String, Object> header = (Map<String, Object>) ((Map<String, Object>) e.data().get("payload"))
                    .get("ChangeEventHeader");
            assertThat((String) header.get("changeOrigin")).startsWith("com/salesforce/api/bulkapi/")
                    .isEqualTo("com/salesforce/api/bulkapi/62.0;client=bulk-it");
            assertThat(header.get("commitUser")).isEqualTo(SalesforceEmulator.INTEGRATION_USER_ID);
        }
    }

    @Test
    void uploadsOverTheSizeCapAreRejected() {
        BulkIngestResource small = new BulkIngestResource(emulator.org(), 16);
        io.sfsync.emulator.http.Router router = new io.sfsync.emulator.http.Router();
        small.register(router);
        try {
            io.sfsync.emulator.http.ApiRequest create = new io.sfsync.emulator.http.ApiRequest("POST", "62.0",
                    "/jobs/ingest", Map.of(), Map.of(), "{\"object\":\"Account\",\"operation\":\"insert\"}",
                    SalesforceEmulator.INTEGRATION_USER_ID, null);
            io.sfsync.emulator.http.ApiResponse job = router.find("POST", "/jobs/ingest").run(create);
            @SuppressWarnings("unchecked")
            String id = (String) ((Map<String, Object>) job.json()).get("id");
            String path = "/jobs/ingest/" + id + "/batches";
            io.sfsync.emulator.http.ApiRequest big = new io.sfsync.emulator.http.ApiRequest("PUT", "62.0", path,
                    Map.of(), Map.of("Content-Type", "text/csv"), "Name\nThis is too large\n",
                    SalesforceEmulator.INTEGRATION_USER_ID, null);
            try {
                router.find("PUT", path).run(big);
                fail("an upload over the cap must be rejected");
            } catch (io.sfsync.emulator.data.ApiException e) {
                assertThat(e.httpStatus()).isEqualTo(400);
                assertThat(e.errors().get(0).code()).isEqualTo("BULK_API_ERROR");
            }
            io.sfsync.emulator.http.ApiRequest fits = new io.sfsync.emulator.http.ApiRequest("PUT", "62.0", path,
                    Map.of(), Map.of("Content-Type", "text/csv"), "Name\nFits\n",
                    SalesforceEmulator.INTEGRATION_USER_ID, null);
            assertThat(router.find("PUT", path).run(fits).status()).isEqualTo(201);
        } finally {
            small.close();
        }
    }
}
