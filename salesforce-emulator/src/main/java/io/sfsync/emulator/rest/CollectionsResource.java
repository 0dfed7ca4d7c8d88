package io.sfsync.emulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.data.ApiError;
import io.sfsync.emulator.data.ApiException;
import io.sfsync.emulator.data.DmlResult;
import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.data.Transaction;
import io.sfsync.emulator.http.ApiRequest;
import io.sfsync.emulator.http.ApiResponse;
import io.sfsync.emulator.http.Json;
import io.sfsync.emulator.http.Router;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.SalesforceIds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;

/**
 * sObject Collections ({@code /composite/sobjects}): create, update, upsert and delete of up to 200 records in
 * one counted call. A well-formed request always gets HTTP 200 with one SaveResult per record in request order;
 * with {@code allOrNone} one failure rolls back the rest, which then report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */
public final class CollectionsResource {

    public static final int MAX_RECORDS = 200;

    private final Org org;

    public CollectionsResource(Org org) {
        this.org = org;
    }

    public void register(Router router) {
        router.add("POST", "/composite/sobjects", this::create)
                .add("PATCH", "/composite/sobjects", this::update)
                .add("DELETE", "/composite/sobjects", this::delete)
                .add("GET", "/composite/sobjects/{type}", this::retrieve)
                .add("PATCH", "/composite/sobjects/{type}/{field}", this::upsert);
    }

    private record Body(boolean allOrNone, List<Map<String, Object>> records) {
    }

    private static Body body(ApiRequest req) {
        JsonNode json = req.json();
        JsonNode records = json.get("records");
        if (records == null || !records.isArray()) {
            throw ApiException.badRequest("JSON_PARSER_ERROR", "Invalid JSON: records is required");
        }
        if (records.size() > MAX_RECORDS) {
            throw ApiException.badRequest("EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than " + MAX_RECORDS + " records into this call");
        }
        List<Map<String, Object>> list = new ArrayList<>();
        records.forEach(r -> list.add(Json.toFieldMap(r)));
        return new Body(json.path("allOrNone").asBoolean(false), list);
    }

    @SuppressWarnings("unchecked")
    private static String attributesType(Map<String, Object> record) {
        Object attributes = record.get("attributes");
        if (attributes instanceof Map<?, ?> a && a.get("type") instanceof String t) {
            return t;
        }
        return null;
    }

    private ApiResponse create(ApiRequest req, Matcher m) {
        Body body = body(req);
        return run(req, body.allOrNone(), body.records(), true, (tx, rec) -> {
            String type = attributesType(rec);
            if (type == null) {
                return DmlResult.failed(null, ApiError.of("INVALID_TYPE", "Must specify a type in the attributes"));
            }
            if (rec.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("Id"))) {
                return DmlResult.failed(null, ApiError.of("INVALID_FIELD",
                        "cannot specify Id in an insert call", "Id"));
            }
            if (org.schema().find(type).isEmpty()) {
                return DmlResult.failed(null, ApiError.of("INVALID_TYPE",
                        "sObject type '" + type + "' is not supported."));
            }
            return tx.insert(type, rec);
        });
    }

    private ApiResponse update(ApiRequest req, Matcher m) {
        Body body = body(req);
        return run(req, body.allOrNone(), body.records(), false, (tx, rec) -> {
            Object rawId = rec.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Id"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (rawId == null) {
                return DmlResult.failed(null, ApiError.of("MISSING_ARGUMENT", "Id not specified in an update call"));
            }
            String type = attributesType(rec);
            String id = SalesforceIds.normalize(String.valueOf(rawId));
            SObjectType declared = type == null ? null : org.schema().find(type).orElse(null);
            if (id == null || (declared != null && !id.startsWith(declared.keyPrefix()))) {
                String label = declared != null ? declared.label() : "Record";
                return DmlResult.failed(null, ApiError.of("MALFORMED_ID",
                        label + " ID: id value of incorrect type: " + rawId, "Id"));
            }
            return tx.update(id, rec);
        });
    }

    private ApiResponse upsert(ApiRequest req, Matcher m) {
        SObjectType t = org.schema().find(m.group("type")).orElseThrow(ApiException::notFound);
        Body body = body(req);
        String field = m.group("field");
        return run(req, body.allOrNone(), body.records(), false, (tx, rec) -> {
            FieldDef key = tx.upsertKeyField(t, field);
            return tx.upsert(t.name(), key.name(), null, rec);
        });
    }

    private ApiResponse delete(ApiRequest req, Matcher m) {
        String ids = req.param("ids");
        if (ids == null || ids.isBlank()) {
            throw ApiException.badRequest("MISSING_ARGUMENT", "ids parameter is required");
        }
        List<String> list = Arrays.stream(ids.split(",")).map(String::trim).toList();
        if (list.size() > MAX_RECORDS) {
            throw ApiException.badRequest("EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than " + MAX_RECORDS + " records into this call");
        }
        boolean allOrNone = "true".equalsIgnoreCase(req.param("allOrNone"));
        List<Map<String, Object>> asRecords = list.stream().map(id -> Map.<String, Object>of("Id", id)).toList();
        return run(req, allOrNone, asRecords, false, (tx, rec) -> tx.delete(String.valueOf(rec.get("Id"))));
    }

    private ApiResponse retrieve(ApiRequest req, Matcher m) {
        SObjectType t = org.schema().find(m.group("type")).orElseThrow(ApiException::notFound);
        String ids = req.param("ids");
        String fields = req.param("fields");
        if (ids == null || fields == null) {
            throw ApiException.badRequest("MISSING_ARGUMENT", "ids and fields are required");
        }
        List<FieldDef> selected = new ArrayList<>();
        for (String f : fields.split(",")) {
            selected.add(t.field(f.trim()).orElseThrow(() -> new ApiException(400, ApiError.of("INVALID_FIELD",
                    "No such column '" + f.trim() + "' on sobject of type " + t.name()))));
        }
        List<Object> out = new ArrayList<>();
        for (String raw : ids.split(",")) {
            String id = SalesforceIds.normalize(raw.trim());
            StoredRecord r = id == null ? null : org.byId(id).filter(x -> !x.deleted() && x.type() == t).orElse(null);
            out.add(r == null ? null : RecordJson.of(r, selected, req.apiVersion()));
        }
        return ApiResponse.ok(out);
    }

    private ApiResponse run(ApiRequest req, boolean allOrNone, List<Map<String, Object>> records, boolean creating,
                            BiFunction<Transaction, Map<String, Object>, DmlResult> op) {
        List<DmlResult> results = org.write(req.writeContext(), tx -> {
            List<DmlResult> out = new ArrayList<>();
            for (Map<String, Object> rec : records) {
                out.add(op.apply(tx, rec));
            }
            if (allOrNone && out.stream().anyMatch(r -> !r.success())) {
                tx.setRollbackOnly();
                // Records that would have succeeded report the rollback; a created record never existed.
                out.replaceAll(r -> r.success() ? new DmlResult(creating ? null : r.id(), false, null,
                        List.of(ApiError.rolledBack())) : r);
            }
            return out;
        });
        org.writeStats().recordCall(records.size());
        List<Map<String, Object>> body = new ArrayList<>();
        for (DmlResult r : results) {
            body.add(SObjectResources.saveResult(r));
        }
        return ApiResponse.ok(body);
    }
}
