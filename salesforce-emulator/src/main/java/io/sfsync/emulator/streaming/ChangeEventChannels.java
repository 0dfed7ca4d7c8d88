package io.sfsync.emulator.streaming;

import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.model.SObjectType;

import java.util.Optional;
import java.util.Set;

/** Maps CometD channel names to the change events they carry. */
final class ChangeEventChannels {

    static final String ALL = "/data/ChangeEvents";
    private static final String PREFIX = "/data/";
    private static final String SUFFIX = "ChangeEvent";

    private ChangeEventChannels() {
    }

    /** A change event channel and the entities whose events it carries ({@code null} = every entity). */
    record Target(String channel, Set<String> entities) {
    }

    /**
     * What a channel carries: every entity for {@code /data/ChangeEvents}, one entity for
     * {@code /data/AccountChangeEvent} or {@code /data/Employee__ChangeEvent}. Empty when the channel does not
     * exist in this org: an unknown object, an object not selected for Change Data Capture, or any channel that
     * is not a change event channel (this emulator has no PushTopics, platform events or custom channels).
     */
    static Optional<Target> resolve(String channel, Org org) {
        if (ALL.equals(channel)) {
            return Optional.of(new Target(channel, null));
        }
        if (channel == null || !channel.startsWith(PREFIX) || !channel.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        String stem = channel.substring(PREFIX.length(), channel.length() - SUFFIX.length());
        if (stem.isEmpty() || stem.contains("/") || stem.contains("*")) {
            return Optional.empty();
        }
        String entity = stem.endsWith("__") ? stem + "c" : stem;
        Optional<SObjectType> type = org.schema().find(entity);
        if (type.isEmpty() || !type.get().name().equals(entity) || !org.changeEventEntities().contains(entity)) {
            return Optional.empty();
        }
        return Optional.of(new Target(channel, Set.of(entity)));
    }
}
