package io.sfsync.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.cdc.ChangeEvent;
import io.sfsync.emulator.data.ApiException;
import io.sfsync.emulator.http.ApiRequest;
import io.sfsync.emulator.http.ApiResponse;
import io.sfsync.emulator.http.Router;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What ingest jobs cost and emit: one API call per request, write stats, change events, the upload cap. */
class BulkIngestAccountingTest extends BulkIngestTestBase {

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
        Router router = new Router();
        small.register(router);
        try {
            ApiRequest create = new ApiRequest("POST", "62.0",
                    "/jobs/ingest", Map.of(), Map.of(), "{\"object\":\"Account\",\"operation\":\"insert\"}",
                    SalesforceEmulator.INTEGRATION_USER_ID, null);
            ApiResponse job = router.find("POST", "/jobs/ingest").run(create);
            @SuppressWarnings("unchecked")
            String id = (String) ((Map<String, Object>) job.json()).get("id");
            String path = "/jobs/ingest/" + id + "/batches";
            ApiRequest big = new ApiRequest("PUT", "62.0", path,
                    Map.of(), Map.of("Content-Type", "text/csv"), "Name\nThis is too large\n",
                    SalesforceEmulator.INTEGRATION_USER_ID, null);
            try {
                router.find("PUT", path).run(big);
                fail("an upload over the cap must be rejected");
            } catch (ApiException e) {
                assertThat(e.httpStatus()).isEqualTo(400);
                assertThat(e.errors().get(0).code()).isEqualTo("BULK_API_ERROR");
            }
            ApiRequest fits = new ApiRequest("PUT", "62.0", path,
                    Map.of(), Map.of("Content-Type", "text/csv"), "Name\nFits\n",
                    SalesforceEmulator.INTEGRATION_USER_ID, null);
            assertThat(router.find("PUT", path).run(fits).status()).isEqualTo(201);
        } finally {
            small.close();
        }
    }
}
