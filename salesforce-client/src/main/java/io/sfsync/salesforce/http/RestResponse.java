package io.sfsync.salesforce.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.salesforce.error.FatalSalesforceException;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Optional;

/** A REST answer: status, headers and the body as text (JSON for the REST API). */
public record RestResponse(int status, HttpHeaders headers, String body) {

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** The body as a JSON tree; a malformed body is a fatal error (Salesforce never sends one). */
    public JsonNode json() {
        try {
            return Json.MAPPER.readTree(body == null || body.isEmpty() ? "null" : body);
        } catch (IOException e) {
            throw new FatalSalesforceException("unreadable JSON in a " + status + " response", status, List.of(), e);
        }
    }

    public <T> T as(Class<T> type) {
        try {
            return Json.MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw new FatalSalesforceException("unreadable JSON in a " + status + " response", status, List.of(), e);
        }
    }
}
