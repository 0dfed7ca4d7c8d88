package io.sfsync.salesforce.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.error.ErrorCategory;
import io.sfsync.salesforce.metrics.CallKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** sObject Collections writes against the org: chunking, input order, partial failures, upsert flags, delete. */
class CollectionsWriterTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension(b -> b.dailyApiRequests(100_000));

    static SalesforceClient sf;

    @BeforeAll
    static void connect() {
        sf = TestSupport.client(SF.emulator()).build();
    }

    @AfterAll
    static void close() {
        sf.close();
    }

    @BeforeEach
    void resetStats() {
        SF.emulator().org().writeStats().reset();
        SF.emulator().faults().reset();
    }

    private static SObjectType type(String name) {
        return SF.emulator().schema().find(name).orElseThrow();
    }

    private static List<SObjectRecord> accounts(String prefix, int n) {
        List<SObjectRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(SObjectRecord.of("Account", Map.of("Name", prefix + " " + i)));
        }
        return out;
    }

    @Test
    void fourHundredFiftyRecordsGoOutInThreeCallsOf200_200_50() {
        long before = SF.emulator().org().count(type("Account"));
        List<SaveOutcome> out = sf.collections().create(accounts("Chunked", 450));

        assertThat(out).hasSize(450).allSatisfy(o -> assertThat(o.success()).isTrue());
        assertThat(out).extracting(SaveOutcome::index).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 450).boxed().toList());
        assertThat(out).extracting(SaveOutcome::id).doesNotHaveDuplicates().allMatch(id -> id.startsWith("001"));
        assertThat(SF.emulator().org().writeStats().callsBySize()).containsExactlyInAnyOrderEntriesOf(
                Map.of(200, 2L, 50, 1L));
        assertThat(SF.emulator().org().count(type("Account")) - before).isEqualTo(450);
        assertThat(sf.metrics().maxRecordsPerCall()).isEqualTo(200);
    }

    @Test
    void partialFailuresComeBackInInputOrder() {
        List<SObjectRecord> records = List.of(
                SObjectRecord.of("Account", Map.of("Name", "Good 0")),
                SObjectRecord.of("Account", Map.of("Phone", "no name")),
                SObjectRecord.of("Account", Map.of("Name", "Good 2")),
                SObjectRecord.of("Account", Map.of("Name", "Bad tier", "Tier__c", "Diamond")),
                SObjectRecord.of("Account", Map.of("Name", "x".repeat(300))),
                SObjectRecord.of("Account", Map.of("Name", "Good 5")));
        List<SaveOutcome> out = sf.collections().create(records);

        assertThat(out).extracting(SaveOutcome::success).containsExactly(true, false, true, false, false, true);
        assertThat(out.get(1).statusCode()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(out.get(1).errors().get(0).fields()).contains("Name");
        assertThat(out.get(3).statusCode()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(out.get(4).statusCode()).isEqualTo("STRING_TOO_LONG");
        assertThat(out).filteredOn(o -> !o.success()).allSatisfy(o -> {
            assertThat(o.retriable()).isFalse();
            assertThat(o.errors().get(0).category()).isEqualTo(ErrorCategory.RECORD);
        });
        assertThat(out.get(0).id()).isNotNull();
        assertThat(SF.emulator().org().writeStats().callsBySize()).isEqualTo(Map.of(6, 1L));
    }

    @Test
    void allOrNoneRollsBackTheChunk() {
        long before = SF.emulator().org().count(type("Account"));
        List<SaveOutcome> out = sf.collections().create(List.of(
                SObjectRecord.of("Account", Map.of("Name", "Would be created")),
                SObjectRecord.of("Account", Map.of("Phone", "no name"))), WriteOptions.defaults().withAllOrNone(true));
        assertThat(out.get(0).statusCode()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(out.get(1).statusCode()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(SF.emulator().org().count(type("Account"))).isEqualTo(before);
        assertThat(SF.emulator().org().writeStats().calls()).isEqualTo(1); // the rolled-back record is not resent
    }

    @Test
    void upsertByExternalIdReportsCreatedThenUpdated() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<SObjectRecord> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(SObjectRecord.of("Account", Map.of("External_Id__c", run + "-" + i, "Name", "Upsert " + i)));
        }
        List<SaveOutcome> created = sf.collections().upsert("Account", "External_Id__c", first);
        assertThat(created).allSatisfy(o -> {
            assertThat(o.success()).isTrue();
            assertThat(o.created()).isTrue();
        });

        List<SObjectRecord> second = new ArrayList<>(first.subList(0, 3));
        second.add(1, SObjectRecord.of("Account", Map.of("External_Id__c", run + "-new", "Name", "Brand new")));
        List<SaveOutcome> mixed = sf.collections().upsert("Account", "External_Id__c", second);
        assertThat(mixed).extracting(SaveOutcome::created).containsExactly(false, true, false, false);
        assertThat(mixed.get(0).id()).isEqualTo(created.get(0).id());
        assertThat(mixed.get(2).id()).isEqualTo(created.get(1).id());
        assertThat(SF.emulator().org().lookup(type("Account"), type("Account").field("External_Id__c")
                .orElseThrow(), run + "-0")).hasSize(1);
    }

    @Test
    void updateAndDeleteReturnPerRecordOutcomes() {
        List<SaveOutcome> created = sf.collections().create(accounts("ToUpdate", 3));
        List<SObjectRecord> updates = new ArrayList<>();
        for (SaveOutcome o : created) {
            updates.add(SObjectRecord.of("Account", Map.of("Id", o.id(), "Phone", "555-0100")));
        }
        Map<String, Object> bad = new HashMap<>();
        bad.put("Id", "001xx000003DGb2999");
        updates.add(1, SObjectRecord.of("Contact", bad));
        List<SaveOutcome> updated = sf.collections().update(updates);
        assertThat(updated).extracting(SaveOutcome::success).containsExactly(true, false, true, true);
        assertThat(updated.get(1).statusCode()).isEqualTo("MALFORMED_ID");
        ObjectNode row = sf.records().get("Account", created.get(2).id(), List.of("Phone"));
        assertThat(row.path("Phone").asText()).isEqualTo("555-0100");

        List<String> ids = new ArrayList<>(created.stream().map(SaveOutcome::id).toList());
        List<SaveOutcome> deleted = sf.collections().delete(ids);
        assertThat(deleted).allSatisfy(o -> assertThat(o.success()).isTrue());
        List<SaveOutcome> again = sf.collections().delete(ids.subList(0, 1));
        assertThat(again.get(0).success()).isFalse();
        assertThat(again.get(0).statusCode()).isEqualTo("ENTITY_IS_DELETED");
    }

    @Test
    void compositeResolvesReferencesInOneCall() {
        long before = SF.emulator().limits().used();
        CompositeResult result = sf.composite().execute(CompositeRequest.builder().allOrNone(true)
                .add("POST", "/sobjects/Account", "acct", Map.of("Name", "Composite parent"))
                .add("POST", "/sobjects/Contact", "contact", Map.of("LastName", "Child", "AccountId", "@{acct.id}"))
                .add("GET", "/sobjects/Contact/@{contact.id}?fields=AccountId", "check", null)
                .build());
        assertThat(result.allSucceeded()).isTrue();
        String accountId = result.byReference("acct").orElseThrow().id();
        assertThat(result.byReference("check").orElseThrow().body().path("AccountId").asText()).isEqualTo(accountId);
        assertThat(result.byReference("acct").orElseThrow().httpHeaders()).containsKey("Location");
        assertThat(SF.emulator().limits().used() - before).isEqualTo(1);
        assertThat(sf.metrics().calls(CallKind.COMPOSITE)).isPositive();
    }

    @Test
    void compositeAllOrNoneFailureHaltsTheOthers() {
        CompositeResult result = sf.composite().execute(CompositeRequest.builder().allOrNone(true)
                .add("POST", "/sobjects/Account", "ok", Map.of("Name", "Rolled back"))
                .add("POST", "/sobjects/Account", "bad", Map.of("Phone", "no name"))
                .build());
        assertThat(result.allSucceeded()).isFalse();
        var ok = result.byReference("ok").orElseThrow();
        assertThat(ok.errors().get(0).errorCode()).isEqualTo("PROCESSING_HALTED");
        assertThat(ok.category()).isEqualTo(ErrorCategory.RETRIABLE);
        var bad = result.byReference("bad").orElseThrow();
        assertThat(bad.errors().get(0).errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(bad.category()).isEqualTo(ErrorCategory.RECORD);
    }

    @Test
    void compositeRefusesMoreThan25Subrequests() {
        CompositeRequest.Builder b = CompositeRequest.builder();
        for (int i = 0; i < 26; i++) {
            b.add("GET", "/limits", "r" + i, null);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("25");
    }

    @Test
    void singleRecordUpsertSays201CreatedThen200Updated() {
        String ext = "single-" + UUID.randomUUID();
        var first = sf.records().upsert("Contact", "External_Id__c", ext, Map.of("LastName", "Hopper"));
        var second = sf.records().upsert("Contact", "External_Id__c", ext, Map.of("LastName", "Hopper 2"));
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.id()).isEqualTo(first.id());
    }

    @Test
    @SuppressWarnings("unchecked")
    void writesCarryTheCallOptionsClientIntoTheChangeOrigin() {
        SF.emulator().org().enableChangeEvents("Account", true);
        long last = SF.emulator().events().lastReplayId();
        sf.collections().create(accounts("Origin", 1));
        var events = SF.emulator().events().after(last, java.util.Set.of("Account"), 10);
        assertThat(events).isNotEmpty();
        Map<String, Object> payload = (Map<String, Object>) events.get(0).data().get("payload");
        Map<String, Object> header = (Map<String, Object>) payload.get("ChangeEventHeader");
        assertThat((String) header.get("changeOrigin")).endsWith(";client=" + TestSupport.CALL_CLIENT);
    }
}
