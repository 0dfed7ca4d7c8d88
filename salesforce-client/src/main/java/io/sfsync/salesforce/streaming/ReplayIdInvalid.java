package io.sfsync.salesforce.streaming;

/**
 * The server refused to subscribe {@code channel} from {@code replayId}: it is unknown or older than the retention
 * window ({@code 400::The replayId {N} you provided was invalid...}). Events between that id and now may be lost
 * for this subscriber, which is why the caller's {@link InvalidReplayIdPolicy} decides what happens next.
 *
 * @param error the server's error text
 */
public record ReplayIdInvalid(String channel, long replayId, String error) {
}
