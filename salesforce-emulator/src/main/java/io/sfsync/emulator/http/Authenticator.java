package io.sfsync.emulator.http;

import java.util.Optional;

/** Resolves an access token to the id of the user it was issued to, if the session is valid. */
@FunctionalInterface
public interface Authenticator {
    Optional<String> userIdFor(String accessToken);

    /**
     * The token of an {@code Authorization} header; Salesforce accepts both {@code Bearer} and {@code OAuth}.
     * Returns null when the header is missing or of another scheme.
     */
    static String bearerToken(String authorizationHeader) {
        if (authorizationHeader == null) {
            return null;
        }
        String h = authorizationHeader.trim();
        for (String scheme : new String[] {"Bearer ", "OAuth "}) {
            if (h.regionMatches(true, 0, scheme, 0, scheme.length())) {
                String token = h.substring(scheme.length()).trim();
                return token.isEmpty() ? null : token;
            }
        }
        return null;
    }
}
