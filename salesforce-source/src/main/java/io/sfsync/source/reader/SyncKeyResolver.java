package io.sfsync.source.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.query.QueryCursor;
import io.sfsync.source.mapping.ObjectSchema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sync key of records whose change event does not carry the external ID field (UPDATE and DELETE events carry
 * only changed fields). Known keys are remembered (bounded LRU, filled by snapshot rows and CREATE events); the
 * rest are read in batches with {@code queryAll} (deleted records included), 200 ids per call.
 */
public final class SyncKeyResolver {

    private static final int BATCH = 200;
    private final SalesforceClient client;
    private final Map<String, String> known;

    public SyncKeyResolver(SalesforceClient client, int capacity) {
        this.client = client;
        this.known = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void remember(String recordId, String syncKey) {
        if (recordId != null && syncKey != null) {
            known.put(recordId, syncKey);
        }
    }

    /** The key of a row or event value: the external id when set, else the Id. */
    public static String keyOf(String recordId, Object externalIdValue) {
        Object v = externalIdValue instanceof JsonNode n ? (n.isNull() ? null : n.asText()) : externalIdValue;
        return v == null || v.toString().isBlank() ? recordId : v.toString();
    }

    /** The sync keys of {@code ids}; every id gets one (its own Id when the record has no external id value). */
    public Map<String, String> resolve(ObjectSchema schema, Collection<String> ids) {
        Map<String, String> out = new HashMap<>();
        if (schema.externalIdField() == null) {
            ids.forEach(id -> out.put(id, id));
            return out;
        }
        List<String> missing = new ArrayList<>();
        synchronized (this) {
            for (String id : ids) {
                String k = known.get(id);
                if (k != null) {
                    out.put(id, k);
                } else {
                    missing.add(id);
                }
            }
        }
        for (int i = 0; i < missing.size(); i += BATCH) {
            List<String> batch = missing.subList(i, Math.min(missing.size(), i + BATCH));
            String soql = "SELECT Id, " + schema.externalIdField() + " FROM " + schema.object() + " WHERE Id IN ('"
                    + String.join("','", batch.stream().map(s -> s.replace("'", "")).toList()) + "')";
            QueryCursor c = client.query().queryAll(soql);
            while (c.hasNext()) {
                ObjectNode row = c.next();
                String id = row.path("Id").asText();
                String key = keyOf(id, row.get(schema.externalIdField()));
                out.put(id, key);
                remember(id, key);
            }
        }
        ids.forEach(id -> out.putIfAbsent(id, id));
        return out;
    }
}
