package io.sfsync.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.data.ApiException;
import io.sfsync.emulator.http.ApiRequest;
import io.sfsync.emulator.http.ApiResponse;
import io.sfsync.emulator.http.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Jobs that have not run yet. The resource runs on an executor the test holds, so a job stays UploadComplete
 * until the test lets it run: no timing involved.
 */
class BulkQueryQueueTest extends BulkApiTestBase {

    private final Deque<Runnable> queued = new ArrayDeque<>();
    private final Executor held = queued::add;
    private BulkQueryResource resource;
    private Router router;

    @BeforeEach
    void route() {
        resource = new BulkQueryResource(emulator.org(), held);
        router = new Router();
        resource.register(router);
    }

    @AfterEach
    void closeResource() {
        resource.close();
    }

    @Test
    void resultsAreRefusedUntilTheJobIsComplete() {
        createAccount("{\"Name\":\"Queued Account\"}");
        String id = createJob("SELECT Id, Name FROM Account WHERE Name = 'Queued Account'");
        assertThat(info(id).get("state")).isEqualTo("UploadComplete");
        assertThat(info(id).get("numberRecordsProcessed")).isEqualTo(0);

        ApiException early = catchThrowableOfType(ApiException.class, () -> call("GET", "/jobs/query/" + id + "/results"));
        assertThat(early.httpStatus()).isEqualTo(400);
        assertThat(early.errors().get(0).code()).isEqualTo("INVALIDJOBSTATE");
        assertThat(early.errors().get(0).message()).isEqualTo("Job is not in JobComplete state: UploadComplete");

        runQueued();
        assertThat(info(id).get("state")).isEqualTo("JobComplete");
        assertThat(info(id).get("numberRecordsProcessed")).isEqualTo(1);
        ApiResponse results = call("GET", "/jobs/query/" + id + "/results");
        assertThat(results.status()).isEqualTo(200);
        assertThat(results.raw()).startsWith("\"Id\",\"Name\"\n\"001").endsWith(",\"Queued Account\"\n");
        assertThat(results.headers()).containsEntry("Sforce-Locator", "null").containsEntry("Sforce-NumberOfRecords", "1");
    }

    @Test
    void aQueuedJobCanBeAbortedAndNeverRuns() {
        String id = createJob("SELECT Id FROM Account");
        ApiResponse aborted = call("PATCH", "/jobs/query/" + id, "{\"state\":\"Aborted\"}");
        assertThat(aborted.status()).isEqualTo(200);
        assertThat(json(aborted).get("state")).isEqualTo("Aborted");
        runQueued();
        assertThat(info(id).get("state")).isEqualTo("Aborted");
        assertThat(info(id).get("numberRecordsProcessed")).isEqualTo(0);
        ApiException results = catchThrowableOfType(ApiException.class, () -> call("GET", "/jobs/query/" + id + "/results"));
        assertThat(results.errors().get(0).message()).isEqualTo("Job is not in JobComplete state: Aborted");
        ApiException again = catchThrowableOfType(ApiException.class,
                () -> call("PATCH", "/jobs/query/" + id, "{\"state\":\"Aborted\"}"));
        assertThat(again.errors().get(0).message()).isEqualTo("Aborting already Aborted Job not allowed");
        assertThat(call("DELETE", "/jobs/query/" + id).status()).isEqualTo(204);
    }

    @Test
    void aQueuedJobCanBeDeletedAndNeverRuns() {
        String id = createJob("SELECT Id FROM Account");
        assertThat(call("DELETE", "/jobs/query/" + id).status()).isEqualTo(204);
        runQueued();
        ApiException gone = catchThrowableOfType(ApiException.class, () -> call("GET", "/jobs/query/" + id));
        assertThat(gone.httpStatus()).isEqualTo(404);
        assertThat(gone.errors().get(0).code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void onlyAbortIsAStateAClientCanSet() {
        String id = createJob("SELECT Id FROM Account");
        ApiException close = catchThrowableOfType(ApiException.class,
                () -> call("PATCH", "/jobs/query/" + id, "{\"state\":\"UploadComplete\"}"));
        assertThat(close.errors().get(0).code()).isEqualTo("INVALIDJOBSTATE");
        assertThat(info(id).get("state")).isEqualTo("UploadComplete");
        runQueued();
        assertThat(info(id).get("state")).isEqualTo("JobComplete");
    }

    private void runQueued() {
        while (!queued.isEmpty()) {
            queued.poll().run();
        }
    }

    private String createJob(String soql) {
        ApiResponse r = call("POST", "/jobs/query", BulkQueryTestBase.jobBody("query", soql));
        assertThat(r.status()).isEqualTo(200);
        return (String) json(r).get("id");
    }

    private Map<String, Object> info(String id) {
        return json(call("GET", "/jobs/query/" + id));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(ApiResponse r) {
        return (Map<String, Object>) r.json();
    }

    private ApiResponse call(String method, String path) {
        return call(method, path, null);
    }

    private ApiResponse call(String method, String path, String body) {
        ApiRequest req = new ApiRequest(method, "62.0", path, Map.<String, List<String>>of(), Map.of(), body,
                SalesforceEmulator.INTEGRATION_USER_ID, null);
        return router.find(method, path).run(req);
    }
}
