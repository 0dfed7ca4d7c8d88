package io.sfsync.emulator.auth;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An org with a few users and connected apps, a {@link TokenService} over it and a clock the test controls.
 * The ids carry valid case-safe checksums.
 */
final class TestOrg {

    static final String ORG_ID = "00D5g00000LxQ2aEAF";
    static final String INSTANCE_URL = "https://emulator-dev-ed.my.salesforce.com";
    static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

    /** Needs a security token: the password parameter is {@code password + securityToken}. */
    static final EmulatorUser ALICE =
            new EmulatorUser("0055g00000AbCdEAAV", "alice@example.com", "Correct-Horse-1", "Sectok12345", true);
    /** Logs in from a trusted range: no security token. */
    static final EmulatorUser BOB = EmulatorUser.active("0055g00000BobbyAAB", "bob@example.com", "Bob-Pass-2");
    static final EmulatorUser INTEGRATION =
            EmulatorUser.active("0055g00000IntgrAAB", "integration@example.com", "Integration-3");
    static final EmulatorUser INACTIVE =
            new EmulatorUser("0055g00000InactAAB", "gone@example.com", "Gone-Pass-4", null, false);

    static final String MAIN_CLIENT_ID = "3MVG9main.consumer_key";
    static final String MAIN_SECRET = "A1B2C3D4E5F6MAINSECRET";
    /** Admits only ALICE ("Admin approved users are pre-authorized"). */
    static final String RESTRICTED_CLIENT_ID = "3MVG9restricted.consumer_key";
    static final String RESTRICTED_SECRET = "RESTRICTEDSECRET9876";
    /** No certificate and no "Run As" user. */
    static final String BARE_CLIENT_ID = "3MVG9bare.consumer_key";
    static final String BARE_SECRET = "BARESECRET5555";
    /** Its "Run As" user is deactivated. */
    static final String INACTIVE_RUN_AS_CLIENT_ID = "3MVG9inactive_runas.consumer_key";
    static final String INACTIVE_RUN_AS_SECRET = "INACTIVERUNAS7777";

    static final KeyPair APP_KEYS = rsaKeyPair();
    static final KeyPair STRANGER_KEYS = rsaKeyPair();

    final MutableClock clock = new MutableClock(START);
    final TokenService service;

    TestOrg() {
        this(() -> INSTANCE_URL);
    }

    /** For an org behind a server whose address is known only once it has started. */
    TestOrg(Supplier<String> instanceUrl) {
        service = TokenService.builder()
                .orgId(ORG_ID)
                .instanceUrl(instanceUrl)
                .user(ALICE).user(BOB).user(INTEGRATION).user(INACTIVE)
                .connectedApp(ConnectedApp.builder(MAIN_CLIENT_ID, MAIN_SECRET)
                        .jwtPublicKey(APP_KEYS.getPublic())
                        .clientCredentialsRunAsUserId(INTEGRATION.id())
                        .build())
                .connectedApp(ConnectedApp.builder(RESTRICTED_CLIENT_ID, RESTRICTED_SECRET)
                        .jwtPublicKey(APP_KEYS.getPublic())
                        .preAuthorizedUserIds(Set.of(ALICE.id()))
                        .build())
                .connectedApp(new ConnectedApp(BARE_CLIENT_ID, BARE_SECRET, null, null))
                .connectedApp(new ConnectedApp(INACTIVE_RUN_AS_CLIENT_ID, INACTIVE_RUN_AS_SECRET, null, INACTIVE.id()))
                .clock(clock)
                .build();
    }

    TokenResponse token(String... keysAndValues) {
        return service.token(form(keysAndValues), null);
    }

    TokenResponse passwordLogin(EmulatorUser user) {
        return token("grant_type", "password", "client_id", MAIN_CLIENT_ID, "client_secret", MAIN_SECRET,
                "username", user.username(), "password", user.expectedPasswordParameter());
    }

    /** A JWT for ALICE on the main app that Salesforce would accept. */
    TestJwt validJwt() {
        return TestJwt.signedWith(APP_KEYS.getPrivate())
                .claim("iss", MAIN_CLIENT_ID)
                .claim("sub", ALICE.username())
                .claim("aud", TokenService.PRODUCTION_LOGIN_URL)
                .claim("exp", clock.instant().plus(Duration.ofMinutes(3)).getEpochSecond());
    }

    TokenResponse jwtLogin(TestJwt jwt) {
        return token("grant_type", TokenService.JWT_BEARER_GRANT, "assertion", jwt.compact());
    }

    static Map<String, String> form(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must pair up");
        }
        Map<String, String> form = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            form.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return form;
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
