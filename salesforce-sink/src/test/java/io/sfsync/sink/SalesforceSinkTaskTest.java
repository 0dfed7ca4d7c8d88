package io.sfsync.sink;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.budget.BudgetConfig;
import io.sfsync.salesforce.budget.GovernorRegistry;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The task driven directly (plain SinkRecords, a recording errant-record reporter) against the emulator over real
 * HTTP: idempotent inserts, changed-fields-only updates, deletes, ordering, batching, rejections, faults.
 */
class SalesforceSinkTaskTest {

    static final String TOPIC = "pg.public.account";

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension(b -> b.dailyApiRequests(1_000_000));

    static final Schema ROW = SchemaBuilder.struct().name("pg.public.account.Value")
            .field("id", Schema.STRING_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("rating", Schema.OPTIONAL_STRING_SCHEMA)
            .field("phone", Schema.OPTIONAL_STRING_SCHEMA)
            .field("sfid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("_sync_origin", Schema.OPTIONAL_STRING_SCHEMA)
            .field("legacy_code", Schema.OPTIONAL_STRING_SCHEMA)
            .optional().build();
    static final Schema ENVELOPE = SchemaBuilder.struct().name("pg.public.account.Envelope")
            .field("before", ROW).field("after", ROW).field("op", Schema.STRING_SCHEMA).build();

    TestContext context;
    SalesforceSinkTask task;
    String run;
    long offset;

    static Map<String, String> props(SalesforceEmulator sf) {
        Map<String, String> m = new HashMap<>();
        m.put(SalesforceSinkConfig.LOGIN_URL, sf.baseUrl());
        m.put(SalesforceSinkConfig.AUTH_TYPE, "client-credentials");
        m.put(SalesforceSinkConfig.CLIENT_ID, SalesforceEmulator.CLIENT_ID);
        m.put(SalesforceSinkConfig.CLIENT_SECRET, SalesforceEmulator.CLIENT_SECRET);
        m.put(SalesforceSinkConfig.SYNC_CLIENT_ID, "sfsync-test");
        return m;
    }

    static Function<SalesforceSinkConfig, SalesforceClient> testClients() {
        return config -> SalesforceClients.builder(config).governorRegistry(new GovernorRegistry())
                .budget(BudgetConfig.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(20),
                        Duration.ofSeconds(20), 40))
                .build();
    }

    @BeforeEach
    void start() {
        SF.emulator().faults().reset();
        SF.emulator().org().writeStats().reset();
        run = UUID.randomUUID().toString().substring(0, 8);
        context = new TestContext();
        task = new SalesforceSinkTask(testClients());
        task.initialize(context);
        task.start(props(SF.emulator()));
    }

    @AfterEach
    void stop() {
        task.stop();
    }

    // -------------------------------------------------------------------------------------------- helpers

    /** Stops the task of {@link #start()} and starts a new one with these settings and the test clients. */
    void restartWith(Map<String, String> settings) {
        task.stop();
        task = new SalesforceSinkTask(testClients());
        task.initialize(context);
        task.start(settings);
    }

    Struct row(String id, String name, String rating) {
        return new Struct(ROW).put("id", run + "-" + id).put("name", name).put("rating", rating);
    }

    SinkRecord change(String op, Struct before, Struct after) {
        Struct v = new Struct(ENVELOPE).put("before", before).put("after", after).put("op", op);
        return new SinkRecord(TOPIC, 0, null, null, ENVELOPE, v, offset++);
    }

    static SObjectType account() {
        return SF.emulator().schema().find("Account").orElseThrow();
    }

    List<StoredRecord> accounts(String id) {
        return SF.emulator().org().records(account(), false)
                .filter(r -> (run + "-" + id).equals(r.get("External_Id__c"))).toList();
    }

    StoredRecord only(String id) {
        List<StoredRecord> found = accounts(id);
        assertThat(found).as("accounts with key " + id).hasSize(1);
        return found.get(0);
    }

    // -------------------------------------------------------------------------------------------- tests

    @Test
    void insertCreatesExactlyOneRecordEvenWhenTheBatchIsRedelivered() {
        List<SinkRecord> batch = List.of(change("c", null, row("1", "Acme", "Hot")),
                change("c", null, row("2", "Globex", null)));
        task.put(batch);
        task.put(batch); // the worker redelivers after a failure: upserts by External ID, no duplicate

        assertThat(only("1").get("Name")).isEqualTo("Acme");
        assertThat(only("1").get("Rating")).isEqualTo("Hot");
        assertThat(only("2").get("Name")).isEqualTo("Globex");
        assertThat(context.reports).isEmpty();
        assertThat(SF.emulator().org().writeStats().callsBySize()).isEqualTo(Map.of(2, 2L));
    }

    @Test
    void updateWritesOnlyTheChangedColumns() {
        // a one-way setup (the default update.without.sfid=changed): rows never learn their sfid, so updates are
        // upserts of the changed columns only
        task.put(List.of(change("c", null, row("u", "Before", "Hot"))));
        // Salesforce changes Phone meanwhile; Postgres changes only Rating (its after image still holds the old phone)
        String id = only("u").id();
        SF.emulator().org().records(account(), false).filter(r -> r.id().equals(id)).findFirst().orElseThrow();
        SalesforceClient direct = testClients().apply(new SalesforceSinkConfig(props(SF.emulator())));
        direct.collections().update(List.of(io.sfsync.salesforce.write.SObjectRecord.of("Account",
                Map.of("Id", id, "Phone", "555-SF"))));

        Struct before = row("u", "Before", "Hot").put("phone", "555-PG");
        Struct after = row("u", "Before", "Warm").put("phone", "555-PG");
        task.put(List.of(change("u", before, after)));

        StoredRecord r = only("u");
        assertThat(r.get("Rating")).isEqualTo("Warm");
        assertThat(r.get("Phone")).isEqualTo("555-SF");
    }

    @Test
    void updateGoesByIdWhenTheRowKnowsItsSfidAndMetadataOnlyChangesWriteNothing() {
        task.put(List.of(change("c", null, row("s", "By id", null))));
        String sfid = only("s").id();
        SF.emulator().org().writeStats().reset();

        // the sync fills in sfid and its own metadata: nothing to send
        task.put(List.of(change("u", row("s", "By id", null), row("s", "By id", null).put("sfid", sfid)
                .put("_sync_origin", "salesforce"))));
        assertThat(SF.emulator().org().writeStats().calls()).isZero();

        task.put(List.of(change("u", row("s", "By id", null).put("sfid", sfid),
                row("s", "Renamed", null).put("sfid", sfid))));
        assertThat(only("s").get("Name")).isEqualTo("Renamed");
        assertThat(task.counters().skipped.get()).isEqualTo(1);
    }

    @Test
    void anInsertedRowThatKnowsItsSfidIsWrittenByIdAndLinkedNotDuplicated() {
        SalesforceClient direct = testClients().apply(new SalesforceSinkConfig(props(SF.emulator())));
        String sfid = direct.collections().create(List.of(io.sfsync.salesforce.write.SObjectRecord.of("Account",
                Map.of("Name", "Made in Salesforce")))).get(0).id();
        long before = SF.emulator().org().count(account());

        task.put(List.of(change("r", null, row("snap", "Made in Salesforce", "Warm").put("sfid", sfid))));

        assertThat(SF.emulator().org().count(account())).isEqualTo(before);
        StoredRecord r = only("snap");
        assertThat(r.id()).isEqualTo(sfid);
        assertThat(r.get("Rating")).isEqualTo("Warm");
    }

    @Test
    void aTopicWithoutObjectFailsTheTaskWithTheReason() {
        SinkRecord r = new SinkRecord("pg.public.no_such_table", 0, null, null, ENVELOPE,
                new Struct(ENVELOPE).put("after", row("x", "X", null)).put("op", "c"), 0);
        assertThatThrownBy(() -> task.put(List.of(r))).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("pg.public.no_such_table").hasMessageContaining("topic.object.map");
    }

    @Test
    void theSmtChangedColumnsHeaderLimitsTheWrite() {
        task.put(List.of(change("c", null, row("h", "Original", "Hot"))));
        // the after image differs in name and rating, but the SMT says only rating changed on the Postgres side
        SinkRecord r = change("u", null, row("h", "Stale name", "Cold").put("sfid", only("h").id()));
        r.headers().addString("sync.changed.columns", "rating");
        task.put(List.of(r));
        assertThat(only("h").get("Rating")).isEqualTo("Cold");
        assertThat(only("h").get("Name")).isEqualTo("Original");
    }

    @Test
    void fixingOneColumnOfARejectedRowSendsTheWholeRow() {
        Map<String, String> p = props(SF.emulator());
        p.put(SalesforceSinkConfig.UPDATE_WITHOUT_SFID, "row");   // as in the two-way loop
        restartWith(p);
        // Salesforce rejects the insert: no record, so Postgres never gets an sfid for the row
        task.put(List.of(change("c", null, row("fix", "Fixable", "Lukewarm").put("phone", "555-0100"))));
        assertThat(context.reports).hasSize(1);
        assertThat(accounts("fix")).isEmpty();

        // the user fixes the bad column in SQL; the SMT says only rating changed
        SinkRecord fix = change("u", null, row("fix", "Fixable", "Warm").put("phone", "555-0100"));
        fix.headers().addString("sync.changed.columns", "rating");
        task.put(List.of(fix));

        StoredRecord created = only("fix");
        assertThat(created.get("Name")).isEqualTo("Fixable");
        assertThat(created.get("Rating")).isEqualTo("Warm");
        assertThat(created.get("Phone")).isEqualTo("555-0100");
        assertThat(context.reports).hasSize(1);
    }

    @Test
    void flattenedSchemalessEventsAndTombstones() {
        Map<String, Object> row = new HashMap<>();
        row.put("id", run + "-flat");
        row.put("name", "Flat");
        row.put("__op", "c");
        task.put(List.of(new SinkRecord(TOPIC, 0, null, Map.of("id", run + "-flat"), null, row, offset++)));
        assertThat(only("flat").get("Name")).isEqualTo("Flat");

        task.put(List.of(new SinkRecord(TOPIC, 0, null, Map.of("id", run + "-flat"), null, null, offset++)));
        assertThat(accounts("flat")).isEmpty();
        assertThat(context.reports).isEmpty();
    }

    @Test
    void deleteByExternalIdOrIdAndAlreadyDeletedIsDone() {
        task.put(List.of(change("c", null, row("d1", "Delete me", null)), change("c", null, row("d2", "Me too", null))));
        String sfid2 = only("d2").id();

        task.put(List.of(change("d", row("d1", "Delete me", null), null),
                change("d", row("d2", "Me too", null).put("sfid", sfid2), null)));
        assertThat(accounts("d1")).isEmpty();
        assertThat(accounts("d2")).isEmpty();

        task.put(List.of(change("d", row("d1", "Delete me", null), null),
                change("d", row("d2", "Me too", null).put("sfid", sfid2), null),
                change("d", row("never", "Never existed", null), null)));
        assertThat(context.reports).isEmpty();
    }

    @Test
    void successiveChangesToOneRecordKeepTheirOrderWithinOneBatch() {
        task.put(List.of(
                change("c", null, row("o", "First", null)),
                change("u", row("o", "First", null), row("o", "Second", null)),
                change("d", row("o", "Second", null), null),
                change("c", null, row("o", "Reborn", "Cold")),
                change("c", null, row("other", "Other", null))));
        assertThat(only("o").get("Name")).isEqualTo("Reborn");
        assertThat(only("o").get("Rating")).isEqualTo("Cold");
        assertThat(only("other").get("Name")).isEqualTo("Other");
    }

    @Test
    void manyRowsGoOutInCallsOf200() {
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            batch.add(change("c", null, row("bulk" + i, "Row " + i, null)));
        }
        task.put(batch);
        assertThat(SF.emulator().org().writeStats().callsBySize()).isEqualTo(Map.of(200, 2L, 50, 1L));
        assertThat(accounts("bulk449")).hasSize(1);
    }

