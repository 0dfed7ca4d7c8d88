package io.sfsync.emulator.data;

/**
 * A side effect in the same transaction as the write that fires it, as an Apex before-trigger or a record-
 * triggered flow has: when {@code whenField} of {@code objectName} changes (or is set on create), set
 * {@code setField} to {@code value}, or to the new value of {@code valueFrom} when that is given.
 *
 * <p>The side effect lands in the same record change, so CDC reports it in the same event with the same
 * changeOrigin as the API write that caused it: exactly the situation a sync's loop prevention must get right.
 */
public record TriggerRule(String id, String objectName, String whenField, String setField, Object value,
                          String valueFrom) {
}
