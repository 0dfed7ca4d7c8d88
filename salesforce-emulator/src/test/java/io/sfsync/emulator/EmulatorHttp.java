package io.sfsync.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for tests: sends REST calls with a bearer token and parses JSON answers. */
public final class EmulatorHttp {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private volatile String token;
    private volatile String clientId;

    public EmulatorHttp(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public EmulatorHttp withClientId(String id) {
        this.clientId = id;
        return this;
    }

    public void setToken(String t) {
        token = t;
    }

    /** A response with its parsed JSON body (null when empty or not JSON). */
    public record Reply(int status, HttpResponse<String> raw, JsonNode json) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Reply get(String path) { return send("GET", path, null, "application/json"); }
    public Reply post(String path, String body) { return send("POST", path, body, "application/json"); }
    public Reply patch(String path, String body) { return send("PATCH", path, body, "application/json"); }
    public Reply delete(String path) { return send("DELETE", path, null, "application/json"); }

    public Reply send(String method, String path, String body, String contentType) {
        return send(method, path, body, contentType, new String[0]);
    }

    public Reply send(String method, String path, String body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (clientId != null) {
            b.header("Sforce-Call-Options", "client=" + clientId);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            String ct = r.headers().firstValue("Content-Type").orElse("");
            if (!r.body().isEmpty() && ct.contains("json")) {
                json = MAPPER.readTree(r.body());
            }
            return new Reply(r.statusCode(), r, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
