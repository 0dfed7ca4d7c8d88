package io.sfsync.emulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.data.ApiError;
import io.sfsync.emulator.data.ApiException;
import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.http.ApiRequest;
import io.sfsync.emulator.http.ApiResponse;
import io.sfsync.emulator.http.Json;
import io.sfsync.emulator.http.Router;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /composite}: up to 25 subrequests in one counted call, run in order through the same routes as
 * standalone calls, with {@code @{refId.path}} references to earlier results. With {@code allOrNone} the
 * subrequests share one transaction: the first failure rolls everything back and every other subrequest reports
 * PROCESSING_HALTED. The outer status is always 200.
 */
public final class CompositeResource {

    public static final int MAX_SUBREQUESTS = 25;
    private static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_]+)\\.([^}]+)}");
    private static final Pattern SUBREQUEST_URL = Pattern.compile("^/services/data/v(\\d+\\.\\d)(/[^?]*)(\\?.*)?$");
    static final String HALTED =
            "The transaction was rolled back since another operation in the same transaction failed.";

    private final Org org;
    private final Router router;

    public CompositeResource(Org org, Router router) {
        this.org = org;
        this.router = router;
    }

    public void register(Router r) {
        r.add("POST", "/composite", this::composite);
    }

    private ApiResponse composite(ApiRequest req, Matcher m) {
        JsonNode json = req.json();
        JsonNode subs = json.get("compositeRequest");
        if (subs == null || !subs.isArray() || subs.isEmpty()) {
            throw ApiException.badRequest("JSON_PARSER_ERROR", "compositeRequest is required");
        }
        if (subs.size() > MAX_SUBREQUESTS) {
            throw ApiException.badRequest("LIMIT_EXCEEDED",
                    "Composite request limit exceeded: " + subs.size() + " (max " + MAX_SUBREQUESTS + ")");
        }
        boolean allOrNone = json.path("allOrNone").asBoolean(false);
        List<Map<String, Object>> responses = new ArrayList<>();
        if (allOrNone) {
            org.write(req.writeContext(), tx -> {
                int failedAt = runAll(req, subs, responses, true);
                if (failedAt >= 0) {
                    tx.setRollbackOnly();
                    for (int i = 0; i < responses.size(); i++) {
                        if (i != failedAt) {
                            responses.set(i, halted(subs.get(i)));
                        }
                    }
                }
                return null;
            });
        } else {
            runAll(req, subs, responses, false);
        }
        org.writeStats().recordCall(subs.size());
        return ApiResponse.ok(Map.of("compositeResponse", responses));
    }

    /** Runs the subrequests in order; returns the index of the first failure when it stops there, else -1. */
    private int runAll(ApiRequest outer, JsonNode subs, List<Map<String, Object>> responses, boolean stopOnFailure) {
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (int i = 0; i < subs.size(); i++) {
            JsonNode sub = subs.get(i);
            String refId = sub.path("referenceId").asText();
            ApiResponse r;
            try {
                r = dispatch(outer, sub, results);
            } catch (ApiException e) {
                r = ApiResponse.error(e);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("body", r.json());
            Map<String, String> headers = new LinkedHashMap<>(r.headers());
            if (r.status() == 201 && r.json() instanceof Map<?, ?> body && body.get("id") != null) {
                String url = stripQuery(sub.path("url").asText());
                headers.put("Location", url + "/" + body.get("id"));
            }
            out.put("httpHeaders", headers);
            out.put("httpStatusCode", r.status());
            out.put("referenceId", refId);
            responses.add(out);
            if (r.json() != null) {
                results.put(refId, Json.MAPPER.valueToTree(r.json()));
            }
            if (r.status() >= 400 && stopOnFailure) {
                for (int j = i + 1; j < subs.size(); j++) {
                    responses.add(halted(subs.get(j)));
                }
                return i;
            }
        }
        return -1;
    }

    private ApiResponse dispatch(ApiRequest outer, JsonNode sub, Map<String, JsonNode> results) {
        String method = sub.path("method").asText("GET").toUpperCase();
        String url = resolve(sub.path("url").asText(), results, true);
        Matcher u = SUBREQUEST_URL.matcher(url);
        if (!u.matches()) {
            throw ApiException.notFound();
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (u.group(3) != null) {
            for (String pair : u.group(3).substring(1).split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        String body = sub.has("body") ? resolve(Json.write(sub.get("body")), results, false) : null;
        Map<String, String> headers = new LinkedHashMap<>(outer.headers());
        sub.path("httpHeaders").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        String path = URI.create(u.group(2)).getPath();
        ApiRequest inner = new ApiRequest(method, u.group(1), path, query, headers, body, outer.userId(),
                outer.clientId());
        return router.find(method, path).run(inner);
    }

    /** Replaces {@code @{ref.id}} and {@code @{ref.records[0].Id}} with values from earlier results. */
    private static String resolve(String text, Map<String, JsonNode> results, boolean inUrl) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            JsonNode node = results.get(m.group(1));
            for (String part : m.group(2).split("\\.")) {
                if (node == null) {
                    break;
                }
                Matcher idx = Pattern.compile("^(\\w+)\\[(\\d+)]$").matcher(part);
                node = idx.matches() ? node.path(idx.group(1)).path(Integer.parseInt(idx.group(2))) : node.get(part);
            }
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new ApiException(400, ApiError.of("INVALID_FIELD", "Invalid reference specified. No value for "
                        + m.group(1) + "." + m.group(2) + " found in " + m.group(1)
                        + ". Provided referenceId ('" + m.group(1) + "') or path may be invalid."));
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(node.asText()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String stripQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static Map<String, Object> halted(JsonNode sub) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("body", ApiResponse.errorBody(List.of(ApiError.of("PROCESSING_HALTED", HALTED))));
        out.put("httpHeaders", Map.of());
        out.put("httpStatusCode", 400);
        out.put("referenceId", sub.path("referenceId").asText());
        return out;
    }
}
