package io.sfsync.smt;

import static io.sfsync.smt.Changes.change;
import static io.sfsync.smt.Changes.row;
import static io.sfsync.smt.Changes.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * Pending state is in memory: a conflict whose Postgres side was seen by a task before a restart and whose
 * Salesforce side arrives after it meets no pending value, so it is resolved as postgres-wins without a conflict
 * record (docs/LOOP.md, last paragraph).
 */
class RestartTest {

    static final Instant PG_EDIT = Instant.parse("2026-11-22T10:00:00Z");

    private final List<MockProducer<byte[], byte[]>> producers = new ArrayList<>();

    PostgresConflictTransform start() {
        PostgresConflictTransform transform = new PostgresConflictTransform(settings -> {
            MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                    new ByteArraySerializer());
            producers.add(producer);
            return producer;
        }, Clock.systemUTC());
        transform.configure(Map.of("conflicts.bootstrap.servers", "b:9092"));
        return transform;
    }

    @Test
    void secondHalfOfAConflictAfterARestartIsDroppedWithoutConflictRecord() {
        Struct synced = row("id", "a1", "rating", "Hot", "_sync_version", "cdc:1", "_sync_fields", "*",
                "_sync_modified_at", PG_EDIT.minusSeconds(3600));
        Struct edited = with(synced, "rating", "Warm");
        Struct salesforce = with(edited, "rating", "Cold", "_sync_version", "cdc:2", "_sync_fields", "rating",
                "_sync_modified_at", PG_EDIT.plusSeconds(1));

        PostgresConflictTransform before = start();
        assertThat(before.apply(change("u", synced, edited, PG_EDIT))).isNotNull();
        before.close();

        PostgresConflictTransform after = start();
        try {
            SourceRecord out = after.apply(change("u", edited, salesforce, PG_EDIT.plusSeconds(2)));

            assertThat(out).isNull();
            assertThat(after.metrics().getConflicts()).isZero();
            assertThat(after.metrics().getDroppedSalesforceOrigin()).isEqualTo(1);
            assertThat(producers.get(1).history()).isEmpty();
        } finally {
            after.close();
        }
    }

    @Test
    void theSameConflictWithoutRestartIsRecorded() {
        // the control case of the test above: it proves that sequence is a conflict when state survives
        Struct synced = row("id", "a1", "rating", "Hot", "_sync_version", "cdc:1", "_sync_fields", "*",
                "_sync_modified_at", PG_EDIT.minusSeconds(3600));
        Struct edited = with(synced, "rating", "Warm");
        Struct salesforce = with(edited, "rating", "Cold", "_sync_version", "cdc:2", "_sync_fields", "rating",
                "_sync_modified_at", PG_EDIT.plusSeconds(1));
        PostgresConflictTransform transform = start();
        try {
            transform.apply(change("u", synced, edited, PG_EDIT));
            assertThat(transform.apply(change("u", edited, salesforce, PG_EDIT.plusSeconds(2)))).isNotNull();
            assertThat(producers.get(0).history()).hasSize(1);
        } finally {
            transform.close();
        }
    }
}
