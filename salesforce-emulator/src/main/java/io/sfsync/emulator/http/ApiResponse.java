package io.sfsync.emulator.http;

import io.sfsync.emulator.data.ApiError;
import io.sfsync.emulator.data.ApiException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A response before it is written: status, extra headers, and either a JSON value or a raw body (CSV).
 */
public record ApiResponse(int status, Map<String, String> headers, Object json, String raw, String contentType) {

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, new LinkedHashMap<>(), body, null, "application/json;charset=UTF-8");
    }

    public static ApiResponse ok(Object body) {
        return json(200, body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, new LinkedHashMap<>(), null, null, null);
    }

    public static ApiResponse raw(int status, String body, String contentType) {
        return new ApiResponse(status, new LinkedHashMap<>(), null, body, contentType);
    }

    public ApiResponse withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Top-level REST errors are a JSON array of {@code {message, errorCode[, fields]}}. */
    public static ApiResponse error(ApiException e) {
        return json(e.httpStatus(), errorBody(e.errors()));
    }

    public static List<Map<String, Object>> errorBody(List<ApiError> errors) {
        List<Map<String, Object>> body = new ArrayList<>();
        for (ApiError err : errors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("message", err.message());
            m.put("errorCode", err.code());
            if (!err.fields().isEmpty()) {
                m.put("fields", err.fields());
            }
            body.add(m);
        }
        return body;
    }

    /** Per-record errors inside sObject Collections results use {@code statusCode}, not {@code errorCode}. */
    public static List<Map<String, Object>> saveResultErrors(List<ApiError> errors) {
        List<Map<String, Object>> body = new ArrayList<>();
        for (ApiError err : errors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("statusCode", err.code());
            m.put("message", err.message());
            m.put("fields", err.fields());
            body.add(m);
        }
        return body;
    }
}
