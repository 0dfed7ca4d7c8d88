package io.sfsync.salesforce.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One REST call. {@code path} is relative to {@code /services/data/vXX.X} ({@code /sobjects/Account/describe}) or
 * absolute from {@code /services/} (a {@code nextRecordsUrl}); it includes its query string, already encoded.
 *
 * @param body            a JSON body, or null
 * @param acceptedStatuses non-2xx statuses that are answers rather than failures (304, 300...)
 */
public record RestRequest(String method, String path, Map<String, String> headers, String body,
                          Set<Integer> acceptedStatuses) {

    public RestRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        acceptedStatuses = acceptedStatuses == null ? Set.of() : Set.copyOf(acceptedStatuses);
    }

    public static RestRequest get(String path) {
        return new RestRequest("GET", path, Map.of(), null, Set.of());
    }

    public static RestRequest of(String method, String path, String jsonBody) {
        return new RestRequest(method, path, Map.of(), jsonBody, Set.of());
    }

    public RestRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new RestRequest(method, path, h, body, acceptedStatuses);
    }

    public RestRequest accepting(Integer... statuses) {
        return new RestRequest(method, path, headers, body, Set.of(statuses));
    }

    /** The call as named in messages and logs: method and path without the query string (it may hold data). */
    public String describe() {
        int q = path.indexOf('?');
        return method + " " + (q < 0 ? path : path.substring(0, q));
    }

    /** URL-encodes one path segment or query value. */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
