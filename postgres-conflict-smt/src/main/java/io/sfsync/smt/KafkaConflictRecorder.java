package io.sfsync.smt;

import java.time.Duration;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces each conflict to the conflicts topic as JSON with schemas (Kafka's {@code JsonConverter}), keyed by
 * {@code conflict_id}, so that Debezium's JDBC sink ({@code insert.mode=upsert}, {@code primary.key.mode=record_key},
 * {@code schema.evolution=basic}) lands it in a table and a redelivered conflict upserts the same row.
 * Sends are asynchronous; a failure is logged (without values) and counted.
 */
final class KafkaConflictRecorder implements ConflictRecorder {

    private static final Logger log = LoggerFactory.getLogger(KafkaConflictRecorder.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    static final Schema KEY_SCHEMA = SchemaBuilder.struct().name("io.sfsync.smt.ConflictKey")
            .field("conflict_id", Schema.STRING_SCHEMA)
            .build();

    static final Schema VALUE_SCHEMA = SchemaBuilder.struct().name("io.sfsync.smt.Conflict")
            .field("conflict_id", Schema.STRING_SCHEMA)
            .field("detected_at", Timestamp.SCHEMA)
            .field("source_topic", Schema.STRING_SCHEMA)
            .field("record_key", Schema.OPTIONAL_STRING_SCHEMA)
            .field("sfid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("column_name", Schema.STRING_SCHEMA)
            .field("postgres_value", Schema.OPTIONAL_STRING_SCHEMA)
            .field("salesforce_value", Schema.OPTIONAL_STRING_SCHEMA)
            .field("postgres_changed_at", Timestamp.builder().optional().build())
            .field("salesforce_changed_at", Timestamp.builder().optional().build())
            .field("policy", Schema.STRING_SCHEMA)
            .field("winner", Schema.STRING_SCHEMA)
            .build();

    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final TransformMetrics metrics;
    private final JsonConverter keyConverter = new JsonConverter();
    private final JsonConverter valueConverter = new JsonConverter();

    KafkaConflictRecorder(String topic, Producer<byte[], byte[]> producer, TransformMetrics metrics) {
        this.topic = topic;
        this.producer = producer;
        this.metrics = metrics;
        keyConverter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "true"), true);
        valueConverter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "true"), false);
    }

    @Override
    public void record(Conflict conflict) {
        Struct key = new Struct(KEY_SCHEMA).put("conflict_id", conflict.conflictId());
        Struct value = new Struct(VALUE_SCHEMA)
                .put("conflict_id", conflict.conflictId())
                .put("detected_at", Date.from(conflict.detectedAt()))
                .put("source_topic", conflict.sourceTopic())
                .put("record_key", conflict.recordKey())
                .put("sfid", conflict.sfid())
                .put("column_name", conflict.column())
                .put("postgres_value", conflict.postgresValue())
                .put("salesforce_value", conflict.salesforceValue())
                .put("postgres_changed_at", date(conflict.postgresChangedAt()))
                .put("salesforce_changed_at", date(conflict.salesforceChangedAt()))
                .put("policy", conflict.policy().value())
                .put("winner", conflict.winner());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                keyConverter.fromConnectData(topic, KEY_SCHEMA, key),
                valueConverter.fromConnectData(topic, VALUE_SCHEMA, value));
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    metrics.conflictSendFailed();
                    log.error("Conflict {} (topic {}, column {}) could not be produced to {}: {}",
                            conflict.conflictId(), conflict.sourceTopic(), conflict.column(), topic, error.toString());
                }
            });
        } catch (RuntimeException e) {
            // send() itself throws for a closed producer or a serialization problem: count it, keep the pipeline
            metrics.conflictSendFailed();
            log.error("Conflict {} (topic {}, column {}) could not be produced to {}: {}",
                    conflict.conflictId(), conflict.sourceTopic(), conflict.column(), topic, e.toString());
        }
    }

    private static Date date(java.time.Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    @Override
    public void close() {
        try {
            producer.flush();
        } finally {
            producer.close(CLOSE_TIMEOUT);
            keyConverter.close();
            valueConverter.close();
        }
    }
}
