package io.sfsync.emulator.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds JWT bearer assertions the way clients do: base64url(header).base64url(claims).base64url(RS256 sig). */
final class TestJwt {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, Object> header = new LinkedHashMap<>();
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private PrivateKey signingKey;

    private TestJwt(PrivateKey signingKey) {
        this.signingKey = signingKey;
        header.put("alg", "RS256");
    }

    static TestJwt signedWith(PrivateKey key) {
        return new TestJwt(key);
    }

    TestJwt header(String name, Object value) {
        header.put(name, value);
        return this;
    }

    TestJwt claim(String name, Object value) {
        claims.put(name, value);
        return this;
    }

    TestJwt withoutClaim(String name) {
        claims.remove(name);
        return this;
    }

    TestJwt signingKey(PrivateKey key) {
        this.signingKey = key;
        return this;
    }

    String compact() {
        String signingInput = encode(header) + "." + encode(claims);
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(signingKey);
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Map<String, Object> json) {
        try {
            return BASE64URL.encodeToString(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
