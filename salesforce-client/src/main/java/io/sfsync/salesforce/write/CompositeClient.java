package io.sfsync.salesforce.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.http.Json;
import io.sfsync.salesforce.http.RestRequest;
import io.sfsync.salesforce.http.RestResponse;
import io.sfsync.salesforce.http.RestTransport;
import io.sfsync.salesforce.metrics.CallKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Runs {@link CompositeRequest}s: up to 25 subrequests in one counted call. */
public final class CompositeClient {

    private final RestTransport transport;

    public CompositeClient(RestTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    public CompositeResult execute(CompositeRequest request) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("allOrNone", request.allOrNone());
        ArrayNode subs = body.putArray("compositeRequest");
        for (CompositeRequest.Subrequest s : request.subrequests()) {
            ObjectNode n = subs.addObject();
            n.put("method", s.method());
            n.put("url", s.url().startsWith("/services/") ? s.url() : transport.versionPath() + s.url());
            n.put("referenceId", s.referenceId());
            if (s.body() != null) {
                n.set("body", Json.MAPPER.valueToTree(s.body()));
            }
        }
        RestResponse r = transport.send(CallKind.COMPOSITE, RestRequest.of("POST", "/composite", Json.write(body)));
        JsonNode responses = r.json().path("compositeResponse");
        if (!responses.isArray() || responses.size() != request.subrequests().size()) {
            throw new FatalSalesforceException("POST /composite: expected " + request.subrequests().size()
                    + " subresponses", r.status(), List.of(), null);
        }
        List<CompositeResult.SubResponse> out = new ArrayList<>();
        int failed = 0;
        for (JsonNode n : responses) {
            Map<String, String> headers = new LinkedHashMap<>();
            n.path("httpHeaders").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            JsonNode b = n.get("body");
            var sub = new CompositeResult.SubResponse(n.path("referenceId").asText(),
                    n.path("httpStatusCode").asInt(), headers, b == null || b.isNull() ? null : b);
            if (!sub.success()) {
                failed++;
            }
            out.add(sub);
        }
        transport.metrics().recordWriteCall(CallKind.COMPOSITE, out.size(), failed);
        return new CompositeResult(out);
    }
}
