package io.sfsync.salesforce.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfsync.salesforce.error.ErrorClassifier;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.http.Json;
import io.sfsync.salesforce.http.RestRequest;
import io.sfsync.salesforce.http.RestResponse;
import io.sfsync.salesforce.http.RestTransport;
import io.sfsync.salesforce.metrics.CallKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * sObject Collections writes: create, update, upsert by External ID and delete, in calls of at most
 * {@value #MAX_RECORDS_PER_CALL} records (one counted API call each). The outcomes come back one per input record,
 * in input order, whatever the chunking. Records that failed only for transient reasons ({@code UNABLE_TO_LOCK_ROW})
 * are resubmitted after a back-off, up to {@link WriteOptions#recordRetries()} times (with {@code allOrNone}, the
 * whole chunk, and only when no record in it was rejected for good); whole calls that fail transiently (503, I/O)
 * are retried by the governor.
 *
 * <p>A whole call retried after an ambiguous failure (the connection dropped after Salesforce committed) may create
 * twice: use {@link #upsert} by an External ID for exactly-once creates.
 */
public final class CollectionsWriter {

    public static final int MAX_RECORDS_PER_CALL = 200;
    private static final Logger LOG = LoggerFactory.getLogger(CollectionsWriter.class);

    private enum Op { CREATE, UPDATE, UPSERT, DELETE }

    private final RestTransport transport;

    public CollectionsWriter(RestTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    public List<SaveOutcome> create(List<SObjectRecord> records) {
        return create(records, WriteOptions.defaults());
    }

    /** Creates records (several types may be mixed). The fields must not include {@code Id}. */
    public List<SaveOutcome> create(List<SObjectRecord> records, WriteOptions options) {
        return write(Op.CREATE, null, null, records, options);
    }

    public List<SaveOutcome> update(List<SObjectRecord> records) {
        return update(records, WriteOptions.defaults());
    }

    /** Updates records by their {@code Id} field; only the fields given are changed. */
    public List<SaveOutcome> update(List<SObjectRecord> records, WriteOptions options) {
        return write(Op.UPDATE, null, null, records, options);
    }

    public List<SaveOutcome> upsert(String type, String externalIdField, List<SObjectRecord> records) {
        return upsert(type, externalIdField, records, WriteOptions.defaults());
    }

    /**
     * Upserts records of one type by an External ID field (which each record must carry); each outcome says whether
     * the record was created.
     */
    public List<SaveOutcome> upsert(String type, String externalIdField, List<SObjectRecord> records,
                                    WriteOptions options) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(externalIdField, "externalIdField");
        for (SObjectRecord r : records) {
            if (!r.type().equalsIgnoreCase(type)) {
                throw new IllegalArgumentException("upsert of " + type + " got a " + r.type() + " record");
            }
        }
        return write(Op.UPSERT, type, externalIdField, records, options);
    }

    public List<SaveOutcome> delete(List<String> ids) {
        return delete(ids, WriteOptions.defaults());
    }

    /** Deletes records by id. */
    public List<SaveOutcome> delete(List<String> ids, WriteOptions options) {
        List<SObjectRecord> asRecords = ids.stream().map(id -> SObjectRecord.of("", Map.of("Id", id))).toList();
        return write(Op.DELETE, null, null, asRecords, options);
    }

    private List<SaveOutcome> write(Op op, String type, String field, List<SObjectRecord> records,
                                    WriteOptions options) {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(options, "options");
        SaveOutcome[] out = new SaveOutcome[records.size()];
        for (int from = 0; from < records.size(); from += MAX_RECORDS_PER_CALL) {
            int to = Math.min(records.size(), from + MAX_RECORDS_PER_CALL);
            List<Integer> pending = new ArrayList<>();
            for (int i = from; i < to; i++) {
                pending.add(i);
            }
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                List<SaveOutcome> results = sendChunk(op, type, field, records, pending, options.allOrNone());
                List<Integer> again = new ArrayList<>();
                for (SaveOutcome r : results) {
                    out[r.index()] = r;
                    if (r.retriable() && attempt < options.recordRetries()) {
                        again.add(r.index());
                    }
                }
                if (options.allOrNone() && !again.isEmpty()) {
                    // All or none: resubmit the whole chunk, and only if no record was rejected for good.
                    boolean onlyTransient = results.stream().allMatch(r -> r.success() || r.retriable());
                    again = onlyTransient ? pending : List.of();
                }
                if (!again.isEmpty()) {
                    LOG.debug("{}: {} of {} records failed transiently ({}), resubmitting", op, again.size(),
                            pending.size(), out[again.get(0)].statusCode());
                    transport.governor().backOff(attempt);
                }
                pending = again;
            }
        }
        return Arrays.asList(out);
    }

    private List<SaveOutcome> sendChunk(Op op, String type, String field, List<SObjectRecord> records,
                                        List<Integer> indices, boolean allOrNone) {
        RestRequest request;
        if (op == Op.DELETE) {
            String ids = indices.stream().map(i -> RestRequest.encode(records.get(i).id()))
                    .collect(Collectors.joining(","));
            request = RestRequest.of("DELETE", "/composite/sobjects?ids=" + ids + "&allOrNone=" + allOrNone, null);
        } else {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("allOrNone", allOrNone);
            ArrayNode list = body.putArray("records");
            for (int i : indices) {
                SObjectRecord r = records.get(i);
                ObjectNode rec = list.addObject();
                rec.putObject("attributes").put("type", r.type());
                rec.setAll((ObjectNode) Json.MAPPER.valueToTree(r.fields()));
            }
            String method = op == Op.CREATE ? "POST" : "PATCH";
            String path = op == Op.UPSERT
                    ? "/composite/sobjects/" + RestRequest.encode(type) + "/" + RestRequest.encode(field)
                    : "/composite/sobjects";
            request = RestRequest.of(method, path, Json.write(body));
        }
        RestResponse response = transport.send(CallKind.COLLECTIONS, request);
        JsonNode results = response.json();
        if (!results.isArray() || results.size() != indices.size()) {
            throw new FatalSalesforceException(request.describe() + ": expected " + indices.size()
                    + " results, got " + (results.isArray() ? results.size() : "no array"), response.status(),
                    List.of(), null);
        }
        List<SaveOutcome> outcomes = new ArrayList<>(indices.size());
        int failed = 0;
        for (int k = 0; k < indices.size(); k++) {
            SaveOutcome o = parse(indices.get(k), results.get(k));
            if (!o.success()) {
                failed++;
            }
            outcomes.add(o);
        }
        transport.metrics().recordWriteCall(CallKind.COLLECTIONS, indices.size(), failed);
        return outcomes;
    }

    static SaveOutcome parse(int index, JsonNode r) {
        List<RecordError> errors = new ArrayList<>();
        for (JsonNode e : r.path("errors")) {
            var err = ErrorClassifier.parseError(e);
            errors.add(new RecordError(err.errorCode(), err.message(), err.fields(),
                    ErrorClassifier.classifyRecordError(err.errorCode())));
        }
        JsonNode id = r.get("id");
        JsonNode created = r.get("created");
        return new SaveOutcome(index, id == null || id.isNull() ? null : id.asText(), r.path("success").asBoolean(),
                created == null || created.isNull() ? null : created.asBoolean(), errors);
    }
}
