package io.sfsync.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.data.ChangeOrigin;
import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.data.WriteContext;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Job states: failed jobs, aborts (before and during processing), rejected transitions and uploads. */
class BulkIngestStatesTest extends BulkIngestTestBase {

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
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread blocker = new Thread(() -> emulator.org().write(new WriteContext(
                SalesforceEmulator.ADMIN_USER_ID, ChangeOrigin.UI), tx -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        blocker.start();
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(close(id).status()).isEqualTo(200);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!http.get(INGEST + "/" + id).json().get("state").asText().equals("InProgress")
                    || !ingestThreadWaitsToWrite()) {
                assertThat(System.nanoTime()).as("job never reached its first chunk").isLessThan(deadline);
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

    /** Whether the job thread is parked in {@code Org.write}, waiting for the lock the test holds. */
    private static boolean ingestThreadWaitsToWrite() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().equals("sf-emulator-bulk-ingest")) {
                for (StackTraceElement frame : e.getValue()) {
                    if (frame.getClassName().equals(Org.class.getName()) && frame.getMethodName().equals("write")) {
                        return e.getKey().getState() == Thread.State.WAITING;
                    }
                }
            }
        }
        return false;
    }
}
