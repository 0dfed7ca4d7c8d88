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
 * @param fields   the fields to send by API name (for upserts the External ID field included; never the Id); a
 *                 parent referenced by its External ID is a relationship entry {@code "Account": {"External_Id__c": k}}
 * @param parents  the objects this write references by External ID (written first when in the same batch)
 */
public record WriteRequest(String object, Kind kind, String key, String sfid, Map<String, Object> fields,
                           java.util.Set<String> parents) {

    public enum Kind { UPSERT, UPDATE, DELETE }

    public WriteRequest {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        parents = parents == null ? java.util.Set.of() : java.util.Set.copyOf(parents);
    }

    public WriteRequest(String object, Kind kind, String key, String sfid, Map<String, Object> fields) {
        this(object, kind, key, sfid, fields, java.util.Set.of());
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
