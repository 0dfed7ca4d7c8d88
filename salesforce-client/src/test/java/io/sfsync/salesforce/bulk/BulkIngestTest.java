package io.sfsync.salesforce.bulk;

import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.error.ErrorCategory;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.error.RetriableSalesforceException;
import io.sfsync.salesforce.http.RestRequest;
import io.sfsync.salesforce.metrics.CallKind;
import io.sfsync.salesforce.write.RecordError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bulk API 2.0 ingest jobs against the emulator over real HTTP. */
class BulkIngestTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension(b -> b.dailyApiRequests(1_000_000));

    static SalesforceClient sf;

    @BeforeAll
    static void connect() {
        sf = BulkTestSupport.client(SF.emulator(), BulkTestSupport.FAST);
    }

    @AfterAll
    static void close() {
        sf.close();
    }

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static StoredRecord stored(String id) {
        return SF.emulator().org().byId(id).orElseThrow();
    }

    private static long countWithPrefix(String field, String prefix) {
        return SF.emulator().org().records(BulkTestSupport.type(SF.emulator(), "Account"), false)
                .filter(r -> r.get(field) instanceof String s && s.startsWith(prefix)).count();
    }

    @Test
    void upsertOfAThousandRecordsGivesOutcomesInInputOrderWithExactErrors() {
        String run = run();
        List<Map<String, Object>> existing = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            existing.add(Map.of("External_Id__c", run + "-" + i, "Name", "Before " + i));
        }
        BulkIngestResult seeded = sf.bulk().upsert("Account", "External_Id__c", existing);
        assertThat(seeded.succeeded()).isEqualTo(300);
        assertThat(seeded.outcomes()).allSatisfy(o -> assertThat(o.created()).isTrue());

        List<Map<String, Object>> records = new ArrayList<>();
        List<Integer> missingName = new ArrayList<>();
        List<Integer> badPicklist = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Map<String, Object> r = new HashMap<>();
            r.put("External_Id__c", run + "-" + i);
            if (i >= 300 && i % 100 == 50) {
                missingName.add(i); // a new record without its required Name
            } else {
                r.put("Name", "Bulk " + i);
            }
            if (i >= 300 && i % 100 == 77) {
                r.put("Rating", "Lukewarm");
                badPicklist.add(i);
            }
            if (i % 10 == 3) {
                r.put("Description", "Line 1, \"quoted\"\nLine 2 " + i);
            }
            records.add(r);
        }

        BulkIngestResult result = sf.bulk().upsert("Account", "External_Id__c", records);

        assertThat(result.outcomes()).extracting(BulkRecordOutcome::index)
                .containsExactlyElementsOf(IntStream.range(0, 1000).boxed().toList());
        assertThat(result.jobs()).hasSize(1);
        assertThat(result.unprocessedCount()).isZero();
        for (BulkRecordOutcome o : result.outcomes()) {
            int i = o.index();
            if (missingName.contains(i)) {
                assertThat(o.status()).isEqualTo(BulkRecordOutcome.Status.FAILED);
                assertThat(o.errors()).containsExactly(new RecordError("REQUIRED_FIELD_MISSING",
                        "Required fields are missing: [Name]", List.of("Name"), ErrorCategory.RECORD));
            } else if (badPicklist.contains(i)) {
                assertThat(o.status()).isEqualTo(BulkRecordOutcome.Status.FAILED);
                assertThat(o.statusCode()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
                assertThat(o.errors().get(0).message())
                        .isEqualTo("Account Rating: bad value for restricted picklist field: Lukewarm");
                assertThat(o.errors().get(0).fields()).containsExactly("Rating");
                assertThat(o.retriable()).isFalse();
            } else {
                assertThat(o.success()).as("record %d", i).isTrue();
                assertThat(o.id()).startsWith("001");
                assertThat(o.created()).as("record %d created", i).isEqualTo(i >= 300);
                assertThat(stored(o.id()).get("External_Id__c")).isEqualTo(run + "-" + i);
            }
        }
        assertThat(result.failed()).isEqualTo(missingName.size() + badPicklist.size());
        assertThat(countWithPrefix("External_Id__c", run + "-")).isEqualTo(1000 - result.failed());
        BulkRecordOutcome thirteen = result.outcomes().get(13);
        assertThat(stored(thirteen.id()).get("Description")).isEqualTo("Line 1, \"quoted\"\nLine 2 13");
        assertThat(stored(thirteen.id()).get("Name")).isEqualTo("Bulk 13");
        assertThat(result.outcomes().get(0).toSaveOutcome().success()).isTrue();
    }

    @Test
    void deleteJobMovesRecordsToTheRecycleBinAndReportsUnknownIds() {
        String run = run();
        List<Map<String, Object>> records = IntStream.range(0, 50)
                .mapToObj(i -> Map.<String, Object>of("Name", "Doomed " + run + " " + i)).toList();
        BulkIngestResult inserted = sf.bulk().insert("Account", records);
        assertThat(inserted.outcomes()).allSatisfy(o -> {
            assertThat(o.success()).isTrue();
            assertThat(o.created()).isTrue();
        });
        List<String> ids = new ArrayList<>(inserted.outcomes().stream().map(BulkRecordOutcome::id).toList());
        ids.add(25, ids.get(0).substring(0, 9) + "zzzzzz"); // an id that names no record

        BulkIngestResult deleted = sf.bulk().delete("Account", ids);

        assertThat(deleted.outcomes()).hasSize(51);
        assertThat(deleted.outcomes().get(25).status()).isEqualTo(BulkRecordOutcome.Status.FAILED);
        assertThat(deleted.outcomes().get(25).statusCode()).isNotBlank();
        assertThat(deleted.outcomes().get(25).errors().get(0).category()).isEqualTo(ErrorCategory.RECORD);
        assertThat(deleted.succeeded()).isEqualTo(50);
        for (int i = 0; i < 51; i++) {
            BulkRecordOutcome o = deleted.outcomes().get(i);
            assertThat(o.index()).isEqualTo(i);
            if (i != 25) {
                assertThat(o.id()).isEqualTo(ids.get(i));
                assertThat(o.created()).isNull();
                assertThat(stored(o.id()).deleted()).isTrue();
            }
        }
    }

    @Test
    void nullValuesAreWrittenAsNaAndAbsentFieldsAreLeftAlone() {
        String run = run();
        BulkIngestResult first = sf.bulk().upsert("Account", "External_Id__c", List.of(
                Map.of("External_Id__c", run + "-a", "Name", "A", "Phone", "555-0100", "Description", "keep me"),
                Map.of("External_Id__c", run + "-b", "Name", "B", "Phone", "555-0101", "Description", "keep me too")));
        assertThat(first.succeeded()).isEqualTo(2);

        Map<String, Object> nullPhone = new HashMap<>();
        nullPhone.put("External_Id__c", run + "-a");
        nullPhone.put("Phone", null); // explicit null: #N/A
        Map<String, Object> emptySite = new HashMap<>();
        emptySite.put("External_Id__c", run + "-b");
        emptySite.put("Description", ""); // empty string: no value in Salesforce, also #N/A
        emptySite.put("Site", "HQ"); // a field the other record does not have: an empty cell there
        BulkIngestResult second = sf.bulk().upsert("Account", "External_Id__c", List.of(nullPhone, emptySite));

        assertThat(second.succeeded()).isEqualTo(2);
        assertThat(second.outcomes()).allSatisfy(o -> assertThat(o.created()).isFalse());
        StoredRecord a = stored(second.outcomes().get(0).id());
        assertThat(a.get("Phone")).isNull();
        assertThat(a.get("Description")).isEqualTo("keep me");
        assertThat(a.get("Site")).isNull();
        StoredRecord b = stored(second.outcomes().get(1).id());
        assertThat(b.get("Description")).isNull();
        assertThat(b.get("Phone")).isEqualTo("555-0101");
        assertThat(b.get("Site")).isEqualTo("HQ");
    }

    @Test
    void aJobThatFailsRaisesItsErrorMessage() {
        assertThatThrownBy(() -> sf.bulk().insert("Account", List.of(Map.of("Name", "x", "Bogus__c", "y"))))
                .isInstanceOfSatisfying(FatalSalesforceException.class, e -> {
                    assertThat(e.getMessage()).contains("InvalidBatch : Field name not found : Bogus__c");
                    assertThat(e.errorCode()).isEqualTo("InvalidBatch");
                    assertThat(e.errors().get(0).message()).isEqualTo("InvalidBatch : Field name not found : Bogus__c");
                });
    }

    @Test
    void aJobThatCannotBeCreatedIsAFatalError() {
        assertThatThrownBy(() -> sf.bulk().upsert("Account", "Name__x", List.of(Map.of("Name", "x"))))
                .isInstanceOfSatisfying(FatalSalesforceException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo("INVALIDJOB");
                });
        assertThatThrownBy(() -> sf.bulk().insert("NoSuchObject__c", List.of(Map.of("Name", "x"))))
                .isInstanceOf(FatalSalesforceException.class).hasMessageContaining("Unable to find object");
    }

    @Test
    void largeInputsAreSplitIntoJobsUnderTheUploadLimit() {
        String run = run();
        try (SalesforceClient small = BulkTestSupport.client(SF.emulator(),
                BulkTestSupport.FAST.withJobSize(4096, 1_000_000))) {
            List<Map<String, Object>> records = IntStream.range(0, 300).mapToObj(i -> Map.<String, Object>of(
                    "External_Id__c", run + "-" + i, "Name", "Split " + i, "Description", "x".repeat(i % 40)))
                    .toList();
            BulkIngestResult result = small.bulk().upsert("Account", "External_Id__c", records);

            assertThat(result.jobs().size()).isGreaterThan(3);
            assertThat(result.jobs()).extracting(BulkJobInfo::id).doesNotHaveDuplicates();
            assertThat(result.outcomes()).extracting(BulkRecordOutcome::index)
                    .containsExactlyElementsOf(IntStream.range(0, 300).boxed().toList());
            assertThat(result.outcomes()).allSatisfy(o -> assertThat(o.success()).isTrue());
            assertThat(result.outcomes()).extracting(BulkRecordOutcome::jobId).containsAll(
                    result.jobs().stream().map(BulkJobInfo::id).toList());
            assertThat(countWithPrefix("External_Id__c", run + "-")).isEqualTo(300);
        }
        try (SalesforceClient small = BulkTestSupport.client(SF.emulator(),
                BulkTestSupport.FAST.withJobSize(4096, 1_000_000))) {
            assertThatThrownBy(() -> small.bulk().insert("Account", List.of(Map.of("Name", "x".repeat(5000)))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alone is larger");
        }
    }

    @Test
    void bulkCallsAreCountedUnderBulk() {
        try (SalesforceClient fresh = BulkTestSupport.client(SF.emulator(), BulkTestSupport.FAST)) {
            long before = fresh.metrics().totalCalls();
            long bulkBefore = fresh.metrics().calls(CallKind.BULK);
            BulkIngestResult r = fresh.bulk().insert("Account", List.of(Map.of("Name", "Counted")));
            assertThat(r.succeeded()).isEqualTo(1);
            long bulkCalls = fresh.metrics().calls(CallKind.BULK) - bulkBefore;
            // create, upload, close, at least one status check, successful and failed results
            assertThat(bulkCalls).isGreaterThanOrEqualTo(6);
            assertThat(fresh.metrics().totalCalls() - before).isEqualTo(bulkCalls);
            assertThat(fresh.metrics().writeCalls()).isEqualTo(1);
            assertThat(fresh.metrics().recordsWritten()).isEqualTo(1);
        }
    }

    @Test
    void transientFailuresOfJobCallsAreRetried() {
        try (SalesforceClient fresh = BulkTestSupport.client(SF.emulator(), BulkTestSupport.FAST)) {
            SF.emulator().faults().failNextRequestsWith503(2);
            try {
                BulkIngestResult r = fresh.bulk().insert("Account", List.of(Map.of("Name", "Retried")));
                assertThat(r.succeeded()).isEqualTo(1);
                assertThat(fresh.metrics().retries()).isEqualTo(2);
            } finally {
                SF.emulator().faults().reset();
            }
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode job(String id) {
        return sf.transport().send(CallKind.BULK, RestRequest.get("/jobs/ingest/" + id)).json();
    }

    private static String lastJobId() {
        var jobs = sf.transport().send(CallKind.BULK, RestRequest.get("/jobs/ingest")).json().path("records");
        return jobs.get(jobs.size() - 1).path("id").asText();
    }

    private static List<Map<String, Object>> named(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> Map.<String, Object>of("Name", prefix + " " + i)).toList();
    }

    @Test
    void anInterruptedIngestAbortsItsJob() throws Exception {
        String run = run();
        BulkIngestClient interrupted = new BulkIngestClient(sf.transport(), BulkTestSupport.FAST, d -> {
            // interrupted once the job is running (stuck in its first chunk)
            TestSupport.await("job running", () -> job(lastJobId()).path("state").asText().equals("InProgress"));
            throw new InterruptedException("stop");
        }, Clock.systemUTC());
        String id;
        try (OrgWriteBlocker blocked = new OrgWriteBlocker(SF.emulator())) {
            assertThatThrownBy(() -> interrupted.insert("Account", named("Interrupted " + run, 1000)))
                    .isInstanceOf(FatalSalesforceException.class)
                    .hasMessageContaining("interrupted")
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
            id = lastJobId();
            assertThat(job(id).path("state").asText()).isEqualTo("Aborted");
        }
        // The chunk under way when the job was aborted finishes and no other starts. Whether the org's job thread
        // had already entered its first chunk (200 rows) or saw the abort before it (0) is a race we do not control.
        TestSupport.await("job stops at a chunk boundary", () -> {
            int processed = job(id).path("numberRecordsProcessed").asInt();
            return (processed == 0 || processed == 200) && countWithPrefix("Name", "Interrupted " + run) == processed;
        });
        assertThat(countWithPrefix("Name", "Interrupted " + run)).isLessThanOrEqualTo(200);
    }

    @Test
    void aJobStillRunningAfterMaxWaitIsAbortedAsARetriableFailure() throws Exception {
        String run = run();
        List<Duration> waits = new CopyOnWriteArrayList<>();
        BulkIngestClient impatient = new BulkIngestClient(sf.transport(),
                BulkTestSupport.FAST.withPolling(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(200)),
                d -> {
                    if (waits.isEmpty()) { // from the first wait on, the job is stuck in its first chunk
                        TestSupport.await("job running",
                                () -> job(lastJobId()).path("state").asText().equals("InProgress"));
                    }
                    waits.add(d);
                }, Clock.systemUTC());
        String id;
        try (OrgWriteBlocker blocked = new OrgWriteBlocker(SF.emulator())) {
            assertThatThrownBy(() -> impatient.insert("Account", named("Impatient " + run, 10)))
                    .isInstanceOf(RetriableSalesforceException.class)
                    .hasMessageContaining("is still InProgress").hasMessageContaining("aborted");
            id = lastJobId();
            assertThat(job(id).path("state").asText()).isEqualTo("Aborted");
        }
        // the chunk under way finishes, so the org's job thread is free for the next test
        TestSupport.await("job stops", () -> job(id).path("numberRecordsProcessed").asInt() == 10);
        // back-off grows by half up to the cap, and the waits asked for bound the total
        assertThat(waits).startsWith(Duration.ofMillis(10), Duration.ofMillis(15), Duration.ofMillis(22),
                Duration.ofMillis(33), Duration.ofMillis(40));
        assertThat(waits.stream().mapToLong(Duration::toMillis).sum()).isBetween(200L, 240L);
    }

    @Test
    void aJobAbortedBySomeoneElseReportsItsUnprocessedRecords() throws Exception {
        String run = run();
        CountDownLatch go = new CountDownLatch(1);
        BulkIngestClient waiting = new BulkIngestClient(sf.transport(), BulkTestSupport.FAST, d -> {
            go.await(30, TimeUnit.SECONDS);
            Thread.sleep(d.toMillis());
        }, Clock.systemUTC());
        CompletableFuture<BulkIngestResult> result;
        String id;
        try (OrgWriteBlocker blocked = new OrgWriteBlocker(SF.emulator())) {
            result = CompletableFuture.supplyAsync(() -> waiting.insert("Account", named("Stopped " + run, 1000)));
            TestSupport.await("job running", () -> {
                var jobs = sf.transport().send(CallKind.BULK, RestRequest.get("/jobs/ingest")).json().path("records");
                var last = jobs.get(jobs.size() - 1);
                return last.path("state").asText().equals("InProgress");
            });
            id = lastJobId();
            sf.transport().send(CallKind.BULK, RestRequest.of("PATCH", "/jobs/ingest/" + id,
                    "{\"state\":\"Aborted\"}"));
        }
        // The org's job thread either had entered its first chunk (200 rows) or saw the abort before it (0 rows).
        TestSupport.await("the job stops at a chunk boundary", () -> {
            int processed = job(id).path("numberRecordsProcessed").asInt();
            return (processed == 0 || processed == 200) && countWithPrefix("Name", "Stopped " + run) == processed;
        });
        int processed = job(id).path("numberRecordsProcessed").asInt();
        go.countDown();
        BulkIngestResult r = result.get(60, TimeUnit.SECONDS);

        assertThat(r.jobs()).singleElement().satisfies(j -> assertThat(j.state()).isEqualTo(BulkJobState.Aborted));
        assertThat(r.outcomes()).extracting(BulkRecordOutcome::index)
                .containsExactlyElementsOf(IntStream.range(0, 1000).boxed().toList());
        assertThat(r.succeeded()).isEqualTo(processed);
        assertThat(r.unprocessedCount()).isEqualTo(1000 - processed);
        assertThat(r.unprocessed()).allSatisfy(o -> {
            assertThat(o.retriable()).isTrue();
            assertThat(o.id()).isNull();
        });
        assertThat(countWithPrefix("Name", "Stopped " + run)).isEqualTo(processed);
        assertThat(r.outcomes().stream().filter(BulkRecordOutcome::success)
                .map(o -> stored(o.id()).get("Name"))).allMatch(n -> ((String) n).startsWith("Stopped " + run));
    }
}
