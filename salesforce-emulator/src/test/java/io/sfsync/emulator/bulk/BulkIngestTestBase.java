package io.sfsync.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;

/** The Bulk API 2.0 ingest calls the ingest tests make over real HTTP. */
abstract class BulkIngestTestBase extends BulkApiTestBase {

    static final String INGEST = V + "/jobs/ingest";

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
        return awaitTerminal(INGEST + "/" + jobId);
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
}