    @Test
    void rejectedRecordsGoToTheReporterWithTheirCodeWhileTheOthersLand() {
        task.put(List.of(
                change("c", null, row("ok1", "Fine", "Hot")),
                change("c", null, row("bad1", "Bad rating", "Lukewarm")),
                change("c", null, row("bad2", "x".repeat(300), null)),
                change("c", null, row("ok2", "Also fine", null))));

        assertThat(only("ok1").get("Name")).isEqualTo("Fine");
        assertThat(only("ok2").get("Name")).isEqualTo("Also fine");
        assertThat(accounts("bad1")).isEmpty();
        assertThat(context.reports).hasSize(2);
        TestContext.Report r1 = context.reports.get(0);
        assertThat(r1.record().headers().lastWithName(SalesforceSinkTask.HEADER_ERROR_CODE).value())
                .isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(r1.record().headers().lastWithName(SalesforceSinkTask.HEADER_ERROR_OBJECT).value())
                .isEqualTo("Account");
        assertThat(r1.error().getMessage()).startsWith("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: ");
        assertThat(context.reports.get(1).record().headers().lastWithName(SalesforceSinkTask.HEADER_ERROR_CODE)
                .value()).isEqualTo("STRING_TOO_LONG");

        TopicPartition tp = new TopicPartition(TOPIC, 0);
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of(tp, new OffsetAndMetadata(0)));
        assertThat(committed).containsEntry(tp, new OffsetAndMetadata(offset));
    }

    @Test
    void aBatchGivenBackForRedeliveryReportsItsRejectionsOnlyOnceItGoesThrough() {
        SinkRecord unreadable = new SinkRecord(TOPIC, 0, null, null, null, "not a row", offset++);
        List<SinkRecord> batch = List.of(unreadable, change("c", null, row("rd1", "Bad", "Lukewarm")),
                change("c", null, row("rd2", "Good", null)));
        SF.emulator().faults().setServerUnavailableRate(1.0);
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        assertThat(context.reports).isEmpty();

        SF.emulator().faults().reset();
        task.put(batch);
        assertThat(context.reports).extracting(r -> r.record().headers()
                        .lastWithName(SalesforceSinkTask.HEADER_ERROR_CODE).value())
                .containsExactly("INVALID_INPUT", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(only("rd2").get("Name")).isEqualTo("Good");
    }

    @Test
    void aColumnWithoutFieldIsReportedOnceAndNotSent() {
        task.put(List.of(change("c", null, row("m1", "Mapped", null).put("legacy_code", "L1")),
                change("c", null, row("m2", "Mapped", null).put("legacy_code", "L2"))));
        assertThat(task.mapper().unmappedColumns()).isEqualTo(1);
        assertThat(only("m1").get("Name")).isEqualTo("Mapped");
    }

    @Test
    void aColumnForAFieldAddedInSalesforceAfterTheDescribeWasCachedIsWrittenAtOnce() {
        task.put(List.of(change("c", null, row("n1", "Cached describe", null))));   // Account's describe now cached
        long unmappedBefore = task.mapper().unmappedColumns();
        String field = "Seg_" + run + "__c";
        account().putField(FieldDef.builder(field, FieldType.STRING).label("Segment").length(40).custom(true).build(),
                Instant.now());

        Schema evolved = SchemaBuilder.struct().name("pg.public.account.Value")
                .field("id", Schema.STRING_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA)
                .field(field.toLowerCase(), Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema env = SchemaBuilder.struct().field("before", evolved).field("after", evolved)
                .field("op", Schema.STRING_SCHEMA).build();
        Struct after = new Struct(evolved).put("id", run + "-n2").put("name", "New column")
                .put(field.toLowerCase(), "Enterprise");
        task.put(List.of(new SinkRecord(TOPIC, 0, null, null, env, new Struct(env).put("after", after).put("op", "c"),
                offset++)));

        assertThat(only("n2").get(field)).isEqualTo("Enterprise");
        assertThat(task.mapper().unmappedColumns()).isEqualTo(unmappedBefore);
    }

    @Test
    void transientFaultsAreRetriedAndAPersistentOneIsGivenBackForRedelivery() {
        SF.emulator().faults().failNextRequestsWith503(3);
        task.put(List.of(change("c", null, row("f1", "After 503s", null))));
        assertThat(only("f1").get("Name")).isEqualTo("After 503s");

        SF.emulator().faults().setServerUnavailableRate(1.0);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        long before = task.preCommit(Map.of(tp, new OffsetAndMetadata(0))).get(tp).offset();
        List<SinkRecord> batch = List.of(change("c", null, row("f2", "Storm", null)));
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        assertThat(task.preCommit(Map.of(tp, new OffsetAndMetadata(0))).get(tp).offset()).isEqualTo(before);

        SF.emulator().faults().reset();
        task.put(batch);
        assertThat(only("f2").get("Name")).isEqualTo("Storm");
    }

    @Test
    void readOnlyAndSystemColumnsAreNeverSentOverridesAndTypesAreApplied() {
        Map<String, String> p = props(SF.emulator());
        p.put(SalesforceSinkConfig.FIELD_MAP, "account.main_phone:Phone");
        restartWith(p);
        Schema date = SchemaBuilder.int32().name("io.debezium.time.Date").optional().build();
        Schema micros = SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build();
        Schema rowSchema = SchemaBuilder.struct().name("pg.public.account.Value")
                .field("id", Schema.STRING_SCHEMA)
                .field("name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("main_phone", Schema.OPTIONAL_STRING_SCHEMA)
                .field("lastactivitydate", date)                         // read-only
                .field("systemmodstamp", micros)                         // system
                .field("createddate", micros)                            // system
                .field("customer_since__c", date)
                .field("health_score__c", org.apache.kafka.connect.data.Decimal.builder(2).optional().build())
                .field("is_strategic__c", Schema.OPTIONAL_BOOLEAN_SCHEMA)
                .field("numberofemployees", Schema.OPTIONAL_INT32_SCHEMA)
                .build();
        Schema env = SchemaBuilder.struct().field("before", SchemaBuilder.struct().optional().build())
                .field("after", rowSchema).field("op", Schema.STRING_SCHEMA).build();
        Struct after = new Struct(rowSchema).put("id", run + "-types").put("name", "Typed").put("main_phone", "555-1")
                .put("lastactivitydate", 19_000).put("systemmodstamp", 1_700_000_000_000_000L)
                .put("createddate", 1_700_000_000_000_000L).put("customer_since__c", 19_723)
                .put("health_score__c", new java.math.BigDecimal("87.50")).put("is_strategic__c", true)
                .put("numberofemployees", 42);
        task.put(List.of(new SinkRecord(TOPIC, 0, null, null, env, new Struct(env).put("after", after).put("op", "c"),
                offset++)));

        assertThat(context.reports).isEmpty();
        StoredRecord r = only("types");
        assertThat(r.get("Phone")).isEqualTo("555-1");
        assertThat(String.valueOf(r.get("Customer_Since__c"))).isEqualTo("2024-01-01");
        assertThat(new java.math.BigDecimal(String.valueOf(r.get("Health_Score__c")))).isEqualByComparingTo("87.5");
        assertThat(r.get("Is_Strategic__c")).isEqualTo(true);
        assertThat(((Number) r.get("NumberOfEmployees")).intValue()).isEqualTo(42);
        assertThat(r.get("LastActivityDate")).isNull();
        assertThat(task.mapper().readOnlyColumns()).isEqualTo(3);
        assertThat(task.mapper().unmappedColumns()).isZero();
    }

    @Test
    void quotaExhaustedDelaysTheWriteAndLosesNothing() throws Exception {
        task.stop();
        task = new SalesforceSinkTask(config -> SalesforceClients.builder(config)
                .governorRegistry(new GovernorRegistry())
                .budget(BudgetConfig.defaults().withDailyShare(1.0)
                        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofSeconds(20), 40)
                        .withPolling(Duration.ofMillis(50), Duration.ofMillis(10)))
                .build());
        task.initialize(context);
        task.start(props(SF.emulator()));
        task.put(List.of(change("c", null, row("q0", "Before the limit", null))));

        var limits = SF.emulator().limits();
        long max = limits.dailyMax();
        limits.setDailyMax(limits.used());
        try {
            java.util.concurrent.CompletableFuture<Void> put = java.util.concurrent.CompletableFuture.runAsync(
                    () -> task.put(List.of(change("c", null, row("q1", "Over the limit", null)))));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (task.clientMetrics().budgetWaits() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(task.clientMetrics().budgetWaits()).as("the write waits for budget").isPositive();
            assertThat(put).isNotDone();
            assertThat(accounts("q1")).isEmpty();

            limits.setDailyMax(max);
            put.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            limits.setDailyMax(max);
        }
        assertThat(only("q1").get("Name")).isEqualTo("Over the limit");
    }

    @Test
    void aBudgetWaitIsBoundedThenTheBatchIsRedeliveredAndEachRecordWrittenOnce() {
        task.stop();
        Map<String, String> p = props(SF.emulator());
        p.put(SalesforceSinkConfig.BUDGET_MAX_WAIT_MS, "300");
        p.put(SalesforceSinkConfig.MAX_BATCH, "1"); // one call per record, so the budget runs out mid-batch
        p.put(SalesforceSinkConfig.WRITE_CONCURRENCY, "1");
        task = new SalesforceSinkTask(config -> SalesforceClients.builder(config)
                .governorRegistry(new GovernorRegistry())
                .budget(BudgetConfig.defaults().withDailyShare(1.0)
                        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofSeconds(20), 40)
                        .withPolling(Duration.ofMillis(50), Duration.ofMillis(10)))
                .build());
        task.initialize(context);
        task.start(p);
        SinkRecord warmUp = change("c", null, row("bw0", "Before the limit", null));
        task.put(List.of(warmUp)); // the governor now knows the org's usage from the response
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        Map<TopicPartition, OffsetAndMetadata> current = Map.of(tp, new OffsetAndMetadata(0));

        var limits = SF.emulator().limits();
        long max = limits.dailyMax();
        List<SinkRecord> batch = List.of(change("c", null, row("bw1", "First", null)),
                change("c", null, row("bw2", "Second", null)), change("c", null, row("bw3", "Third", null)));
        try {
            limits.setDailyMax(limits.used() + 1); // room for exactly one more call
            assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class)
                    .hasMessageContaining("budget");
            assertThat(context.timeoutMs).as("a prompt redelivery").isEqualTo(1000);
            assertThat(task.counters().budgetTimeouts.get()).isEqualTo(1);
            assertThat(accounts("bw1")).as("written before the budget ran out").hasSize(1);
            assertThat(accounts("bw2")).isEmpty();
            assertThat(task.preCommit(current)).as("nothing of the given-back batch is committed")
                    .containsExactly(Map.entry(tp, new OffsetAndMetadata(warmUp.kafkaOffset() + 1)));

            assertThatThrownBy(() -> task.put(batch)).as("still no budget: given back again")
                    .isInstanceOf(RetriableException.class);
            assertThat(task.counters().budgetTimeouts.get()).isEqualTo(2);
        } finally {
            limits.setDailyMax(max);
        }
        task.put(batch); // the worker's redelivery, once budget is back
        assertThat(only("bw1").get("Name")).isEqualTo("First");
        assertThat(only("bw2").get("Name")).isEqualTo("Second");
        assertThat(only("bw3").get("Name")).isEqualTo("Third");
        assertThat(task.preCommit(current)).containsExactly(
                Map.entry(tp, new OffsetAndMetadata(batch.get(2).kafkaOffset() + 1)));
        assertThat(context.reports).isEmpty();
    }

    @Test
    void largeGroupsGoThroughBulkApi() {
        Map<String, String> p = props(SF.emulator());
        p.put(SalesforceSinkConfig.BULK_THRESHOLD, "100");
        restartWith(p);
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            batch.add(change("c", null, row("bk" + i, "Bulk " + i, i == 7 ? "Lukewarm" : null)));
        }
        task.put(batch);
        assertThat(task.clientMetrics().calls(io.sfsync.salesforce.metrics.CallKind.BULK)).isPositive();
        assertThat(task.clientMetrics().calls(io.sfsync.salesforce.metrics.CallKind.COLLECTIONS)).isZero();
        assertThat(accounts("bk0")).hasSize(1);
        assertThat(accounts("bk149")).hasSize(1);
        assertThat(accounts("bk7")).isEmpty();
        assertThat(context.reports).hasSize(1);
        assertThat(context.reports.get(0).error().getMessage()).startsWith("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        task.put(batch); // redelivered: upserts again, still one record per key
        assertThat(accounts("bk0")).hasSize(1);
    }

    @Test
    void parentsAreWrittenBeforeChildrenThatReferenceThemByExternalId() {
        Map<String, String> p = props(SF.emulator());
        p.put(SalesforceSinkConfig.REFERENCE_MAP, "contact.account_id:AccountId");
        restartWith(p);
        Schema contactRow = SchemaBuilder.struct().name("pg.public.contact.Value")
                .field("id", Schema.STRING_SCHEMA).field("lastname", Schema.OPTIONAL_STRING_SCHEMA)
                .field("account_id", Schema.OPTIONAL_STRING_SCHEMA).optional().build();
        Schema contactEnvelope = SchemaBuilder.struct().field("before", contactRow).field("after", contactRow)
                .field("op", Schema.STRING_SCHEMA).build();
        Struct contact = new Struct(contactRow).put("id", run + "-c1").put("lastname", "Child")
                .put("account_id", run + "-parent");
        // the child comes first in the batch; its parent only later
        task.put(List.of(
                new SinkRecord("pg.public.contact", 0, null, null, contactEnvelope,
                        new Struct(contactEnvelope).put("after", contact).put("op", "c"), offset++),
                change("c", null, row("parent", "Parent Co", null))));

        assertThat(context.reports).isEmpty();
        String parentId = only("parent").id();
        StoredRecord child = SF.emulator().org().records(SF.emulator().schema().find("Contact").orElseThrow(), false)
                .filter(r -> (run + "-c1").equals(r.get("External_Id__c"))).findFirst().orElseThrow();
        assertThat(child.get("AccountId")).isEqualTo(parentId);
        assertThat(child.get("LastName")).isEqualTo("Child");
    }

    static final Schema CONTACT_ROW = SchemaBuilder.struct().name("pg.public.contact.Value")
            .field("id", Schema.STRING_SCHEMA).field("lastname", Schema.OPTIONAL_STRING_SCHEMA)
            .field("account_id", Schema.OPTIONAL_STRING_SCHEMA).optional().build();
    static final Schema CONTACT_ENVELOPE = SchemaBuilder.struct().field("before", CONTACT_ROW)
            .field("after", CONTACT_ROW).field("op", Schema.STRING_SCHEMA).build();

    SinkRecord contactInsert(String id, String lastName, String accountKey) {
        Struct after = new Struct(CONTACT_ROW).put("id", run + "-" + id).put("lastname", lastName)
                .put("account_id", accountKey == null ? null : run + "-" + accountKey);
        return new SinkRecord("pg.public.contact", 0, null, null, CONTACT_ENVELOPE,
                new Struct(CONTACT_ENVELOPE).put("after", after).put("op", "c"), offset++);
    }

    List<StoredRecord> contacts(String id) {
        return SF.emulator().org().records(SF.emulator().schema().find("Contact").orElseThrow(), false)
                .filter(r -> (run + "-" + id).equals(r.get("External_Id__c"))).toList();
    }

    @Test
    void bulkJobsResolveParentsByExternalIdWhenChildrenAndParentsComeInOneLargeBatch() {
        Map<String, String> p = props(SF.emulator());
        p.put(SalesforceSinkConfig.REFERENCE_MAP, "contact.account_id:AccountId");
        p.put(SalesforceSinkConfig.BULK_THRESHOLD, "100");
        restartWith(p);
        int n = 120;
        List<SinkRecord> batch = new ArrayList<>();
        // every child before its parent in the batch; one child without a parent, one whose parent does not exist
        for (int i = 0; i < n; i++) {
            batch.add(contactInsert("bc" + i, "Child " + i, i == 0 ? null : i == 1 ? "no-such-parent" : "bp" + i));
        }
        for (int i = 0; i < n; i++) {
            batch.add(change("c", null, row("bp" + i, "Parent " + i, null)));
        }
        task.put(batch);

        assertThat(task.clientMetrics().calls(io.sfsync.salesforce.metrics.CallKind.BULK)).isPositive();
        assertThat(task.clientMetrics().calls(io.sfsync.salesforce.metrics.CallKind.COLLECTIONS)).isZero();
        for (int i = 2; i < n; i++) {
            List<StoredRecord> child = contacts("bc" + i);
            assertThat(child).as("contact bc" + i).hasSize(1);
            assertThat(child.get(0).get("AccountId")).as("contact bc" + i).isEqualTo(only("bp" + i).id());
        }
        assertThat(contacts("bc0")).hasSize(1);
        assertThat(contacts("bc0").get(0).get("AccountId")).isNull();
        assertThat(contacts("bc1")).isEmpty();
        assertThat(context.reports).hasSize(1);
        assertThat(context.reports.get(0).record().kafkaOffset()).isEqualTo(batch.get(1).kafkaOffset());
        assertThat(context.reports.get(0).error().getMessage()).startsWith("INVALID_FIELD").contains("no-such-parent");

        task.put(batch); // redelivered: still one record per key, children still linked
        assertThat(contacts("bc5")).hasSize(1);
        assertThat(contacts("bc5").get(0).get("AccountId")).isEqualTo(only("bp5").id());
    }

    @Test
    void anUpdateByIdOfARecordDeletedInSalesforceGoesToTheDeadLetterQueueWhileTheRestFlows() {
        task.put(List.of(change("c", null, row("del-a", "A", null)), change("c", null, row("del-b", "B", null)),
                change("c", null, row("del-c", "C", null))));
        String a = only("del-a").id();
        String b = only("del-b").id();
        String c = only("del-c").id();
        SF.emulator().org().write(new io.sfsync.emulator.data.WriteContext(SalesforceEmulator.ADMIN_USER_ID,
                io.sfsync.emulator.data.ChangeOrigin.UI), tx -> tx.delete(b)); // a user deletes B in Salesforce

        List<SinkRecord> updates = List.of(
                change("u", row("del-a", "A", null).put("sfid", a), row("del-a", "A", "Hot").put("sfid", a)),
                change("u", row("del-b", "B", null).put("sfid", b), row("del-b", "B", "Hot").put("sfid", b)),
                change("u", row("del-c", "C", null).put("sfid", c), row("del-c", "C", "Hot").put("sfid", c)));
        task.put(updates);

        assertThat(only("del-a").get("Rating")).isEqualTo("Hot");
        assertThat(only("del-c").get("Rating")).isEqualTo("Hot");
        assertThat(accounts("del-b")).as("not brought back").isEmpty();
        assertThat(context.reports).hasSize(1);
        assertThat(context.reports.get(0).record().kafkaOffset()).isEqualTo(updates.get(1).kafkaOffset());
        assertThat(context.reports.get(0).error()).isInstanceOfSatisfying(
                SalesforceSinkTask.RecordRejectedBySalesforce.class,
                e -> assertThat(e.code()).isEqualTo("ENTITY_IS_DELETED"));
        assertThat(context.reports.get(0).record().headers().lastWithName(SalesforceSinkTask.HEADER_ERROR_CODE)
                .value()).isEqualTo("ENTITY_IS_DELETED");
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        assertThat(task.preCommit(Map.of(tp, new OffsetAndMetadata(0)))).containsEntry(tp,
                new OffsetAndMetadata(updates.get(2).kafkaOffset() + 1));
        assertThat(task.counters().rejected.get()).isEqualTo(1);
    }

    @Test
    void badCredentialsFailTheTaskWithAClearMessage() {
        Map<String, String> bad = props(SF.emulator());
        bad.put(SalesforceSinkConfig.CLIENT_SECRET, "wrong-secret");
        SalesforceSinkTask other = new SalesforceSinkTask(testClients());
        other.initialize(new TestContext());
        assertThatThrownBy(() -> other.start(bad)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("Salesforce login failed").hasMessageNotContaining("wrong-secret");
    }
}
