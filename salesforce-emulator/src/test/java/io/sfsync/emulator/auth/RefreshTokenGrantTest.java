package io.sfsync.emulator.auth;

import static io.sfsync.emulator.auth.TestOrg.ALICE;
import static io.sfsync.emulator.auth.TestOrg.MAIN_CLIENT_ID;
import static io.sfsync.emulator.auth.TestOrg.MAIN_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefreshTokenGrantTest {

    private final TestOrg org = new TestOrg();
    private final String refreshToken = org.service.grantRefreshToken(ALICE.id(), MAIN_CLIENT_ID);

    @Test
    void grantedRefreshTokenLooksLikeSalesforces() {
        assertThat(refreshToken).matches("5Aep861[A-Za-z0-9._]{80}");
    }

    @Test
    void refreshReturnsANewAccessTokenWithExactlySalesforcesKeysAndNoNewRefreshToken() throws Exception {
        org.clock.advance(Duration.ofMinutes(5));

        TokenResponse response = refresh(refreshToken, MAIN_CLIENT_ID, MAIN_SECRET);

        assertThat(response.httpStatus()).isEqualTo(200);
        assertThat(response.body().keySet()).containsExactly(
                "access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at");
        assertThat(response.body().get("access_token")).matches(TokenAssertions.ACCESS_TOKEN_PATTERN);
        assertThat(response.body().get("scope")).isEqualTo("api refresh_token");
        assertThat(response.body().get("token_type")).isEqualTo("Bearer");
        assertThat(response.body().get("issued_at"))
                .isEqualTo(Long.toString(TestOrg.START.plus(Duration.ofMinutes(5)).toEpochMilli()));
        TokenAssertions.assertIdentityUrlFor(response.body(), ALICE);
        TokenAssertions.assertSignedWith(response.body(), MAIN_SECRET);
        assertThat(response.refreshToken()).isEmpty();
        assertThat(org.service.validate(response.accessToken().orElseThrow()).orElseThrow().userId())
                .isEqualTo(ALICE.id());
    }

    @Test
    void refreshTokenCanBeUsedRepeatedlyAndWithoutTheSecret() {
        TokenResponse first = refresh(refreshToken, MAIN_CLIENT_ID, null);
        TokenResponse second = refresh(refreshToken, MAIN_CLIENT_ID, null);

        assertThat(first.isSuccess()).isTrue();
        assertThat(second.isSuccess()).isTrue();
        assertThat(first.accessToken()).isNotEqualTo(second.accessToken());
    }

    @Test
    void refreshTokenSurvivesTheExpiryOfItsSessions() {
        String accessToken = refresh(refreshToken, MAIN_CLIENT_ID, MAIN_SECRET).accessToken().orElseThrow();
        org.clock.advance(Duration.ofHours(3));

        assertThat(org.service.validate(accessToken)).isEmpty();
        assertThat(refresh(refreshToken, MAIN_CLIENT_ID, MAIN_SECRET).isSuccess()).isTrue();
    }

    @Test
    void clientCredentialsMayComeInAnHttpBasicHeader() {
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (MAIN_CLIENT_ID + ":" + MAIN_SECRET).getBytes(StandardCharsets.UTF_8));

        TokenResponse response = org.service.token(
                TestOrg.form("grant_type", "refresh_token", "refresh_token", refreshToken), basic);

        assertThat(response.isSuccess()).isTrue();
    }

    @Test
    void unknownRefreshTokenIsExpired() {
        TokenResponse response = refresh("5Aep861NotARealToken", MAIN_CLIENT_ID, MAIN_SECRET);

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.error()).contains("invalid_grant");
        assertThat(response.errorDescription()).contains("expired access/refresh token");
    }

    @Test
    void missingRefreshTokenIsExpired() {
        TokenResponse response = org.token("grant_type", "refresh_token", "client_id", MAIN_CLIENT_ID);

        assertThat(response.is(OAuthError.EXPIRED_ACCESS_OR_REFRESH_TOKEN)).isTrue();
    }

    @Test
    void revokedRefreshTokenIsExpired() {
        assertThat(org.service.revoke(refreshToken)).isTrue();

        assertThat(refresh(refreshToken, MAIN_CLIENT_ID, MAIN_SECRET).is(OAuthError.EXPIRED_ACCESS_OR_REFRESH_TOKEN))
                .isTrue();
    }

    @Test
    void refreshTokenOfAnotherAppIsExpired() {
        TokenResponse response = refresh(refreshToken, TestOrg.BARE_CLIENT_ID, TestOrg.BARE_SECRET);

        assertThat(response.is(OAuthError.EXPIRED_ACCESS_OR_REFRESH_TOKEN)).isTrue();
    }

    @Test
    void missingOrUnknownClientIdIsClientIdentifierInvalid() {
        assertThat(refresh(refreshToken, null, null).is(OAuthError.CLIENT_IDENTIFIER_INVALID)).isTrue();
        assertThat(refresh(refreshToken, "3MVG9unknown", null).is(OAuthError.CLIENT_IDENTIFIER_INVALID)).isTrue();
    }

    @Test
    void wrongClientSecretIsInvalidClientCredentials() {
        assertThat(refresh(refreshToken, MAIN_CLIENT_ID, "wrong").is(OAuthError.INVALID_CLIENT_CREDENTIALS)).isTrue();
    }

    @Test
    void userDeactivatedSinceTheGrantIsInactive() {
        org.service.putUser(ALICE.withActive(false));

        assertThat(refresh(refreshToken, MAIN_CLIENT_ID, MAIN_SECRET).is(OAuthError.INACTIVE_USER)).isTrue();
    }

    @Test
    void grantingNeedsAnActiveUserAndAKnownApp() {
        assertThatThrownBy(() -> org.service.grantRefreshToken(TestOrg.INACTIVE.id(), MAIN_CLIENT_ID))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> org.service.grantRefreshToken(ALICE.id(), "3MVG9unknown"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appScopeAlreadyHoldingRefreshTokenIsNotRepeated() {
        org.service.putConnectedApp(ConnectedApp.builder("3MVG9full", "FULLSECRET").scope("refresh_token api").build());
        String token = org.service.grantRefreshToken(ALICE.id(), "3MVG9full");

        assertThat(refresh(token, "3MVG9full", "FULLSECRET").body().get("scope")).isEqualTo("refresh_token api");
    }

    private TokenResponse refresh(String token, String clientId, String clientSecret) {
        Map<String, String> form = TestOrg.form("grant_type", "refresh_token", "refresh_token", token);
        if (clientId != null) {
            form.put("client_id", clientId);
        }
        if (clientSecret != null) {
            form.put("client_secret", clientSecret);
        }
        return org.service.token(form, null);
    }
}
