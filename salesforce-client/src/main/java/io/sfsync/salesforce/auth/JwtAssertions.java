package io.sfsync.salesforce.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** Builds the RS256-signed assertion of the JWT bearer flow. */
public final class JwtAssertions {

    /** Salesforce wants {@code exp} within about three minutes. */
    public static final Duration LIFETIME = Duration.ofMinutes(3);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private JwtAssertions() {
    }

    /** {@code base64url(header).base64url(claims).base64url(signature)} with iss, sub, aud and exp. */
    public static String create(SalesforceCredentials.JwtBearer credentials, Instant now) {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256");
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", credentials.clientId())
                .put("sub", credentials.username())
                .put("aud", credentials.effectiveAudience())
                .put("exp", now.plus(LIFETIME).getEpochSecond());
        String signingInput = B64URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(parsePrivateKey(credentials.privateKeyPem()));
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            // The message of a key exception could describe the key; say only what went wrong.
            throw new IllegalArgumentException("cannot sign the JWT assertion with the configured private key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Parses a PKCS#8 PEM RSA private key ({@code -----BEGIN PRIVATE KEY-----}). */
    public static PrivateKey parsePrivateKey(Secret pem) {
        String text = pem.reveal();
        if (text.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("the private key is PKCS#1 (BEGIN RSA PRIVATE KEY); convert it to "
                    + "PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
        }
        String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key is not a PKCS#8 PEM RSA key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
