package io.sfsync.emulator.streaming;

/**
 * The {@code error} strings of Salesforce's Streaming API ({@code "<code>::<text>"}), as listed in its
 * "Streaming API Error Codes" table. Placeholders the docs write in braces keep their braces when filled in,
 * as real replies show: {@code The replayId {12} you provided...}, {@code ...does not exist {/topic/X}}.
 */
public final class StreamingErrors {

    public static final String UNKNOWN_CLIENT = "403::Unknown client";
    public static final String HANDSHAKE_DENIED = "403::Handshake denied";
    public static final String AUTHENTICATION_INVALID = "401::Authentication invalid";
    public static final String REQUEST_REQUIRES_AUTHENTICATION = "401::Request requires authentication";
    public static final String NOT_HANDSHAKEN = "403::Client has not completed handshake";
    public static final String CONCURRENT_CLIENTS = "403::Organization concurrent user limit exceeded";
    public static final String DAILY_LIMIT = "403::Organization total events daily limit exceeded";
    public static final String CHANNEL_NOT_SPECIFIED = "400::Channel name not specified";
    public static final String CHANNEL_NEEDS_SLASH = "400::Channel subscriptions must start with a leading '/'";

    private StreamingErrors() {
    }

    public static String invalidReplayId(Object replayId) {
        return "400::The replayId {" + replayId + "} you provided was invalid. Please provide a valid ID, -2 to"
                + " replay all events, or -1 to replay only new events.";
    }

    public static String noSuchChannel(String channel) {
        return "400::The channel you requested to subscribe to does not exist {" + channel + "}";
    }

    public static String invalidConnectionType(String connectionType) {
        return "400::Invalid connection type {" + connectionType + "}";
    }

    public static String missingCookie(String clientId, String cookieName) {
        return "400::Client " + clientId + " has established a session, but no " + cookieName + " cookie present";
    }

    public static String versionMandatory(String currentVersion) {
        return "400::API version in the URI is mandatory. URI format: '/cometd/" + currentVersion + "'";
    }

    public static String unsupportedVersion(double minimum, String currentVersion) {
        return "400::Unsupported API version. Only API versions '" + minimum + "' and later are supported."
                + " URI format: '/cometd/" + currentVersion + "'";
    }
}
