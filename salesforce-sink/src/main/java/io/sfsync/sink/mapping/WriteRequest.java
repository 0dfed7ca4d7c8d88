package io.sfsync.sink.mapping;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One write to make in Salesforce for one Kafka record.
 *
 * @param object   the sObject's API name as describe spells it
 * @param kind     upsert by External ID, update by Id, or delete (by Id when known, else by External ID)
 * @param key      the External ID value (the Postgres key), never null
 * @param sfid     the Salesforce Id when the row knows it, else null
 * @param fields   the fields to send by API name (for upserts the External ID field included; never the Id)
 */
public record WriteRequest(String object, Kind kind, String key, String sfid, Map<String, Object> fields) {

    public enum Kind { UPSERT, UPDATE, DELETE }

    public WriteRequest {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Identifies the Salesforce record across writes: object and key. */
    public String recordIdentity() {
        return object.toLowerCase(java.util.Locale.ROOT) + "/" + key;
    }

    @Override
    public String toString() {
        return "WriteRequest[" + kind + " " + object + " " + fields.keySet() + "]";
    }
}
