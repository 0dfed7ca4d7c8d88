package io.sfsync.salesforce.streaming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@code data} of a CometD change event message ({@code {"schema":..,"payload":{..},"event":{"replayId":N}}})
 * into a {@link ChangeEvent}. Tolerant: missing header fields become null or empty, numbers may come as numbers or
 * strings, arrays as lists or Java arrays (whatever the JSON library produced). Only a missing {@code payload} or
 * replay id is an error, since such a message cannot be placed in the stream.
 */
public final class ChangeEventParser {

    static final String HEADER = "ChangeEventHeader";

    /** How the subscriber's CometD client reads JSON: decimals as BigDecimal, so currency never goes through double. */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ChangeEventParser() {
    }

    /** Parses a message's {@code data} as JSON text (tests, tools, benchmark). */
    @SuppressWarnings("unchecked")
    public static ChangeEvent parseJson(String channel, String dataJson) {
        try {
            return parse(channel, MAPPER.readValue(dataJson, Map.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses a message's {@code data}.
     *
     * @throws IllegalArgumentException when there is no payload object or no replay id
     */
    public static ChangeEvent parse(String channel, Map<?, ?> data) {
        if (data == null) {
            throw new IllegalArgumentException("change event on " + channel + " has no data");
        }
        Long replayId = data.get("event") instanceof Map<?, ?> event ? toLong(event.get("replayId")) : null;
        if (replayId == null) {
            throw new IllegalArgumentException("change event on " + channel + " has no event.replayId");
        }
        if (!(data.get("payload") instanceof Map<?, ?> payload)) {
            throw new IllegalArgumentException("change event " + replayId + " on " + channel + " has no payload");
        }
        Map<?, ?> h = payload.get(HEADER) instanceof Map<?, ?> m ? m : Map.of();
        String rawType = string(h.get("changeType"));
        ChangeEventHeader header = new ChangeEventHeader(
                string(h.get("entityName")),
                strings(h.get("recordIds")),
                ChangeType.parse(rawType),
                rawType,
                string(h.get("changeOrigin")),
                string(h.get("transactionKey")),
                toInt(h.get("sequenceNumber")),
                instant(h.get("commitTimestamp")),
                toLong(h.get("commitNumber")),
                string(h.get("commitUser")),
                strings(h.get("changedFields")),
                strings(h.get("nulledFields")),
                strings(h.get("diffFields")),
                h.get("isTransactionEnd") instanceof Boolean b ? b : null);
        Map<String, Object> fields = new LinkedHashMap<>(Math.max(4, payload.size() * 2));
        for (Map.Entry<?, ?> e : payload.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!HEADER.equals(name)) {
                fields.put(name, value(e.getValue()));
            }
        }
        return new ChangeEvent(channel, replayId, string(data.get("schema")), header, new ChangeEventFields(fields));
    }

    /** A JSON value as an immutable-enough Java value: nested objects copied (null values kept), arrays as lists. */
    private static Object value(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), value(e.getValue()));
            }
            return java.util.Collections.unmodifiableMap(out);
        }
        if (v instanceof Object[] a) {
            v = List.of(a);
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(value(o));
            }
            return java.util.Collections.unmodifiableList(out);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(v.toString()) : v;
        }
        return v;
    }

    private static String string(Object v) {
        return v == null ? null : v.toString();
    }

    private static List<String> strings(Object v) {
        if (v == null) {
            return List.of();
        }
        Collection<?> items = v instanceof Object[] a ? List.of(a) : v instanceof Collection<?> c ? c : List.of(v);
        List<String> out = new ArrayList<>(items.size());
        for (Object o : items) {
            if (o != null) {
                out.add(o.toString());
            }
        }
        return out;
    }

    static Long toLong(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s && !s.isBlank()) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Integer toInt(Object v) {
        Long l = toLong(v);
        return l == null ? null : (int) (long) l;
    }

    /** Epoch milliseconds (number or digits); an ISO-8601 instant is accepted too. */
    private static Instant instant(Object v) {
        Long millis = toLong(v);
        if (millis != null) {
            return Instant.ofEpochMilli(millis);
        }
        if (v instanceof String s) {
            try {
                return Instant.parse(s.trim());
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }
}
