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

    /** A deep, compact, immutable copy (see {@link FrozenMap} for why compact). */
    private static Map<String, Object> frozenMap(Map<String, Object> m) {
        return m instanceof FrozenMap f ? f : new FrozenMap(m, ChangeEvent::frozen);
    }

    @SuppressWarnings("unchecked")
    private static Object frozen(Object v) {
        if (v instanceof Map<?, ?> m) {
            return frozenMap((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            // Arrays.asList keeps nulls (List.copyOf does not) and, wrapped, is as small as an immutable list gets.
            return java.util.Collections.unmodifiableList(java.util.Arrays.asList(l.stream().map(ChangeEvent::frozen)
                    .toArray()));
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
