package io.sfsync.emulator.rest;

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

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Discovery, describe and single-record resources: {@code /}, {@code /sobjects}, {@code /sobjects/{S}},
 * {@code /sobjects/{S}/describe}, record GET/POST/PATCH/DELETE by id, and GET/PATCH/DELETE by External ID
 * (upsert: 201 created, 200 updated (204 before v46), 300 several matches, 404 unknown field).
 */
public final class SObjectResources {

    private final Org org;

    public SObjectResources(Org org) {
        this.org = org;
    }

    public void register(Router router) {
        router.add("GET", "/", this::resources)
                .add("GET", "/sobjects", this::globalDescribe)
                .add("GET", "/sobjects/{type}", this::basicInfo)
                .add("POST", "/sobjects/{type}", this::create)
                .add("GET", "/sobjects/{type}/describe", this::describe)
                .add("GET", "/sobjects/{type}/{id}", this::read)
                .add("PATCH", "/sobjects/{type}/{id}", this::update)
                .add("DELETE", "/sobjects/{type}/{id}", this::delete)
                .add("GET", "/sobjects/{type}/{field}/{value}", this::readByExternalId)
                .add("PATCH", "/sobjects/{type}/{field}/{value}", this::upsert)
                .add("DELETE", "/sobjects/{type}/{field}/{value}", this::deleteByExternalId);
    }

    private ApiResponse resources(ApiRequest req, Matcher m) {
        String base = req.versionPrefix();
        Map<String, Object> r = new LinkedHashMap<>();
        for (String name : List.of("sobjects", "query", "queryAll", "composite", "limits", "jobs")) {
            r.put(name, base + "/" + name);
        }
        r.put("jobs", base + "/jobs");
        return ApiResponse.ok(r);
    }

    private ApiResponse globalDescribe(ApiRequest req, Matcher m) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (SObjectType t : org.schema().all()) {
            all.add(DescribeJson.summary(t, req.apiVersion()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("encoding", "UTF-8");
        body.put("maxBatchSize", 200);
        body.put("sobjects", all);
        return ApiResponse.ok(body);
    }

    private SObjectType type(Matcher m) {
        return org.schema().find(m.group("type")).orElseThrow(ApiException::notFound);
    }

    private ApiResponse basicInfo(ApiRequest req, Matcher m) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("objectDescribe", DescribeJson.summary(type(m), req.apiVersion()));
        body.put("recentItems", List.of());
        return ApiResponse.ok(body);
    }

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private ApiResponse describe(ApiRequest req, Matcher m) {
        SObjectType t = type(m);
        String lastModified = HTTP_DATE.format(ZonedDateTime.ofInstant(t.lastModified(), ZoneOffset.UTC));
        String since = req.header("If-Modified-Since");
        if (since != null) {
            try {
                Instant sinceInstant = ZonedDateTime.parse(since, HTTP_DATE).toInstant();
                if (!t.lastModified().isAfter(sinceInstant)) {
                    return new ApiResponse(304, new LinkedHashMap<>(), null, null, null)
                            .withHeader("Last-Modified", lastModified);
                }
            } catch (DateTimeParseException e) {
                // An unparseable date is ignored, as HTTP says; the full describe follows.
            }
        }
        return ApiResponse.ok(DescribeJson.full(t, org.schema(), req.apiVersion()))
                .withHeader("Last-Modified", lastModified);
    }

    private ApiResponse create(ApiRequest req, Matcher m) {
        SObjectType t = type(m);
        Map<String, Object> input = Json.toFieldMap(req.json());
        if (input.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("Id"))) {
            throw new ApiException(400, ApiError.of("INVALID_FIELD_FOR_INSERT_UPDATE",
                    "Unable to create/update fields: Id. Please check the security settings of this field and "
                            + "verify that it is read/write for your profile or permission set.", "Id"));
        }
        DmlResult r = org.write(req.writeContext(), tx -> tx.insert(t.name(), input));
        org.writeStats().recordCall(1);
        failIfError(r);
        return ApiResponse.json(201, saveResult(r));
    }

    private ApiResponse read(ApiRequest req, Matcher m) {
        SObjectType t = type(m);
        StoredRecord r = live(t, m.group("id"));
        return ApiResponse.ok(RecordJson.of(r, selectedFields(t, req.param("fields")), req.apiVersion()));
    }

    private ApiResponse update(ApiRequest req, Matcher m) {
        SObjectType t = type(m);
        StoredRecord existing = live(t, m.group("id"));
        Map<String, Object> input = Json.toFieldMap(req.json());
        DmlResult r = org.write(req.writeContext(), tx -> tx.update(existing.id(), input));
        org.writeStats().recordCall(1);
        failIfError(r);
        return ApiResponse.noContent();
    }

    private ApiResponse delete(ApiRequest req, Matcher m) {
        SObjectType t = type(m);
        StoredRecord existing = live(t, m.group("id"));
        DmlResult r = org.write(req.writeContext(), tx -> tx.delete(existing.id()));
        org.writeStats().recordCall(1);
        failIfError(r);
        return ApiResponse.noContent();
    }

