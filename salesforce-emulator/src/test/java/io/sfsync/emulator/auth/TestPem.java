package io.sfsync.emulator.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * A self-signed certificate and its private key, made with openssl for these tests only
 * ({@code openssl req -x509 -newkey rsa:2048 -nodes}), as a connected app's "Use digital signatures" upload would be.
 */
final class TestPem {

    private TestPem() {
    }

    static String certificate() throws IOException {
        return resource("test-jwt-certificate.pem");
    }

    static PrivateKey privateKey() throws Exception {
        String pem = resource("test-jwt-private-key.pem")
                .replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "");
        byte[] der = Base64.getMimeDecoder().decode(pem.trim());
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = TestPem.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
