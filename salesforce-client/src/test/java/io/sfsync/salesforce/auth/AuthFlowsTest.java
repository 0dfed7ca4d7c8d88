package io.sfsync.salesforce.auth;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.budget.GovernorRegistry;
import io.sfsync.salesforce.error.ErrorCategory;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.error.SalesforceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every OAuth flow against the emulator's token endpoint, its failures, re-login on 401 and the shared refresh. */
class AuthFlowsTest {

    static final KeyPair APP_KEY = rsaKeyPair();

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension(b -> b.jwtPublicKey(APP_KEY.getPublic()));

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pkcs8Pem(KeyPair keys) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static URI login() {
        return URI.create(SF.emulator().baseUrl());
    }

    private static SalesforceClient build(SalesforceCredentials credentials) {
        return SalesforceClient.builder(credentials, TestSupport.CALL_CLIENT)
                .governorRegistry(new GovernorRegistry()).budget(TestSupport.fastBudget()).build();
    }

    @Test
    void jwtBearerLogsInWithASignedAssertion() {
        var jwt = new SalesforceCredentials.JwtBearer(login(), SalesforceEmulator.CLIENT_ID,
                SalesforceEmulator.INTEGRATION_USERNAME, Secret.of(pkcs8Pem(APP_KEY)), null);
        try (SalesforceClient sf = build(jwt)) {
            assertThat(sf.tokens().current().orgId()).isEqualTo(SalesforceEmulator.ORG_ID);
            assertThat(sf.tokens().current().userId()).isEqualTo(SalesforceEmulator.INTEGRATION_USER_ID);
            assertThat(sf.dailyUsage().max()).isPositive();
        }
    }

    @Test
    void jwtBearerAcceptsTheProductionAudience() {
        var jwt = new SalesforceCredentials.JwtBearer(login(), SalesforceEmulator.CLIENT_ID,
                SalesforceEmulator.ADMIN_USERNAME, Secret.of(pkcs8Pem(APP_KEY)), "https://login.salesforce.com");
        try (SalesforceClient sf = build(jwt)) {
            assertThat(sf.tokens().current().userId()).isEqualTo(SalesforceEmulator.ADMIN_USER_ID);
        }
    }

