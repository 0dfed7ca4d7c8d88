package io.sfsync.salesforce.streaming;

import java.util.OptionalLong;

/**
 * The last replay id of each channel that the caller has durably committed (for a connector: the source offsets
 * the worker has flushed). The subscriber asks it on every (re)subscription, so it resumes from what is safe, not
 * from what it last handed over; events between the two come again and are skipped by replay id.
 * Called on the subscriber's control thread; it must be thread-safe and quick.
 */
@FunctionalInterface
public interface ReplayStore {

    /** The last committed replay id of {@code channel}, or empty if nothing was committed yet. */
    OptionalLong lastCommitted(String channel);

    /** A store with nothing committed: every (re)subscription starts from the configured position. */
    static ReplayStore none() {
        return channel -> OptionalLong.empty();
    }
}
