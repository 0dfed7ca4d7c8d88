package io.sfsync.emulator.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The client id and secret a token request carries, either as {@code client_id}/{@code client_secret} form
 * parameters or in an HTTP Basic {@code Authorization} header; Salesforce documents both for the client credentials
 * and refresh token flows. Form parameters win when both are present.
 */
record ClientCredentials(String clientId, String clientSecret) {

    private static final String BASIC_PREFIX = "basic ";

    static ClientCredentials from(Map<String, String> form, String authorizationHeader) {
        String formClientId = form.get("client_id");
        if (formClientId != null && !formClientId.isEmpty()) {
            return new ClientCredentials(formClientId, form.get("client_secret"));
        }
        ClientCredentials basic = fromBasicHeader(authorizationHeader);
        return basic != null ? basic : new ClientCredentials(null, form.get("client_secret"));
    }

    private static ClientCredentials fromBasicHeader(String header) {
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(BASIC_PREFIX)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(BASIC_PREFIX.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new ClientCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    boolean hasClientId() {
        return clientId != null && !clientId.isEmpty();
    }

    boolean hasClientSecret() {
        return clientSecret != null && !clientSecret.isEmpty();
    }

    /** Leaves out the secret. */
    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + "]";
    }
}
