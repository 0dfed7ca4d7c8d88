package io.sfsync.emulator.cdc;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One change event as the event bus retains it: its replay id, the entity it is about, when it was committed,
 * and the {@code data} object exactly as CometD subscribers receive it:
 * {@code {"schema":..,"payload":{..,"ChangeEventHeader":{..}},"event":{"replayId":N}}}.
 *
 * <p>{@code data} is built from plain JSON-compatible Java values (maps, lists, strings, numbers, booleans) so
 * any JSON library can write it.
 */
public record ChangeEvent(long replayId, String entityName, String changeType, List<String> recordIds,
                          Instant committedAt, Map<String, Object> data) {

    /** Retained events are shared by every subscriber, so their data can never change once published. */
    public ChangeEvent {
        recordIds = List.copyOf(recordIds);
        data = frozenMap(data);
    }

    private static Map<String, Object> frozenMap(Map<String, Object> m) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(k, frozen(v)));
        return java.util.Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object frozen(Object v) {
        if (v instanceof Map<?, ?> m) {
            return frozenMap((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            return java.util.Collections.unmodifiableList(new java.util.ArrayList<>(l.stream().map(ChangeEvent::frozen).toList()));
        }
        return v;
    }

    /** The CometD channel of the entity: {@code /data/AccountChangeEvent}, {@code /data/Employee__ChangeEvent}. */
    public static String channelOf(String entityName) {
        return "/data/" + (entityName.endsWith("__c")
                ? entityName.substring(0, entityName.length() - 3) + "__ChangeEvent"
                : entityName + "ChangeEvent");
    }

    public String channel() {
        return channelOf(entityName);
    }
}
