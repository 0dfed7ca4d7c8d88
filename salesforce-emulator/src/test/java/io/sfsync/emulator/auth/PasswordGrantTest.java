package io.sfsync.emulator.auth;

import static io.sfsync.emulator.auth.TestOrg.ALICE;
import static io.sfsync.emulator.auth.TestOrg.BOB;
import static io.sfsync.emulator.auth.TestOrg.INACTIVE;
import static io.sfsync.emulator.auth.TestOrg.MAIN_CLIENT_ID;
import static io.sfsync.emulator.auth.TestOrg.MAIN_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswordGrantTest {

    private final TestOrg org = new TestOrg();

    @Test
    void succeedsWithExactlySalesforcesKeysAndNoRefreshToken() throws Exception {
        TokenResponse response = org.passwordLogin(ALICE);

        assertThat(response.httpStatus()).isEqualTo(200);
        assertThat(response.body().keySet()).containsExactly(
                "access_token", "instance_url", "id", "token_type", "issued_at", "signature");
        assertThat(response.body().get("access_token")).matches(TokenAssertions.ACCESS_TOKEN_PATTERN);
        assertThat(response.body().get("instance_url")).isEqualTo(TestOrg.INSTANCE_URL);
        assertThat(response.body().get("token_type")).isEqualTo("Bearer");
        assertThat(response.body().get("issued_at"))
                .matches("\\d+")
                .isEqualTo(Long.toString(TestOrg.START.toEpochMilli()));
        TokenAssertions.assertIdentityUrlFor(response.body(), ALICE);
        TokenAssertions.assertSignedWith(response.body(), MAIN_SECRET);
        assertThat(response.refreshToken()).isEmpty();
    }

    @Test
    void issuedAccessTokenValidatesAsTheUsersSession() {
        String accessToken = org.passwordLogin(ALICE).accessToken().orElseThrow();

        Session session = org.service.validate(accessToken).orElseThrow();

        assertThat(session.userId()).isEqualTo(ALICE.id());
        assertThat(session.orgId()).isEqualTo(TestOrg.ORG_ID);
        assertThat(session.clientId()).isEqualTo(MAIN_CLIENT_ID);
        assertThat(session.accessToken()).isEqualTo(accessToken);
        assertThat(session.issuedAt()).isEqualTo(TestOrg.START);
    }

    @Test
    void eachLoginGetsItsOwnAccessToken() {
        assertThat(org.passwordLogin(ALICE).accessToken())
                .isNotEqualTo(org.passwordLogin(ALICE).accessToken());
    }

    @Test
    void usernameIsCaseInsensitive() {
        TokenResponse response = org.token("grant_type", "password", "client_id", MAIN_CLIENT_ID,
                "client_secret", MAIN_SECRET, "username", "ALICE@Example.com", "password", "Correct-Horse-1Sectok12345");

        assertThat(response.isSuccess()).isTrue();
    }

    @Test
    void userWithoutSecurityTokenLogsInWithPasswordAlone() {
        assertThat(org.passwordLogin(BOB).isSuccess()).isTrue();
    }

    @Test
    void passwordWithoutTheSecurityTokenIsAnAuthenticationFailure() {
        TokenResponse response = passwordFor(ALICE.username(), ALICE.password());

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.is(OAuthError.AUTHENTICATION_FAILURE)).isTrue();
        assertThat(response.body()).containsExactly(
                Map.entry("error", "invalid_grant"),
                Map.entry("error_description", "authentication failure"));
    }

    @Test
    void wrongPasswordAndUnknownUserAreTheSameAuthenticationFailure() {
        assertThat(passwordFor(ALICE.username(), "wrong").is(OAuthError.AUTHENTICATION_FAILURE)).isTrue();
        assertThat(passwordFor("nobody@example.com", "x").is(OAuthError.AUTHENTICATION_FAILURE)).isTrue();
    }

    @Test
    void missingUsernameOrPasswordIsAnAuthenticationFailure() {
        TokenResponse noUsername = org.token("grant_type", "password", "client_id", MAIN_CLIENT_ID,
                "client_secret", MAIN_SECRET, "password", "x");
        TokenResponse noPassword = org.token("grant_type", "password", "client_id", MAIN_CLIENT_ID,
                "client_secret", MAIN_SECRET, "username", BOB.username());

        assertThat(noUsername.is(OAuthError.AUTHENTICATION_FAILURE)).isTrue();
        assertThat(noPassword.is(OAuthError.AUTHENTICATION_FAILURE)).isTrue();
    }

    @Test
    void inactiveUserWithTheRightPasswordIsRejectedAsInactive() {
        TokenResponse response = org.passwordLogin(INACTIVE);

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.error()).contains("invalid_grant");
        assertThat(response.errorDescription()).contains("inactive user");
    }

    @Test
    void deactivatingAUserStopsFurtherLogins() {
        org.service.putUser(BOB.withActive(false));

        assertThat(org.passwordLogin(BOB).is(OAuthError.INACTIVE_USER)).isTrue();
    }

    @Test
    void unknownOrMissingClientIdIsClientIdentifierInvalid() {
        TokenResponse unknown = org.token("grant_type", "password", "client_id", "3MVG9unknown",
                "client_secret", MAIN_SECRET, "username", BOB.username(), "password", BOB.password());
        TokenResponse missing = org.token("grant_type", "password",
                "client_secret", MAIN_SECRET, "username", BOB.username(), "password", BOB.password());

        assertThat(unknown.httpStatus()).isEqualTo(400);
        assertThat(unknown.error()).contains("invalid_client_id");
        assertThat(unknown.errorDescription()).contains("client identifier invalid");
        assertThat(missing.is(OAuthError.CLIENT_IDENTIFIER_INVALID)).isTrue();
    }

    @Test
    void wrongOrMissingClientSecretIsInvalidClientCredentials() {
        TokenResponse wrong = org.token("grant_type", "password", "client_id", MAIN_CLIENT_ID,
                "client_secret", "nope", "username", BOB.username(), "password", BOB.password());
        TokenResponse missing = org.token("grant_type", "password", "client_id", MAIN_CLIENT_ID,
                "username", BOB.username(), "password", BOB.password());

        assertThat(wrong.httpStatus()).isEqualTo(400);
        assertThat(wrong.error()).contains("invalid_client");
        assertThat(wrong.errorDescription()).contains("invalid client credentials");
        assertThat(missing.is(OAuthError.INVALID_CLIENT_CREDENTIALS)).isTrue();
    }

    @Test
    void clientIsCheckedBeforeTheUser() {
        TokenResponse response = org.token("grant_type", "password", "client_id", MAIN_CLIENT_ID,
                "client_secret", "nope", "username", "nobody@example.com", "password", "x");

        assertThat(response.is(OAuthError.INVALID_CLIENT_CREDENTIALS)).isTrue();
    }

    @Test
    void userOutsideAnAdminApprovedAppGetsInvalidAppAccess() {
        TokenResponse response = org.token("grant_type", "password", "client_id", TestOrg.RESTRICTED_CLIENT_ID,
                "client_secret", TestOrg.RESTRICTED_SECRET, "username", BOB.username(), "password", BOB.password());

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.error()).contains("invalid_app_access");
        assertThat(response.errorDescription()).contains("user is not admin approved to access this app");
    }

    private TokenResponse passwordFor(String username, String password) {
        return org.token("grant_type", "password", "client_id", MAIN_CLIENT_ID, "client_secret", MAIN_SECRET,
                "username", username, "password", password);
    }
}
