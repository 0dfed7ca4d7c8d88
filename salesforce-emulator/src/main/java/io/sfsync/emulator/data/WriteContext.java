package io.sfsync.emulator.data;

/** Who writes and through what: the running user (for audit fields and commitUser) and the change origin. */
public record WriteContext(String userId, ChangeOrigin origin) {
}
