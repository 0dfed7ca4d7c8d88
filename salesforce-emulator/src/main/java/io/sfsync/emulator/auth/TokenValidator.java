package io.sfsync.emulator.auth;

import java.util.Optional;

/**
 * Tells whether an access token (as sent in {@code Authorization: Bearer <token>} or {@code OAuth <token>}) is
 * currently valid and for which user. The emulator adapts its OAuth token service to this.
 */
@FunctionalInterface
public interface TokenValidator {

    /** The 18-character id of the token's user, or empty when the token is unknown, expired or revoked. */
    Optional<String> userIdFor(String accessToken);
}
