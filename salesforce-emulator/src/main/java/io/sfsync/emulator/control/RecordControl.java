package io.sfsync.emulator.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.data.ApiError;
import io.sfsync.emulator.data.DmlResult;
import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.data.WriteContext;
import io.sfsync.emulator.http.ApiVersions;
import io.sfsync.emulator.http.Json;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.SalesforceIds;
import io.sfsync.emulator.rest.RecordJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Record writes made as a person in the Salesforce UI (the admin user, change origin {@code SfdcInternalAPI}),
 * and a dump of a table. UI writes run through the same write engine as API writes (validation, trigger rules,
 * injected lock failures, change events) but do not count as API calls or API write calls.
 */
final class RecordControl {

    private static final Set<String> BATCH_KEYS = Set.of("operation", "records", "allOrNone");

    private final Org org;
    private final WriteContext ui;

    RecordControl(Org org, WriteContext ui) {
        this.org = org;
        this.ui = ui;
    }

    SObjectType type(String name) {
        return org.schema().find(name).orElseThrow(() -> ControlException.notFound("unknown object '" + name + "'"));
    }

    Map<String, Object> create(String object, JsonBody body) {
        SObjectType t = type(object);
        Map<String, Object> input = Json.toFieldMap(body.node());
        DmlResult r = org.write(ui, tx -> tx.insert(t.name(), input));
        failIfError("cannot create " + t.name(), r);
        return Map.of("id", r.id());
    }

    Map<String, Object> update(String object, String rawId, JsonBody body) {
        SObjectType t = type(object);
        String id = existing(t, rawId).id();
        Map<String, Object> input = Json.toFieldMap(body.node());
        DmlResult r = org.write(ui, tx -> tx.update(id, input));
        failIfError("cannot update " + t.name() + " " + id, r);
        return Map.of("id", id);
    }

    Map<String, Object> delete(String object, String rawId) {
        SObjectType t = type(object);
        String id = existing(t, rawId).id();
        DmlResult r = org.write(ui, tx -> tx.delete(id));
        failIfError("cannot delete " + t.name() + " " + id, r);
        return Map.of("id", id);
    }

    Map<String, Object> undelete(String object, String rawId) {
        SObjectType t = type(object);
        String id = existing(t, rawId).id();
        DmlResult r = org.write(ui, tx -> tx.undelete(id));
        failIfError("cannot undelete " + t.name() + " " + id, r);
        return Map.of("id", id);
    }

