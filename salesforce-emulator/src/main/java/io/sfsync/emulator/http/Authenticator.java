package io.sfsync.emulator.http;

import java.util.Optional;

/** Resolves an access token to the id of the user it was issued to, if the session is valid. */
@FunctionalInterface
public interface Authenticator {
    Optional<String> userIdFor(String accessToken);
}
