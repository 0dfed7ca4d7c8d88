package io.sfsync.salesforce.streaming;

import java.util.List;
import java.util.Objects;

/**
 * One Change Data Capture event as received on a CometD channel.
 *
 * @param channel  the channel it came on ({@code /data/ChangeEvents}, {@code /data/AccountChangeEvent}); the same
 *                 change reaches every channel subscribed that carries it, each with that channel's replay id
 * @param replayId the event's position on the channel: increasing, not contiguous, opaque otherwise
 * @param schemaId {@code data.schema}, the id of the event schema (changes when the object's fields change)
 * @param header   {@code payload.ChangeEventHeader}
 * @param fields   the rest of {@code payload}
 */
public record ChangeEvent(String channel, long replayId, String schemaId, ChangeEventHeader header,
                          ChangeEventFields fields) {

    public ChangeEvent {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(fields, "fields");
    }

    public ChangeType changeType() {
        return header.changeType();
    }

    public String entityName() {
        return header.entityName();
    }

    public List<String> recordIds() {
        return header.recordIds();
    }

    @Override
    public String toString() {
        // No field values: they are customer data.
        return "ChangeEvent[" + channel + " #" + replayId + " " + header.changeType() + " " + header.entityName()
                + " " + header.recordIds() + " fields=" + fields.names() + "]";
    }
}
