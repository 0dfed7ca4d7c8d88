package io.sfsync.emulator.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code assertion} of the JWT bearer flow (RFC 7523), as Salesforce reads it: three base64url parts,
 * header {@code {"alg":"RS256"}}, claims {@code iss} (consumer key), {@code sub} (username), {@code aud} (login URL)
 * and {@code exp} (epoch seconds; Salesforce's own example sends it as a JSON string, so both forms are read).
 *
 * <p>{@link #parse} only checks the structure and the algorithm; the claims are judged by {@link TokenService}, which
 * knows the org.
 */
final class JwtBearerAssertion {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUIRED_ALGORITHM = "RS256";
    private static final String JCA_ALGORITHM = "SHA256withRSA";

    private final String signingInput;
    private final byte[] signature;
    private final JsonNode claims;

    private JwtBearerAssertion(String signingInput, byte[] signature, JsonNode claims) {
        this.signingInput = signingInput;
        this.signature = signature;
        this.claims = claims;
    }

    /** The parsed assertion, or empty if it is not a well-formed RS256 JWT. */
    static Optional<JwtBearerAssertion> parse(String compact) {
        if (compact == null || compact.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = compact.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = JSON.readTree(base64UrlDecode(parts[0]));
            JsonNode claims = JSON.readTree(base64UrlDecode(parts[1]));
            byte[] signature = base64UrlDecode(parts[2]);
            if (header == null || !header.isObject() || claims == null || !claims.isObject()
                    || !REQUIRED_ALGORITHM.equals(header.path("alg").asText(null))) {
                return Optional.empty();
            }
            return Optional.of(new JwtBearerAssertion(parts[0] + "." + parts[1], signature, claims));
        } catch (IllegalArgumentException | IOException malformed) {
            return Optional.empty();
        }
    }

    Optional<String> issuer() {
        return textClaim("iss");
    }

    Optional<String> subject() {
        return textClaim("sub");
    }

    /** {@code aud} as a list: RFC 7519 allows a single string or an array of strings. */
    List<String> audiences() {
        JsonNode aud = claims.path("aud");
        List<String> audiences = new ArrayList<>();
        if (aud.isTextual()) {
            audiences.add(aud.asText());
        } else if (aud.isArray()) {
            aud.forEach(entry -> {
                if (entry.isTextual()) {
                    audiences.add(entry.asText());
                }
            });
        }
        return audiences;
    }

    /** {@code exp} in epoch seconds, given as a JSON integer or a string of digits; empty if absent or neither. */
    OptionalLong expiresAtEpochSecond() {
        JsonNode exp = claims.path("exp");
        if (exp.isIntegralNumber() && exp.canConvertToLong()) {
            return OptionalLong.of(exp.asLong());
        }
        if (exp.isTextual() && exp.asText().matches("\\d{1,18}")) {
            return OptionalLong.of(Long.parseLong(exp.asText()));
        }
        return OptionalLong.empty();
    }

    boolean isSignedBy(PublicKey key) {
        try {
            Signature verifier = Signature.getInstance(JCA_ALGORITHM);
            verifier.initVerify(key);
            verifier.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException wrongKeyTypeOrGarbledSignature) {
            return false;
        }
    }

    private Optional<String> textClaim(String name) {
        JsonNode value = claims.path(name);
        return value.isTextual() && !value.asText().isEmpty() ? Optional.of(value.asText()) : Optional.empty();
    }

    /** base64url, padding optional (Salesforce's documented example keeps the {@code =}). */
    private static byte[] base64UrlDecode(String part) {
        return Base64.getUrlDecoder().decode(part);
    }
}
