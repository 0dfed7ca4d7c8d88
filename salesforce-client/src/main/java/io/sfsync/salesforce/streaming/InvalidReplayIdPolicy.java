package io.sfsync.salesforce.streaming;

/**
 * What to do when a subscription is refused because its replay id is invalid or expired. Called on the
 * subscriber's control thread (with the caller's logging context), once per refused subscription; it must be quick
 * and must not call back into the subscriber.
 */
@FunctionalInterface
public interface InvalidReplayIdPolicy {

    enum Action {
        /**
         * The caller re-reads the data (a new snapshot) and the channel is subscribed again from the tip (-1);
         * logged at INFO.
         */
        RESYNC,
        /** The subscriber stops; {@link CdcSubscriber#poll} throws a {@link CdcStreamException} naming the report. */
        FAIL,
        /** Subscribe again from the tip (-1), accepting the loss; logged at WARN and counted. */
        LATEST
    }

    Action onInvalidReplayId(ReplayIdInvalid report);

    /** A policy that always answers {@code action}. */
    static InvalidReplayIdPolicy always(Action action) {
        return report -> action;
    }
}