    private ApiResponse readByExternalId(ApiRequest req, Matcher m) {
        SObjectType t = type(m);
        List<String> ids = matches(req, t, m);
        if (ids.isEmpty()) {
            throw ApiException.notFound();
        }
        if (ids.size() > 1) {
            return multipleChoices(req, t, ids);
        }
        StoredRecord r = org.byId(ids.get(0)).orElseThrow(ApiException::notFound);
        return ApiResponse.ok(RecordJson.of(r, selectedFields(t, req.param("fields")), req.apiVersion()));
    }

    private ApiResponse upsert(ApiRequest req, Matcher m) {
        SObjectType t = type(m);
        String field = m.group("field");
        String value = m.group("value");
        Map<String, Object> input = Json.toFieldMap(req.json());
        boolean updateOnly = "true".equalsIgnoreCase(req.param("updateOnly"));
        record Outcome(List<String> matches, DmlResult result) {
        }
        Outcome o = org.write(req.writeContext(), tx -> {
            FieldDef key = tx.upsertKeyField(t, field);
            if (input.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(key.name()))) {
                throw new ApiException(400, ApiError.of("INVALID_FIELD", "The field " + key.name()
                        + " is specified in the URL and must not be in the request body", key.name()));
            }
            List<String> found = tx.matchExternalId(t, key, value);
            if (found.size() > 1 || (found.isEmpty() && updateOnly)) {
                return new Outcome(found, null);
            }
            return new Outcome(found, tx.upsert(t.name(), key.name(), value, input));
        });
        if (o.result() == null) {
            if (o.matches().isEmpty()) {
                throw ApiException.notFound();
            }
            return multipleChoices(req, t, o.matches());
        }
        org.writeStats().recordCall(1);
        DmlResult r = o.result();
        failIfError(r);
        if (Boolean.FALSE.equals(r.created()) && Double.parseDouble(req.apiVersion()) < 46) {
            return ApiResponse.noContent();
        }
        Map<String, Object> body = saveResult(r);
        return ApiResponse.json(Boolean.TRUE.equals(r.created()) ? 201 : 200, body);
    }

    private ApiResponse deleteByExternalId(ApiRequest req, Matcher m) {
        SObjectType t = type(m);
        List<String> ids = matches(req, t, m);
        if (ids.isEmpty()) {
            throw ApiException.notFound();
        }
        if (ids.size() > 1) {
            return multipleChoices(req, t, ids);
        }
        DmlResult r = org.write(req.writeContext(), tx -> tx.delete(ids.get(0)));
        org.writeStats().recordCall(1);
        failIfError(r);
        return ApiResponse.noContent();
    }

    private List<String> matches(ApiRequest req, SObjectType t, Matcher m) {
        return org.write(req.writeContext(), (Transaction tx) -> {
            FieldDef key = tx.upsertKeyField(t, m.group("field"));
            return tx.matchExternalId(t, key, m.group("value"));
        });
    }

    /** HTTP 300 with the URLs of the matching records, as Salesforce answers an ambiguous External ID. */
    private static ApiResponse multipleChoices(ApiRequest req, SObjectType t, List<String> ids) {
        List<String> urls = ids.stream().map(id -> req.versionPrefix() + "/sobjects/" + t.name() + "/" + id).toList();
        return ApiResponse.json(300, urls);
    }

    /** The live record with this id, or 404: NOT_FOUND when unknown, ENTITY_IS_DELETED when in the recycle bin. */
    private StoredRecord live(SObjectType t, String rawId) {
        String id = SalesforceIds.normalize(rawId);
        if (id == null || !id.startsWith(t.keyPrefix())) {
            if (id == null || org.schema().typeOfId(id).isEmpty()) {
                throw ApiException.notFound();
            }
            throw new ApiException(400, ApiError.of("MALFORMED_ID",
                    t.label() + " ID: id value of incorrect type: " + rawId, "Id"));
        }
        Optional<StoredRecord> r = org.byId(id);
        if (r.isEmpty()) {
            throw ApiException.notFound();
        }
        if (r.get().deleted()) {
            throw new ApiException(404, ApiError.of("ENTITY_IS_DELETED", "entity is deleted"));
        }
        return r.get();
    }

    private static List<FieldDef> selectedFields(SObjectType t, String fieldsParam) {
        if (fieldsParam == null || fieldsParam.isBlank()) {
            return null;
        }
        List<FieldDef> out = new ArrayList<>();
        for (String name : fieldsParam.split(",")) {
            String n = name.trim();
            out.add(t.field(n).orElseThrow(() -> new ApiException(400, ApiError.of("INVALID_FIELD",
                    "No such column '" + n + "' on sobject of type " + t.name()))));
        }
        return out;
    }

    static void failIfError(DmlResult r) {
        if (!r.success()) {
            throw new ApiException(400, r.errors().toArray(ApiError[]::new));
        }
    }

    /** {@code {"id":..,"success":true,"errors":[]}} plus {@code created} for upserts. */
    static Map<String, Object> saveResult(DmlResult r) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (r.id() != null) {
            body.put("id", r.id());
        }
        body.put("success", r.success());
        body.put("errors", ApiResponse.saveResultErrors(r.errors()));
        if (r.created() != null) {
            body.put("created", r.created());
        }
        return body;
    }
}