    /**
     * Many writes of one kind in one transaction, so Salesforce-side effects of a single save (one change event
     * for records that got the same change) show. All or none by default.
     */
    Map<String, Object> batch(String object, JsonBody body) {
        body.onlyKeys(BATCH_KEYS);
        SObjectType t = type(object);
        String op = body.text("operation").toLowerCase(Locale.ROOT);
        if (!Set.of("create", "update", "delete", "undelete").contains(op)) {
            throw ControlException.badRequest("'operation' must be one of create, update, delete, undelete; got '"
                    + body.text("operation") + "'");
        }
        JsonNode records = body.array("records");
        if (records.isEmpty()) {
            throw ControlException.badRequest("'records' must not be empty");
        }
        boolean allOrNone = body.bool("allOrNone", true);
        List<Object> inputs = new ArrayList<>();
        for (JsonNode r : records) {
            if (op.equals("create") || op.equals("update")) {
                if (!r.isObject()) {
                    throw ControlException.badRequest("each record must be a JSON object, got " + r);
                }
                inputs.add(Json.toFieldMap(r));
            } else if (r.isTextual()) {
                inputs.add(r.asText());
            } else if (r.isObject() && r.path("Id").isTextual()) {
                inputs.add(r.get("Id").asText());
            } else {
                throw ControlException.badRequest("each record to " + op + " must be an id or {\"Id\":...}, got " + r);
            }
        }
        List<DmlResult> results = org.write(ui, tx -> {
            List<DmlResult> out = new ArrayList<>();
            for (Object in : inputs) {
                out.add(switch (op) {
                    case "create" -> tx.insert(t.name(), cast(in));
                    case "update" -> {
                        Object rawId = idOf(cast(in));
                        ApiError bad = checkId(t, rawId);
                        yield bad != null ? DmlResult.failed(null, bad)
                                : tx.update(SalesforceIds.normalize(rawId.toString()), cast(in));
                    }
                    case "delete" -> {
                        ApiError bad = checkId(t, in);
                        yield bad != null ? DmlResult.failed(null, bad) : tx.delete((String) in);
                    }
                    default -> {
                        ApiError bad = checkId(t, in);
                        yield bad != null ? DmlResult.failed(null, bad) : tx.undelete((String) in);
                    }
                });
            }
            if (allOrNone && out.stream().anyMatch(r -> !r.success())) {
                tx.setRollbackOnly();
            }
            return out;
        });
        int firstFailure = -1;
        for (int i = 0; i < results.size() && firstFailure < 0; i++) {
            if (!results.get(i).success()) {
                firstFailure = i;
            }
        }
        boolean rolledBack = allOrNone && firstFailure >= 0;
        List<Map<String, Object>> body2 = new ArrayList<>();
        for (DmlResult r : results) {
            body2.add(result(rolledBack && r.success() ? r.asRolledBack() : r));
        }
        if (rolledBack) {
            ApiError e = results.get(firstFailure).firstError();
            throw new ControlException(400, "batch " + op + " rolled back: record " + firstFailure + " failed with "
                    + e.code() + ": " + e.message(), Map.of("results", body2));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", body2);
        return out;
    }

    /** Every record of the object in id (creation) order, in REST JSON with IsDeleted; deleted ones on request. */
    Map<String, Object> dump(String object, boolean includeDeleted) {
        SObjectType t = type(object);
        List<Map<String, Object>> records = new ArrayList<>();
        org.records(t, includeDeleted).forEach(r -> {
            Map<String, Object> json = RecordJson.of(r, null, ApiVersions.DEFAULT);
            json.put("IsDeleted", r.deleted());
            records.add(json);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalSize", records.size());
        out.put("records", records);
        return out;
    }

    private StoredRecord existing(SObjectType t, String rawId) {
        String id = SalesforceIds.normalize(rawId);
        Optional<StoredRecord> r = id == null ? Optional.empty() : org.byId(id);
        if (r.isEmpty() || r.get().type() != t) {
            throw ControlException.notFound("no " + t.name() + " record with id '" + rawId + "'");
        }
        return r.get();
    }

    /** An id that must name a record of {@code t} (existing or not: the write engine reports which). */
    private ApiError checkId(SObjectType t, Object rawId) {
        if (rawId == null) {
            return ApiError.of("MISSING_ARGUMENT", "Id not specified in an update call", "Id");
        }
        String id = SalesforceIds.normalize(rawId.toString());
        if (id == null || !id.startsWith(t.keyPrefix())) {
            return ApiError.of("MALFORMED_ID", t.label() + " ID: id value of incorrect type: " + rawId, "Id");
        }
        return null;
    }

    private static Object idOf(Map<String, Object> record) {
        for (Map.Entry<String, Object> e : record.entrySet()) {
            if (e.getKey().equalsIgnoreCase("Id")) {
                return e.getValue();
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    private static Map<String, Object> result(DmlResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("success", r.success());
        m.put("errors", errors(r.errors()));
        return m;
    }

    /** Salesforce's REST error objects: {@code errorCode}, {@code message}, {@code fields}. */
    static List<Map<String, Object>> errors(List<ApiError> errors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ApiError e : errors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("errorCode", e.code());
            m.put("message", e.message());
            m.put("fields", e.fields());
            out.add(m);
        }
        return out;
    }

    private static void failIfError(String what, DmlResult r) {
        if (!r.success()) {
            ApiError e = r.firstError();
            throw new ControlException(400, what + ": " + e.code() + ": " + e.message(),
                    Map.of("errors", errors(r.errors())));
        }
    }
}
