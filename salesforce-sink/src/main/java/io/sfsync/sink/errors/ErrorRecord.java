package io.sfsync.sink.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One rejected record as it goes to the errors topic, in the JSON-with-schema form of Kafka's JsonConverter
 * ({@code {"schema": ..., "payload": ...}}, {@code schemas.enable=true}), so a JDBC sink (Debezium's, with
 * {@code primary.key.mode=record_key}) lands it in a Postgres errors table with one row per failed Kafka record:
 *
 * <pre>
 * key:   source_topic text, source_partition int, source_offset bigint            (the primary key)
 * value: source_topic, source_partition, source_offset, sobject, record_key, sfid, operation,
 *        error_code text, error_message text, failed_at timestamp
 * </pre>
 * {@code record_key} is the Postgres key (the External ID value); {@code operation} is UPSERT, UPDATE, DELETE or
 * INPUT (the change could not be read or mapped).
 */
public record ErrorRecord(String sourceTopic, int sourcePartition, long sourceOffset, String sobject,
                          String recordKey, String sfid, String operation, String errorCode, String errorMessage,
                          Instant failedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] keyJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode schema = root.putObject("schema");
        schema.put("type", "struct").put("optional", false).put("name", "io.sfsync.sink.ErrorKey");
        ArrayNode fields = schema.putArray("fields");
        field(fields, "source_topic", "string", false, null);
        field(fields, "source_partition", "int32", false, null);
        field(fields, "source_offset", "int64", false, null);
        ObjectNode payload = root.putObject("payload");
        payload.put("source_topic", sourceTopic).put("source_partition", sourcePartition)
                .put("source_offset", sourceOffset);
        return bytes(root);
    }

    public byte[] valueJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode schema = root.putObject("schema");
        schema.put("type", "struct").put("optional", false).put("name", "io.sfsync.sink.ErrorValue");
        ArrayNode fields = schema.putArray("fields");
        field(fields, "source_topic", "string", false, null);
        field(fields, "source_partition", "int32", false, null);
        field(fields, "source_offset", "int64", false, null);
        field(fields, "sobject", "string", true, null);
        field(fields, "record_key", "string", true, null);
        field(fields, "sfid", "string", true, null);
        field(fields, "operation", "string", true, null);
        field(fields, "error_code", "string", false, null);
        field(fields, "error_message", "string", true, null);
        field(fields, "failed_at", "int64", false, "org.apache.kafka.connect.data.Timestamp");
        ObjectNode p = root.putObject("payload");
        p.put("source_topic", sourceTopic).put("source_partition", sourcePartition).put("source_offset", sourceOffset);
        p.put("sobject", sobject).put("record_key", recordKey).put("sfid", sfid).put("operation", operation);
        p.put("error_code", errorCode).put("error_message", errorMessage).put("failed_at", failedAt.toEpochMilli());
        return bytes(root);
    }

    private static void field(ArrayNode fields, String name, String type, boolean optional, String logical) {
        ObjectNode f = fields.addObject();
        f.put("field", name).put("type", type).put("optional", optional);
        if (logical != null) {
            f.put("name", logical).put("version", 1);
        }
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
