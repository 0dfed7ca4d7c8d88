package io.sfsync.emulator.auth;

import static io.sfsync.emulator.auth.TestOrg.ALICE;
import static io.sfsync.emulator.auth.TestOrg.APP_KEYS;
import static io.sfsync.emulator.auth.TestOrg.MAIN_CLIENT_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class JwtBearerGrantTest {

    private final TestOrg org = new TestOrg();

    @Test
    void succeedsWithExactlySalesforcesKeysAndNoRefreshToken() {
        TokenResponse response = org.jwtLogin(org.validJwt());

        assertThat(response.httpStatus()).isEqualTo(200);
        assertThat(response.body().keySet()).containsExactly(
                "access_token", "scope", "instance_url", "id", "token_type");
        assertThat(response.body().get("access_token")).matches(TokenAssertions.ACCESS_TOKEN_PATTERN);
        assertThat(response.body().get("scope")).isEqualTo("api");
        assertThat(response.body().get("instance_url")).isEqualTo(TestOrg.INSTANCE_URL);
        assertThat(response.body().get("token_type")).isEqualTo("Bearer");
        TokenAssertions.assertIdentityUrlFor(response.body(), ALICE);
        assertThat(response.refreshToken()).isEmpty();
        Session session = org.service.validate(response.accessToken().orElseThrow()).orElseThrow();
        assertThat(session.userId()).isEqualTo(ALICE.id());
        assertThat(session.clientId()).isEqualTo(MAIN_CLIENT_ID);
    }

    @Test
    void acceptsTheSandboxLoginUrlTheInstanceUrlAndATrailingSlash() {
        for (String audience : List.of("https://test.salesforce.com", TestOrg.INSTANCE_URL,
                "https://login.salesforce.com/")) {
            assertThat(org.jwtLogin(org.validJwt().claim("aud", audience)).isSuccess())
                    .as("aud %s", audience)
                    .isTrue();
        }
    }

    @Test
    void acceptsAnAudienceArrayAndExpAsAString() {
        TestJwt jwt = org.validJwt()
                .claim("aud", List.of("https://elsewhere.example.com", "https://login.salesforce.com"))
                .claim("exp", Long.toString(org.clock.instant().plusSeconds(60).getEpochSecond()));

        assertThat(org.jwtLogin(jwt).isSuccess()).isTrue();
    }

    @Test
    void usernameInSubIsCaseInsensitive() {
        assertThat(org.jwtLogin(org.validJwt().claim("sub", "Alice@EXAMPLE.com")).isSuccess()).isTrue();
    }

    @Test
    void signatureByAnotherKeyIsAnInvalidAssertion() {
        TokenResponse response = org.jwtLogin(org.validJwt().signingKey(TestOrg.STRANGER_KEYS.getPrivate()));

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.error()).contains("invalid_grant");
        assertThat(response.errorDescription()).contains("invalid assertion");
    }

    @Test
    void claimsAlteredAfterSigningAreAnInvalidAssertion() {
        String[] parts = org.validJwt().compact().split("\\.");
        String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"iss\":\"" + MAIN_CLIENT_ID + "\",\"sub\":\"bob@example.com\","
                        + "\"aud\":\"https://login.salesforce.com\",\"exp\":"
                        + org.clock.instant().plusSeconds(60).getEpochSecond() + "}")
                        .getBytes(StandardCharsets.UTF_8));

        TokenResponse response = org.token("grant_type", TokenService.JWT_BEARER_GRANT,
                "assertion", parts[0] + "." + forgedClaims + "." + parts[2]);

        assertThat(response.is(OAuthError.INVALID_ASSERTION)).isTrue();
    }

    @Test
    void algorithmOtherThanRs256IsAnInvalidAssertion() {
        assertThat(org.jwtLogin(org.validJwt().header("alg", "HS256")).is(OAuthError.INVALID_ASSERTION)).isTrue();
        assertThat(org.jwtLogin(org.validJwt().header("alg", "none")).is(OAuthError.INVALID_ASSERTION)).isTrue();
    }

    @Test
    void malformedOrMissingAssertionIsAnInvalidAssertion() {
        for (String assertion : List.of("not-a-jwt", "a.b", "a.b.c.d", "!!!.???.***", "")) {
            assertThat(org.token("grant_type", TokenService.JWT_BEARER_GRANT, "assertion", assertion)
                    .is(OAuthError.INVALID_ASSERTION))
                    .as("assertion '%s'", assertion)
                    .isTrue();
        }
        assertThat(org.token("grant_type", TokenService.JWT_BEARER_GRANT).is(OAuthError.INVALID_ASSERTION))
                .isTrue();
    }

    @Test
    void wrongAudienceIsAudienceInvalid() {
        TokenResponse response = org.jwtLogin(org.validJwt().claim("aud", "https://acme.my.site.com"));

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.error()).contains("invalid_grant");
        assertThat(response.errorDescription()).contains("audience is invalid");
    }

    @Test
    void missingAudienceIsAudienceInvalid() {
        assertThat(org.jwtLogin(org.validJwt().withoutClaim("aud")).is(OAuthError.AUDIENCE_INVALID)).isTrue();
    }

    @Test
    void expiredExpIsAnExpiredAuthorizationCode() {
        TestJwt jwt = org.validJwt().claim("exp", org.clock.instant().minus(Duration.ofMinutes(10)).getEpochSecond());

        TokenResponse response = org.jwtLogin(jwt);

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.error()).contains("invalid_grant");
        assertThat(response.errorDescription()).contains("expired authorization code");
    }

    @Test
    void expJustPastIsToleratedAsClockSkewButNotBeyondThreeMinutes() {
        long justPast = org.clock.instant().minus(Duration.ofMinutes(2)).getEpochSecond();
        long pastSkew = org.clock.instant().minus(Duration.ofMinutes(3)).getEpochSecond();

        assertThat(org.jwtLogin(org.validJwt().claim("exp", justPast)).isSuccess()).isTrue();
        assertThat(org.jwtLogin(org.validJwt().claim("exp", pastSkew)).is(OAuthError.EXPIRED_ASSERTION)).isTrue();
    }

    @Test
    void assertionThatWasValidExpiresWhenTheClockPassesIt() {
        TestJwt jwt = org.validJwt();
        org.clock.advance(Duration.ofMinutes(7));

        assertThat(org.jwtLogin(jwt).is(OAuthError.EXPIRED_ASSERTION)).isTrue();
    }

    @Test
    void expAbsurdlyFarAheadIsAnInvalidAssertion() {
        long inMilliseconds = org.clock.instant().plusSeconds(180).toEpochMilli();
        long justOverADay = org.clock.instant().plus(Duration.ofHours(24)).plusSeconds(1).getEpochSecond();
        long hoursAhead = org.clock.instant().plus(Duration.ofHours(9)).getEpochSecond();

        assertThat(org.jwtLogin(org.validJwt().claim("exp", inMilliseconds)).is(OAuthError.INVALID_ASSERTION))
                .isTrue();
        assertThat(org.jwtLogin(org.validJwt().claim("exp", justOverADay)).is(OAuthError.INVALID_ASSERTION))
                .isTrue();
        assertThat(org.jwtLogin(org.validJwt().claim("exp", hoursAhead)).isSuccess()).isTrue();
    }

    @Test
    void missingOrNonNumericExpIsAnInvalidAssertion() {
        assertThat(org.jwtLogin(org.validJwt().withoutClaim("exp")).is(OAuthError.INVALID_ASSERTION)).isTrue();
        assertThat(org.jwtLogin(org.validJwt().claim("exp", "soon")).is(OAuthError.INVALID_ASSERTION)).isTrue();
    }

    @Test
    void unknownIssuerIsClientIdentifierInvalid() {
        TokenResponse response = org.jwtLogin(org.validJwt().claim("iss", "3MVG9unknown"));

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.error()).contains("invalid_client_id");
        assertThat(response.errorDescription()).contains("client identifier invalid");
    }

    @Test
    void appWithoutCertificateRejectsTheAssertion() {
        TestJwt jwt = org.validJwt().claim("iss", TestOrg.BARE_CLIENT_ID);

        assertThat(org.jwtLogin(jwt).is(OAuthError.INVALID_ASSERTION)).isTrue();
    }

    @Test
    void unknownSubjectHasNotApprovedTheConsumer() {
        TokenResponse response = org.jwtLogin(org.validJwt().claim("sub", "nobody@example.com"));

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.error()).contains("invalid_grant");
        assertThat(response.errorDescription()).contains("user hasn't approved this consumer");
    }

    @Test
    void userTheAppIsNotPreAuthorizedForHasNotApprovedTheConsumer() {
        TestJwt bobOnRestrictedApp = org.validJwt()
                .claim("iss", TestOrg.RESTRICTED_CLIENT_ID)
                .claim("sub", TestOrg.BOB.username());
        TestJwt aliceOnRestrictedApp = org.validJwt().claim("iss", TestOrg.RESTRICTED_CLIENT_ID);

        assertThat(org.jwtLogin(bobOnRestrictedApp).is(OAuthError.USER_NOT_APPROVED)).isTrue();
        assertThat(org.jwtLogin(aliceOnRestrictedApp).isSuccess()).isTrue();
    }

    @Test
    void inactiveSubjectIsRejectedAsInactive() {
        TokenResponse response = org.jwtLogin(org.validJwt().claim("sub", TestOrg.INACTIVE.username()));

        assertThat(response.is(OAuthError.INACTIVE_USER)).isTrue();
    }

    @Test
    void appConfiguredFromACertificatePemVerifiesAssertionsSignedWithItsKey() throws Exception {
        org.service.putConnectedApp(ConnectedApp.builder("3MVG9pem", "PEMSECRET")
                .jwtCertificatePem(TestPem.certificate())
                .build());
        TestJwt jwt = org.validJwt().claim("iss", "3MVG9pem");

        assertThat(org.jwtLogin(jwt.signingKey(TestPem.privateKey())).isSuccess()).isTrue();
        assertThat(org.jwtLogin(jwt.signingKey(APP_KEYS.getPrivate())).is(OAuthError.INVALID_ASSERTION)).isTrue();
    }
}
