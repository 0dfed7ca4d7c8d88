package io.sfsync.emulator.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A live session: what an access token stands for.
 *
 * @param userId      the 18-character id of the user the session runs as
 * @param orgId       the 18-character org id
 * @param clientId    the connected app's consumer key that obtained it
 * @param accessToken the token itself (never printed by {@link #toString()})
 * @param issuedAt    when it was issued
 */
public record Session(String userId, String orgId, String clientId, String accessToken, Instant issuedAt) {

    public Session {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }

    /** Leaves out the access token. */
    @Override
    public String toString() {
        return "Session[userId=" + userId + ", orgId=" + orgId + ", clientId=" + clientId
                + ", issuedAt=" + issuedAt + "]";
    }
}
