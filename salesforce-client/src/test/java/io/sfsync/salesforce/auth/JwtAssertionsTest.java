package io.sfsync.salesforce.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtAssertionsTest {

    @Test
    void assertionIsRs256SignedWithTheDocumentedClaims() throws Exception {
        KeyPair keys = AuthFlowsTest.rsaKeyPair();
        var creds = new SalesforceCredentials.JwtBearer(URI.create("https://login.salesforce.com/"), "3MVGkey",
                "me@example.com", Secret.of(AuthFlowsTest.pkcs8Pem(keys)), null);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        String[] parts = JwtAssertions.create(creds, now).split("\\.");
        assertThat(parts).hasSize(3);
        Base64.Decoder b64 = Base64.getUrlDecoder();
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(b64.decode(parts[0])).path("alg").asText()).isEqualTo("RS256");
        JsonNode claims = json.readTree(b64.decode(parts[1]));
        assertThat(claims.path("iss").asText()).isEqualTo("3MVGkey");
        assertThat(claims.path("sub").asText()).isEqualTo("me@example.com");
        assertThat(claims.path("aud").asText()).isEqualTo("https://login.salesforce.com");
        assertThat(claims.path("exp").asLong()).isEqualTo(now.plus(JwtAssertions.LIFETIME).getEpochSecond());
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(keys.getPublic());
        verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verify.verify(b64.decode(parts[2]))).isTrue();
        assertThat(parts[0] + parts[1] + parts[2]).doesNotContain("=", "+", "/");
    }

    @Test
    void anExplicitAudienceWinsAndPkcs1KeysGetAConversionHint() {
        var sandbox = new SalesforceCredentials.JwtBearer(URI.create("https://mydomain.my.salesforce.com"), "k", "u",
                Secret.of("x"), "https://test.salesforce.com");
        assertThat(sandbox.effectiveAudience()).isEqualTo("https://test.salesforce.com");
        assertThatThrownBy(() -> JwtAssertions.parsePrivateKey(Secret.of("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----"))).hasMessageContaining("openssl pkcs8");
    }
}
