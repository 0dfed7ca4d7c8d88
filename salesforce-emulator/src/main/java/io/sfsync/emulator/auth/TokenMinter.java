package io.sfsync.emulator.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes tokens that look like Salesforce's, and the token response {@code signature}.
 *
 * <ul>
 *   <li>Access tokens are {@code <15-char org id>!<opaque part>}, the opaque part starting {@code AQ} and made of
 *       letters, digits, {@code .} and {@code _}, about 110 characters in all, like
 *       {@code 00D4c0000008cs2!AQgAQEz6V7...}. Clients must treat them as opaque; some parse the org id prefix.</li>
 *   <li>Refresh tokens start {@code 5Aep861} and are about 87 characters of the same alphabet.</li>
 *   <li>{@code signature} is Base64(HMAC-SHA256(key = client secret, data = id + issued_at)), as Salesforce
 *       documents it, so clients can check that the identity URL was not tampered with.</li>
 * </ul>
 */
final class TokenMinter {

    private static final char[] TOKEN_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._".toCharArray();
    private static final int ACCESS_TOKEN_OPAQUE_LENGTH = 94;
    private static final int REFRESH_TOKEN_RANDOM_LENGTH = 80;
    private static final String HMAC_SHA256 = "HmacSHA256";

    private final SecureRandom random = new SecureRandom();

    String newAccessToken(String orgId15) {
        return orgId15 + "!AQ" + randomChars(ACCESS_TOKEN_OPAQUE_LENGTH);
    }

    String newRefreshToken() {
        return "5Aep861" + randomChars(REFRESH_TOKEN_RANDOM_LENGTH);
    }

    static String signature(String identityUrl, String issuedAt, String clientSecret) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), HMAC_SHA256));
            byte[] digest = mac.doFinal((identityUrl + issuedAt).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private String randomChars(int count) {
        char[] chars = new char[count];
        for (int i = 0; i < count; i++) {
            chars[i] = TOKEN_ALPHABET[random.nextInt(TOKEN_ALPHABET.length)];
        }
        return new String(chars);
    }
}
