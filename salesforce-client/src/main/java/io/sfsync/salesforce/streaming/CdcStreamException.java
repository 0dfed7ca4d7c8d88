package io.sfsync.salesforce.streaming;

import java.util.Optional;

/**
 * The subscriber stopped and cannot go on by itself; thrown by {@link CdcSubscriber#poll}. {@link #reason()} says
 * why; a new subscriber (for example after the task restarts) may succeed when the reason is transient.
 */
public final class CdcStreamException extends RuntimeException {

    public enum Reason {
        /** A replay id was refused and the policy said {@link InvalidReplayIdPolicy.Action#FAIL}. */
        REPLAY_ID_INVALID,
        /** Authentication failed again after a fresh token, or a token could not be obtained. */
        AUTHENTICATION,
        /** The server refused the handshake or the connection for good (advice {@code reconnect:none}). */
        CONNECTION_REFUSED,
        /** A subscription was refused (unknown channel, missing permission). */
        SUBSCRIPTION_REFUSED,
        /** The server does not support replay (handshake reply without {@code ext.replay:true}). */
        REPLAY_UNSUPPORTED,
        /** An unexpected failure in the subscriber. */
        INTERNAL
    }

    private final Reason reason;
    private final transient ReplayIdInvalid replayIdInvalid;

    public CdcStreamException(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, null);
    }

    CdcStreamException(Reason reason, String message, Throwable cause, ReplayIdInvalid replayIdInvalid) {
        super(message, cause);
        this.reason = reason;
        this.replayIdInvalid = replayIdInvalid;
    }

    public Reason reason() {
        return reason;
    }

    /** The refused replay id, for {@link Reason#REPLAY_ID_INVALID}. */
    public Optional<ReplayIdInvalid> replayIdInvalid() {
        return Optional.ofNullable(replayIdInvalid);
    }

    /** A copy to throw on the polling thread, with this one (and its background stack) as the cause. */
    CdcStreamException rethrowable() {
        return new CdcStreamException(reason, getMessage(), this, replayIdInvalid);
    }
}
