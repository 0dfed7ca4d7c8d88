package io.sfsync.emulator.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Checks on token response fields shared by the grant tests. */
final class TokenAssertions {

    /** {@code <15-char org id>!} then Salesforce's opaque token alphabet. */
    static final String ACCESS_TOKEN_PATTERN = "00D5g00000LxQ2a![A-Za-z0-9._]{90,}";

    private TokenAssertions() {
    }

    static void assertIdentityUrlFor(Map<String, String> body, EmulatorUser user) {
        assertThat(body.get("id"))
                .isEqualTo("https://login.salesforce.com/id/" + TestOrg.ORG_ID + "/" + user.id());
    }

    /** The signature must be Base64(HMAC-SHA256(client secret, id + issued_at)), recomputed here independently. */
    static void assertSignedWith(Map<String, String> body, String clientSecret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((body.get("id") + body.get("issued_at")).getBytes(StandardCharsets.UTF_8));
        assertThat(body.get("signature")).isEqualTo(Base64.getEncoder().encodeToString(expected));
    }
}
