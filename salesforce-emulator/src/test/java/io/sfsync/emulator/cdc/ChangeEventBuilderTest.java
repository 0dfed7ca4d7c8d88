package io.sfsync.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.sfsync.emulator.data.ChangeOrigin;
import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.data.WriteContext;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.Schema;
import io.sfsync.emulator.model.StandardObjects;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merging of one transaction's record changes into change events, driven directly on the builder: identical changes
 * of many records share one event, different changes stay apart, and events keep the order of their first record.
 */
class ChangeEventBuilderTest {

    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant COMMIT = Instant.parse("2026-01-02T03:04:05Z");
    static final WriteContext CTX = new WriteContext("005000000000001AAA", ChangeOrigin.rest("62.0", "bench"));

    final Schema schema = new Schema();
    final SObjectType account;
    final SObjectType contact;

    ChangeEventBuilderTest() {
        StandardObjects.addTo(schema, CREATED);
        account = schema.find("Account").orElseThrow();
        contact = schema.find("Contact").orElseThrow();
    }

    static String id(String prefix, int n) {
        return String.format("%s%015d", prefix, n);
    }

    static StoredRecord record(SObjectType type, String id, Map<String, Object> values) {
        Map<String, Object> v = new HashMap<>(values);
        v.put("CreatedDate", CREATED);
        v.putIfAbsent("LastModifiedDate", CREATED);
        return new StoredRecord(type, id, v, false);
    }

    /** The record after an update committed at COMMIT: the given values changed, LastModifiedDate moved on. */
    static StoredRecord updated(StoredRecord before, Map<String, Object> changes) {
        Map<String, Object> v = new HashMap<>(before.storedValues());
        v.putAll(changes);
        v.put("LastModifiedDate", COMMIT);
        return before.withValues(v);
    }

