package io.sfsync.emulator.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads the access token from an {@code Authorization} header. Salesforce accepts both {@code Bearer <token>} and
 * the older {@code OAuth <token>} on every API; the scheme name is case-insensitive.
 */
public final class AuthorizationHeader {

    private static final String[] SCHEMES = {"bearer ", "oauth "};

    private AuthorizationHeader() {
    }

    /** The token in a {@code Bearer} or {@code OAuth} header; empty if the header is absent, blank or another scheme. */
    public static Optional<String> accessToken(String headerValue) {
        if (headerValue == null) {
            return Optional.empty();
        }
        String trimmed = headerValue.trim();
        String lowerCase = trimmed.toLowerCase(Locale.ROOT);
        for (String scheme : SCHEMES) {
            if (lowerCase.startsWith(scheme)) {
                String token = trimmed.substring(scheme.length()).trim();
                return token.isEmpty() ? Optional.empty() : Optional.of(token);
            }
        }
        return Optional.empty();
    }
}
