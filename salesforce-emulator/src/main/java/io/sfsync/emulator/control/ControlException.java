package io.sfsync.emulator.control;

import java.util.LinkedHashMap;
import java.util.Map;

/** A control API call that cannot be done: answered with its status and {@code {"error":"<message>", ...}}. */
final class ControlException extends RuntimeException {

    private final int status;
    private final Map<String, Object> details;

    ControlException(int status, String message) {
        this(status, message, Map.of());
    }

    ControlException(int status, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.details = details;
    }

    static ControlException badRequest(String message) {
        return new ControlException(400, message);
    }

    static ControlException notFound(String message) {
        return new ControlException(404, message);
    }

    int status() {
        return status;
    }

    /** The response body: the error message first, then any details (such as Salesforce's errors). */
    Map<String, Object> body() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("error", getMessage());
        b.putAll(details);
        return b;
    }
}