    static Map<String, Object> values(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> payload(ChangeEventLog.Pending p) {
        return (Map<String, Object>) p.dataWithoutEvent().get("payload");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> header(ChangeEventLog.Pending p) {
        return (Map<String, Object>) payload(p).get("ChangeEventHeader");
    }

    @Test
    void identicalChangesOfManyRecordsShareOneEventAndDifferentOnesStayApartInOrder() {
        ChangeEventBuilder builder = new ChangeEventBuilder(COMMIT, CTX, 7);
        List<String> energy = new ArrayList<>();
        List<String> retail = new ArrayList<>();
        List<String> cleared = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<String> contacts = new ArrayList<>();
        // 200 records of one Collections call, the four kinds of change interleaved, so that merging has to find
        // a draft made many records earlier, not just the previous one.
        for (int i = 0; i < 200; i++) {
            String id = id("001", i);
            StoredRecord before = record(account, id, values("Name", "Acme " + i, "Industry", "Banking"));
            switch (i % 4) {
                case 0 -> {
                    builder.add(before, updated(before, values("Industry", "Energy")));
                    energy.add(id);
                }
                case 1 -> {
                    builder.add(before, updated(before, values("Industry", "Retail")));
                    retail.add(id);
                }
                case 2 -> {
                    builder.add(before, updated(before, values("Industry", null)));
                    cleared.add(id);
                }
                default -> {
                    builder.add(before, before.withDeleted(true));
                    deleted.add(id);
                }
            }
            if (i % 50 == 0) {
                // Same field and value on another object type: never merged with the Account change.
                String cid = id("003", i);
                StoredRecord c = record(contact, cid, values("LastName", "Doe", "Title", "Banking"));
                builder.add(c, updated(c, values("Title", "Energy")));
                contacts.add(cid);
            }
        }
        // A different value of the same field, after all the others: its own event, last.
        StoredRecord late = record(account, id("001", 999), values("Name", "Late", "Industry", "Banking"));
        builder.add(late, updated(late, values("Industry", "Energy ")));

        List<ChangeEventLog.Pending> events = builder.build();

        assertThat(events).extracting(ChangeEventLog.Pending::entityName, ChangeEventLog.Pending::changeType,
                ChangeEventLog.Pending::recordIds).containsExactly(
                tuple("Account", "UPDATE", energy),
                tuple("Contact", "UPDATE", contacts),
                tuple("Account", "UPDATE", retail),
                tuple("Account", "UPDATE", cleared),
                tuple("Account", "DELETE", deleted),
                tuple("Account", "UPDATE", List.of(late.id())));
        assertThat(events).extracting(e -> header(e).get("sequenceNumber")).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(events).extracting(e -> header(e).get("recordIds")).containsExactly(energy, contacts, retail,
                cleared, deleted, List.of(late.id()));
        assertThat(events).extracting(e -> header(e).get("transactionKey")).containsOnly(header(events.get(0))
                .get("transactionKey"));
        assertThat(events).extracting(e -> header(e).get("commitNumber")).containsOnly(7L);

        assertThat(payload(events.get(0))).containsEntry("Industry", "Energy").doesNotContainKey("Name");
        assertThat(header(events.get(0)).get("changedFields")).as("describe order").isEqualTo(List.of("LastModifiedDate", "Industry"));
        assertThat(payload(events.get(1))).containsEntry("Title", "Energy");
        assertThat(payload(events.get(3))).containsEntry("Industry", null);
        assertThat(header(events.get(3)).get("nulledFields")).isEqualTo(List.of("Industry"));
        assertThat(header(events.get(2)).get("nulledFields")).isEqualTo(List.of());
        assertThat(payload(events.get(4))).containsOnlyKeys("ChangeEventHeader");
        assertThat(payload(events.get(5))).containsEntry("Industry", "Energy ");
    }

    @Test
    void createsMergeOnlyWhenEveryFieldIsEqual() {
        ChangeEventBuilder builder = new ChangeEventBuilder(COMMIT, CTX, 1);
        for (int i = 0; i < 6; i++) {
            // Names A, B, A, B, A, B: two events of three records each.
            builder.add(null, record(account, id("001", i), values("Name", i % 2 == 0 ? "A" : "B")));
        }
        builder.add(null, record(account, id("001", 6), values("Name", "A", "Phone", "555")));
        StoredRecord createdAndDeleted = record(account, id("001", 7), values("Name", "A"));
        builder.add(null, createdAndDeleted.withDeleted(true));

        List<ChangeEventLog.Pending> events = builder.build();

        assertThat(events).extracting(ChangeEventLog.Pending::changeType, ChangeEventLog.Pending::recordIds)
                .containsExactly(
                        tuple("CREATE", List.of(id("001", 0), id("001", 2), id("001", 4))),
                        tuple("CREATE", List.of(id("001", 1), id("001", 3), id("001", 5))),
                        tuple("CREATE", List.of(id("001", 6))));
        assertThat(payload(events.get(0))).containsEntry("Name", "A");
        assertThat(payload(events.get(1))).containsEntry("Name", "B");
    }

    @Test
    void schemaIdIsTheSamePerTypeAndChangesWithItsFields() {
        ChangeEventBuilder first = new ChangeEventBuilder(COMMIT, CTX, 1);
        for (int i = 0; i < 3; i++) {
            first.add(null, record(account, id("001", i), values("Name", "N" + i)));
            first.add(null, record(contact, id("003", i), values("LastName", "L" + i)));
        }
        List<ChangeEventLog.Pending> before = first.build();
        assertThat(before).hasSize(6);
        String accountSchema = ChangeEventBuilder.schemaId(account);
        String contactSchema = ChangeEventBuilder.schemaId(contact);
        assertThat(accountSchema).hasSize(22).isNotEqualTo(contactSchema);
        assertThat(before).extracting(e -> e.dataWithoutEvent().get("schema")).containsExactly(accountSchema,
                contactSchema, accountSchema, contactSchema, accountSchema, contactSchema);

        account.putField(FieldDef.builder("Tier__c", FieldType.STRING).custom(true).build(), COMMIT);
        ChangeEventBuilder second = new ChangeEventBuilder(COMMIT, CTX, 2);
        second.add(null, record(account, id("001", 10), values("Name", "After")));
        String changed = (String) second.build().get(0).dataWithoutEvent().get("schema");
        assertThat(changed).as("a new field is a new schema").isNotEqualTo(accountSchema)
                .isEqualTo(ChangeEventBuilder.schemaId(account));
    }
}
