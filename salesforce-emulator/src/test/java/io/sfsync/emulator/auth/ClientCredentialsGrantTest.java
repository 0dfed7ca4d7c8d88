package io.sfsync.emulator.auth;

import static io.sfsync.emulator.auth.TestOrg.INTEGRATION;
import static io.sfsync.emulator.auth.TestOrg.MAIN_CLIENT_ID;
import static io.sfsync.emulator.auth.TestOrg.MAIN_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ClientCredentialsGrantTest {

    private final TestOrg org = new TestOrg();

    @Test
    void succeedsAsTheRunAsUserWithExactlySalesforcesKeys() throws Exception {
        TokenResponse response = org.token("grant_type", "client_credentials",
                "client_id", MAIN_CLIENT_ID, "client_secret", MAIN_SECRET);

        assertThat(response.httpStatus()).isEqualTo(200);
        assertThat(response.body().keySet()).containsExactly(
                "access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at");
        assertThat(response.body().get("access_token")).matches(TokenAssertions.ACCESS_TOKEN_PATTERN);
        assertThat(response.body().get("scope")).isEqualTo("api");
        assertThat(response.body().get("instance_url")).isEqualTo(TestOrg.INSTANCE_URL);
        assertThat(response.body().get("token_type")).isEqualTo("Bearer");
        assertThat(response.body().get("issued_at")).isEqualTo(Long.toString(TestOrg.START.toEpochMilli()));
        TokenAssertions.assertIdentityUrlFor(response.body(), INTEGRATION);
        TokenAssertions.assertSignedWith(response.body(), MAIN_SECRET);
        assertThat(response.refreshToken()).isEmpty();
        assertThat(org.service.validate(response.accessToken().orElseThrow()).orElseThrow().userId())
                .isEqualTo(INTEGRATION.id());
    }

    @Test
    void acceptsTheClientCredentialsInAnHttpBasicHeader() {
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (MAIN_CLIENT_ID + ":" + MAIN_SECRET).getBytes(StandardCharsets.UTF_8));

        TokenResponse response = org.service.token(TestOrg.form("grant_type", "client_credentials"), basic);

        assertThat(response.isSuccess()).isTrue();
    }

    @Test
    void wrongSecretInAnHttpBasicHeaderIsInvalidClientCredentials() {
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (MAIN_CLIENT_ID + ":wrong").getBytes(StandardCharsets.UTF_8));

        TokenResponse response = org.service.token(TestOrg.form("grant_type", "client_credentials"), basic);

        assertThat(response.is(OAuthError.INVALID_CLIENT_CREDENTIALS)).isTrue();
    }

    @Test
    void appWithoutRunAsUserHasNoClientCredentialsUser() {
        TokenResponse response = org.token("grant_type", "client_credentials",
                "client_id", TestOrg.BARE_CLIENT_ID, "client_secret", TestOrg.BARE_SECRET);

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.error()).contains("invalid_grant");
        assertThat(response.errorDescription()).contains("no client credentials user enabled");
    }

    @Test
    void inactiveRunAsUserIsRejectedAsInactive() {
        TokenResponse response = org.token("grant_type", "client_credentials",
                "client_id", TestOrg.INACTIVE_RUN_AS_CLIENT_ID, "client_secret", TestOrg.INACTIVE_RUN_AS_SECRET);

        assertThat(response.is(OAuthError.INACTIVE_USER)).isTrue();
    }

    @Test
    void wrongSecretIsInvalidClientCredentials() {
        TokenResponse response = org.token("grant_type", "client_credentials",
                "client_id", MAIN_CLIENT_ID, "client_secret", "wrong");

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.is(OAuthError.INVALID_CLIENT_CREDENTIALS)).isTrue();
    }

    @Test
    void missingClientIdOrSecretIsInvalidClientCredentials() {
        assertThat(org.token("grant_type", "client_credentials", "client_secret", MAIN_SECRET)
                .is(OAuthError.INVALID_CLIENT_CREDENTIALS)).isTrue();
        assertThat(org.token("grant_type", "client_credentials", "client_id", MAIN_CLIENT_ID)
                .is(OAuthError.INVALID_CLIENT_CREDENTIALS)).isTrue();
    }

    @Test
    void unknownClientIdIsClientIdentifierInvalid() {
        TokenResponse response = org.token("grant_type", "client_credentials",
                "client_id", "3MVG9unknown", "client_secret", MAIN_SECRET);

        assertThat(response.is(OAuthError.CLIENT_IDENTIFIER_INVALID)).isTrue();
    }

    @Test
    void appScopeIsReported() {
        org.service.putConnectedApp(ConnectedApp.builder("3MVG9scoped", "SCOPEDSECRET")
                .clientCredentialsRunAsUserId(INTEGRATION.id())
                .scope("api cdp_query_api")
                .build());

        TokenResponse response = org.token("grant_type", "client_credentials",
                "client_id", "3MVG9scoped", "client_secret", "SCOPEDSECRET");

        assertThat(response.body().get("scope")).isEqualTo("api cdp_query_api");
    }
}
