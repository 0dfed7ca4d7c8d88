package io.sfsync.emulator.auth;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the public key that verifies JWT bearer assertions from PEM text.
 *
 * <p>Salesforce takes an X.509 certificate ("Use digital signatures" on the connected app), so that is the usual
 * input; a bare {@code PUBLIC KEY} block (SubjectPublicKeyInfo, as {@code openssl rsa -pubout} writes it) is accepted
 * too because tests can produce one without a certificate authority.
 */
final class PemPublicKeys {

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private PemPublicKeys() {
    }

    static PublicKey read(String pem) {
        Matcher block = PEM_BLOCK.matcher(pem);
        if (!block.find()) {
            throw new IllegalArgumentException("no PEM block (-----BEGIN ...-----) found");
        }
        String label = block.group(1);
        byte[] der = Base64.getMimeDecoder().decode(block.group(2).getBytes(StandardCharsets.US_ASCII));
        try {
            switch (label) {
                case "CERTIFICATE":
                    return CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der))
                            .getPublicKey();
                case "PUBLIC KEY":
                    return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
                default:
                    throw new IllegalArgumentException(
                            "expected a CERTIFICATE or PUBLIC KEY PEM block, got " + label);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unreadable " + label + " PEM block", e);
        }
    }
}
