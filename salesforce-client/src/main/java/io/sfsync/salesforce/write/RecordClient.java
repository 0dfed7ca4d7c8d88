package io.sfsync.salesforce.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfsync.salesforce.http.Json;
import io.sfsync.salesforce.http.RestRequest;
import io.sfsync.salesforce.http.RestResponse;
import io.sfsync.salesforce.http.RestTransport;
import io.sfsync.salesforce.metrics.CallKind;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Single-record REST calls. Failures are {@link io.sfsync.salesforce.error.SalesforceException}s: a rejected record
 * (validation, bad id, several External ID matches) is RECORD, an unknown object FATAL.
 */
public final class RecordClient {

    private final RestTransport transport;

    public RecordClient(RestTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** Upsert answer: the record id and whether it was created. */
    public record UpsertResult(String id, boolean created) {
    }

    /** The record's fields (all, or only those named). */
    public ObjectNode get(String type, String id, List<String> fields) {
        String path = "/sobjects/" + RestRequest.encode(type) + "/" + RestRequest.encode(id)
                + (fields == null || fields.isEmpty() ? "" : "?fields=" + RestRequest.encode(String.join(",", fields)));
        return (ObjectNode) transport.send(CallKind.RECORD, RestRequest.get(path)).json();
    }

    /** Creates a record; returns its id. */
    public String create(String type, Map<String, Object> fields) {
        RestResponse r = transport.send(CallKind.RECORD,
                RestRequest.of("POST", "/sobjects/" + RestRequest.encode(type), Json.write(fields)));
        transport.metrics().recordWriteCall(CallKind.RECORD, 1, 0);
        return r.json().path("id").asText();
    }

    public void update(String type, String id, Map<String, Object> fields) {
        transport.send(CallKind.RECORD, RestRequest.of("PATCH",
                "/sobjects/" + RestRequest.encode(type) + "/" + RestRequest.encode(id), Json.write(fields)));
        transport.metrics().recordWriteCall(CallKind.RECORD, 1, 0);
    }

    public void delete(String type, String id) {
        transport.send(CallKind.RECORD, RestRequest.of("DELETE",
                "/sobjects/" + RestRequest.encode(type) + "/" + RestRequest.encode(id), null));
        transport.metrics().recordWriteCall(CallKind.RECORD, 1, 0);
    }

    /** Upsert by External ID: 201 created, 200 updated; 300 (several matches) is a RECORD error. */
    public UpsertResult upsert(String type, String externalIdField, String externalId, Map<String, Object> fields) {
        RestResponse r = transport.send(CallKind.RECORD, RestRequest.of("PATCH", "/sobjects/" + RestRequest.encode(type)
                + "/" + RestRequest.encode(externalIdField) + "/" + RestRequest.encode(externalId), Json.write(fields)));
        transport.metrics().recordWriteCall(CallKind.RECORD, 1, 0);
        if (r.status() == 204) {
            return new UpsertResult(null, false); // API v45 and earlier
        }
        JsonNode body = r.json();
        return new UpsertResult(body.path("id").asText(null), body.path("created").asBoolean(r.status() == 201));
    }
}
