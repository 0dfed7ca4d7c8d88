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