    @Test
    void jwtSignedWithAnotherKeyIsFatalInvalidGrant() {
        var jwt = new SalesforceCredentials.JwtBearer(login(), SalesforceEmulator.CLIENT_ID,
                SalesforceEmulator.INTEGRATION_USERNAME, Secret.of(pkcs8Pem(rsaKeyPair())), null);
        FatalSalesforceException e = catchThrowableOfType(FatalSalesforceException.class, () -> build(jwt));
        assertThat(e.category()).isEqualTo(ErrorCategory.FATAL);
        assertThat(e.errorCode()).isEqualTo("invalid_grant");
        assertThat(e.getMessage()).contains("invalid assertion");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getCause()).isNotNull();
    }

    @Test
    void jwtForAnUnknownUserIsFatal() {
        var jwt = new SalesforceCredentials.JwtBearer(login(), SalesforceEmulator.CLIENT_ID, "nobody@example.com",
                Secret.of(pkcs8Pem(APP_KEY)), null);
        assertThatThrownBy(() -> build(jwt)).isInstanceOf(FatalSalesforceException.class)
                .hasMessageContaining("user hasn't approved this consumer");
    }

    @Test
    void jwtWithAGarbagePrivateKeyIsFatalWithoutTheKeyInTheMessage() {
        var jwt = new SalesforceCredentials.JwtBearer(login(), SalesforceEmulator.CLIENT_ID,
                SalesforceEmulator.INTEGRATION_USERNAME, Secret.of("-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5\n"
                + "-----END PRIVATE KEY-----"), null);
        assertThatThrownBy(() -> build(jwt)).isInstanceOf(FatalSalesforceException.class)
                .hasMessageContaining("PKCS#8").hasMessageNotContaining("bm90LWEta2V5");
    }

    @Test
    void clientCredentialsLogInAsTheRunAsUser() {
        try (SalesforceClient sf = build(TestSupport.clientCredentials(SF.emulator()))) {
            assertThat(sf.tokens().current().userId()).isEqualTo(SalesforceEmulator.INTEGRATION_USER_ID);
            assertThat(sf.tokens().current().instanceUrl()).isEqualTo(login());
        }
    }

    @Test
    void aBadClientSecretIsFatalWithTheOAuthErrorAndWithoutTheSecret() {
        var bad = new SalesforceCredentials.ClientCredentials(login(), SalesforceEmulator.CLIENT_ID,
                Secret.of("wrong-secret-value-123"));
        SalesforceException e = catchThrowableOfType(SalesforceException.class, () -> build(bad));
        assertThat(e).isInstanceOf(FatalSalesforceException.class);
        assertThat(e.category()).isEqualTo(ErrorCategory.FATAL);
        assertThat(e.errorCode()).isEqualTo("invalid_client");
        assertThat(e.errors().get(0).message()).isEqualTo("invalid client credentials");
        assertThat(e.getMessage()).contains("invalid_client").doesNotContain("wrong-secret-value-123");
        assertThat(e.getCause()).isNotNull();
    }

    @Test
    void anUnknownClientIdIsFatal() {
        var bad = new SalesforceCredentials.ClientCredentials(login(), "no-such-app",
                Secret.of(SalesforceEmulator.CLIENT_SECRET));
        SalesforceException e = catchThrowableOfType(SalesforceException.class, () -> build(bad));
        assertThat(e.errorCode()).isEqualTo("invalid_client_id");
        assertThat(e.category()).isEqualTo(ErrorCategory.FATAL);
    }

    @Test
    void passwordFlowWorksAndABadPasswordIsFatal() {
        var good = new SalesforceCredentials.Password(login(), SalesforceEmulator.CLIENT_ID,
                Secret.of(SalesforceEmulator.CLIENT_SECRET), SalesforceEmulator.ADMIN_USERNAME,
                Secret.of(SalesforceEmulator.PASSWORD), null);
        try (SalesforceClient sf = build(good)) {
            assertThat(sf.tokens().current().userId()).isEqualTo(SalesforceEmulator.ADMIN_USER_ID);
        }
        var bad = new SalesforceCredentials.Password(login(), SalesforceEmulator.CLIENT_ID,
                Secret.of(SalesforceEmulator.CLIENT_SECRET), SalesforceEmulator.ADMIN_USERNAME,
                Secret.of("not-the-password-42"), null);
        SalesforceException e = catchThrowableOfType(SalesforceException.class, () -> build(bad));
        assertThat(e.errorCode()).isEqualTo("invalid_grant");
        assertThat(e.getMessage()).contains("authentication failure").doesNotContain("not-the-password-42");
    }

    @Test
    void refreshTokenFlowWorksUntilTheRefreshTokenIsRevoked() {
        String refresh = SF.emulator().tokens().grantRefreshToken(SalesforceEmulator.INTEGRATION_USER_ID,
                SalesforceEmulator.CLIENT_ID);
        var creds = new SalesforceCredentials.RefreshToken(login(), SalesforceEmulator.CLIENT_ID,
                Secret.of(SalesforceEmulator.CLIENT_SECRET), Secret.of(refresh));
        try (SalesforceClient sf = build(creds)) {
            assertThat(sf.dailyUsage().max()).isPositive();
            // The access token is revoked mid-run: the client gets a new one from the refresh token.
            SF.emulator().tokens().revoke(sf.tokens().current().value());
            assertThat(sf.dailyUsage().max()).isPositive();
            assertThat(sf.metrics().reauthentications()).isEqualTo(1);
        }
        SF.emulator().tokens().revoke(refresh);
        SalesforceException e = catchThrowableOfType(SalesforceException.class, () -> build(creds));
        assertThat(e.category()).isEqualTo(ErrorCategory.FATAL);
        assertThat(e.getMessage()).contains("expired access/refresh token").doesNotContain(refresh);
    }

    @Test
    void aTokenRevokedMidRunCausesOneReLoginAndTheCallSucceeds() {
        try (SalesforceClient sf = build(TestSupport.clientCredentials(SF.emulator()))) {
            sf.describe().describe("Account");
            AccessToken before = sf.tokens().current();
            assertThat(sf.metrics().tokenRequests()).isEqualTo(1);

            SF.emulator().tokens().revoke(before.value());
            assertThat(sf.describe().revalidate("Account").name()).isEqualTo("Account");

            assertThat(sf.metrics().reauthentications()).isEqualTo(1);
            assertThat(sf.metrics().tokenRequests()).isEqualTo(2);
            assertThat(sf.tokens().current().value()).isNotEqualTo(before.value());
        }
    }

    @Test
    void twentyConcurrentCallersAfterExpireAllShareOneTokenRequest() throws Exception {
        try (SalesforceClient sf = build(TestSupport.clientCredentials(SF.emulator()))) {
            sf.dailyUsage();
            SF.emulator().tokens().expireAll();
            long tokenRequestsBefore = sf.metrics().tokenRequests();

            int callers = 20;
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return sf.dailyUsage().max();
                }));
            }
            start.countDown();
            for (Future<Long> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isPositive();
            }
            pool.shutdown();

            assertThat(sf.metrics().tokenRequests() - tokenRequestsBefore).isEqualTo(1);
            assertThat(sf.metrics().reauthentications()).isBetween(1L, (long) callers);
            // The org agrees: exactly one session was opened after expireAll.
            AtomicInteger live = new AtomicInteger();
            SF.emulator().tokens().addRevocationListener(token -> live.incrementAndGet());
            SF.emulator().tokens().expireAll();
            assertThat(live.get()).isEqualTo(1);
        }
    }
}
