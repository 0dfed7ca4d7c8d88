package io.sfsync.emulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.emulator.data.ApiException;
import io.sfsync.emulator.data.ChangeOrigin;
import io.sfsync.emulator.data.WriteContext;

import java.util.List;
import java.util.Map;

/**
 * One REST call after authentication, independent of the servlet API so composite requests can dispatch their
 * subrequests through the same routes.
 *
 * @param path the path below {@code /services/data/vXX.X}, e.g. {@code /sobjects/Account/001...}
 */
public record ApiRequest(String method, String apiVersion, String path, Map<String, List<String>> query,
                         Map<String, String> headers, String body, String userId, String clientId) {

    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** A header by case-insensitive name. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The body as JSON, or 400 JSON_PARSER_ERROR as Salesforce answers an unparseable body. */
    public JsonNode json() {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("JSON_PARSER_ERROR", "The request body is either invalid or incomplete.");
        }
        try {
            return Json.read(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("JSON_PARSER_ERROR", e.getOriginalMessage()
                    + " at [line:" + e.getLocation().getLineNr() + ", column:" + e.getLocation().getColumnNr() + "]");
        }
    }

    public WriteContext writeContext() {
        return new WriteContext(userId, ChangeOrigin.rest(apiVersion, clientId));
    }

    public String versionPrefix() {
        return "/services/data/v" + apiVersion;
    }
}
