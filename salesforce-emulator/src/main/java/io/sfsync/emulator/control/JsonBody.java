package io.sfsync.emulator.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfsync.emulator.http.Json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** A request's JSON object body with typed, validated accessors; every problem is a 400 naming the key. */
final class JsonBody {

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** Parses a body that must be a JSON object; an empty body is an empty object when {@code optional}. */
    static JsonBody parse(String text, boolean optional) {
        if (text == null || text.isBlank()) {
            if (optional) {
                return new JsonBody(JsonNodeFactory.instance.objectNode());
            }
            throw ControlException.badRequest("a JSON object body is required");
        }
        JsonNode n;
        try {
            n = Json.read(text);
        } catch (JsonProcessingException e) {
            throw ControlException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        }
        if (!(n instanceof ObjectNode o)) {
            throw ControlException.badRequest("the body must be a JSON object");
        }
        return new JsonBody(o);
    }

    ObjectNode node() {
        return node;
    }

    boolean has(String key) {
        return node.has(key);
    }

    boolean isEmpty() {
        return node.isEmpty();
    }

    /** Rejects keys other than {@code allowed}, so a misspelt setting is an error instead of silently ignored. */
    JsonBody onlyKeys(Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!allowed.contains(k)) {
                throw ControlException.badRequest("unknown key '" + k + "'; allowed keys are "
                        + allowed.stream().sorted().toList());
            }
        }
        return this;
    }

    /** A required non-blank string. */
    String text(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw ControlException.badRequest("'" + key + "' is required");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ControlException.badRequest("'" + key + "' must be a non-empty string");
        }
        return v.asText().trim();
    }

    /** An optional string: null when absent or null. */
    String optionalText(String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : text(key);
    }

    /** A whole number in [min, max]. */
    long integer(String key, long min, long max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw ControlException.badRequest("'" + key + "' is required");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw ControlException.badRequest("'" + key + "' must be a whole number " + range(min, max)
                    + ", got " + v);
        }
        return v.longValue();
    }

    /** A number in [min, max], fractions allowed. */
    BigDecimal number(String key, double min, double max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw ControlException.badRequest("'" + key + "' is required");
        }
        if (!v.isNumber() || v.doubleValue() < min || v.doubleValue() > max) {
            throw ControlException.badRequest("'" + key + "' must be a number from " + plain(min) + " to "
                    + plain(max) + ", got " + v);
        }
        return v.decimalValue();
    }

    /** A required array of non-empty strings. */
    List<String> texts(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isArray()) {
            throw ControlException.badRequest("'" + key + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw ControlException.badRequest("'" + key + "' must be an array of non-empty strings, got " + e);
            }
            out.add(e.asText().trim());
        }
        return out;
    }

    /** A required array. */
    JsonNode array(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isArray()) {
            throw ControlException.badRequest("'" + key + "' must be an array");
        }
        return v;
    }

    boolean bool(String key, boolean dflt) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw ControlException.badRequest("'" + key + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    private static String range(long min, long max) {
        if (max >= Integer.MAX_VALUE) { // effectively unbounded
            return min == 0 ? ">= 0" : min == 1 ? "> 0" : ">= " + min;
        }
        return "from " + min + " to " + max;
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
