package io.sfsync.examples;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emulator's control API (salesforce-emulator/CONTROL-API.md) over HTTP: edits as a person in the Salesforce UI
 * (their change events are genuine user edits, never the sync's echo), trigger-like rules, custom fields, and the
 * server-side write counters the no-echo checks read. Control calls are not API calls: they never show in the
 * counters, so {@link #apiWriteCalls()} counts the sync's own writes only.
 */
final class EmulatorControl {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    EmulatorControl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Creates a record as a UI user; returns its Id. */
    String create(String object, Map<String, ?> fields) {
        return call("POST", "/emulator/records/" + object, fields).get("id").asText();
    }

    /** Updates fields as a UI user ({@code null} clears one). */
    void update(String object, String id, Map<String, ?> fields) {
        call("PATCH", "/emulator/records/" + object + "/" + id, fields);
    }

    /** Several updates in one transaction (one save in the UI), {@code Id} in each map. */
    void updateAll(String object, List<Map<String, ?>> records) {
        call("POST", "/emulator/records/" + object + "/batch", Map.of("operation", "update", "records", records,
                "allOrNone", true));
    }

    /** Deletes a record (to the recycle bin) as a UI user. */
    void delete(String object, String id) {
        call("DELETE", "/emulator/records/" + object + "/" + id, null);
    }

    /** Every live record of an object, every field (nulls included). */
    List<Map<String, Object>> records(String object) {
        JsonNode body = call("GET", "/emulator/records/" + object, null);
        List<Map<String, Object>> records = new ArrayList<>();
        body.get("records").forEach(r -> records.add(JSON.convertValue(r, new TypeReference<Map<String, Object>>() {
        })));
        return records;
    }

    /** The live record with that Id. */
    Optional<Map<String, Object>> record(String object, String id) {
        return records(object).stream().filter(r -> id.equals(r.get("Id"))).findFirst();
    }

    /** The live records whose External_Id__c is {@code key}. */
    List<Map<String, Object>> recordsByExternalId(String object, String key) {
        return records(object).stream().filter(r -> key.equals(r.get("External_Id__c"))).toList();
    }

    /** A trigger-like rule: when {@code whenField} changes, set {@code setField} to {@code value}; returns its id. */
    String addRule(String object, String whenField, String setField, Object value) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("object", object);
        rule.put("whenField", whenField);
        rule.put("setField", setField);
        rule.put("value", value);
        return call("POST", "/emulator/rules", rule).get("id").asText();
    }

    void removeRule(String id) {
        call("DELETE", "/emulator/rules/" + id, null);
    }

    /** Adds a custom field, as an admin in Setup. */
    void addField(String object, Map<String, ?> definition) {
        call("POST", "/emulator/schema/" + object + "/fields", definition);
    }

    /** API write calls (REST, Collections, composite, Bulk) since the emulator started: the sync's writes. */
    long apiWriteCalls() {
        return counters().path("writes").path("calls").asLong();
    }

    /** Records carried by those write calls. */
    long apiWriteRecords() {
        return counters().path("writes").path("records").asLong();
    }

    JsonNode counters() {
        return call("GET", "/emulator/counters", null);
    }

    private JsonNode call(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Content-Type", "application/json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(method + " " + path + " interrupted", e);
        }
    }
}
