package io.sfsync.emulator.auth;

import static io.sfsync.emulator.auth.TestOrg.ALICE;
import static io.sfsync.emulator.auth.TestOrg.BOB;
import static io.sfsync.emulator.auth.TestOrg.MAIN_CLIENT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SessionLifecycleTest {

    private final TestOrg org = new TestOrg();
    private final List<String> endedTokens = Collections.synchronizedList(new ArrayList<>());

    SessionLifecycleTest() {
        org.service.addRevocationListener(endedTokens::add);
    }

    @Test
    void unknownNullAndEmptyTokensDoNotValidate() {
        assertThat(org.service.validate("00D5g00000LxQ2a!AQnotissued")).isEmpty();
        assertThat(org.service.validate(null)).isEmpty();
        assertThat(org.service.validate("")).isEmpty();
    }

    @Test
    void sessionEndsAfterTheDefaultTwoHoursOfInactivity() {
        String token = login(ALICE);

        org.clock.advance(Duration.ofHours(2).minusSeconds(1));
        assertThat(org.service.sessionTimeout()).isEqualTo(Duration.ofHours(2));
        org.service.expireIdleSessions();
        assertThat(endedTokens).isEmpty();

        org.clock.advance(Duration.ofSeconds(1));
        assertThat(org.service.validate(token)).isEmpty();
        assertThat(endedTokens).containsExactly(token);
    }

    @Test
    void eachValidationRestartsTheIdlePeriod() {
        String token = login(ALICE);

        for (int i = 0; i < 5; i++) {
            org.clock.advance(Duration.ofMinutes(90));
            assertThat(org.service.validate(token)).as("after %d x 90 min of use", i + 1).isPresent();
        }
        org.clock.advance(Duration.ofHours(2));
        assertThat(org.service.validate(token)).isEmpty();
    }

    @Test
    void idleSessionStaysEndedEvenIfTheTimeoutIsRaisedLater() {
        String token = login(ALICE);
        org.clock.advance(Duration.ofHours(3));
        assertThat(org.service.validate(token)).isEmpty();

        org.service.setSessionTimeout(Duration.ofHours(8));

        assertThat(org.service.validate(token)).isEmpty();
    }

    @Test
    void changedTimeoutAppliesToExistingSessions() {
        String token = login(ALICE);
        org.service.setSessionTimeout(Duration.ofMinutes(15));

        org.clock.advance(Duration.ofMinutes(15));

        assertThat(org.service.validate(token)).isEmpty();
    }

    @Test
    void timeoutMustBePositive() {
        assertThatThrownBy(() -> org.service.setSessionTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expireIdleSessionsEndsOnlyIdleOnesAndTellsTheListeners() {
        String idle = login(ALICE);
        org.clock.advance(Duration.ofHours(1));
        String fresh = login(BOB);
        org.clock.advance(Duration.ofHours(1));

        org.service.expireIdleSessions();

        assertThat(endedTokens).containsExactly(idle);
        assertThat(org.service.validate(fresh)).isPresent();
    }

    @Test
    void revokingAnAccessTokenEndsOnlyThatSession() {
        String revoked = login(ALICE);
        String other = login(ALICE);

        assertThat(org.service.revoke(revoked)).isTrue();

        assertThat(org.service.validate(revoked)).isEmpty();
        assertThat(org.service.validate(other)).isPresent();
        assertThat(endedTokens).containsExactly(revoked);
    }

    @Test
    void revokingAnUnknownOrAlreadyRevokedTokenReportsFalse() {
        String token = login(ALICE);
        org.service.revoke(token);

        assertThat(org.service.revoke(token)).isFalse();
        assertThat(org.service.revoke("no-such-token")).isFalse();
        assertThat(org.service.revoke(null)).isFalse();
    }

    @Test
    void revokingARefreshTokenEndsTheSessionsIssuedFromItOnly() {
        String refreshToken = org.service.grantRefreshToken(ALICE.id(), MAIN_CLIENT_ID);
        String fromRefresh1 = refresh(refreshToken);
        String fromRefresh2 = refresh(refreshToken);
        String passwordSession = login(ALICE);

        assertThat(org.service.revoke(refreshToken)).isTrue();

        assertThat(org.service.validate(fromRefresh1)).isEmpty();
        assertThat(org.service.validate(fromRefresh2)).isEmpty();
        assertThat(org.service.validate(passwordSession)).isPresent();
        assertThat(endedTokens).containsExactlyInAnyOrder(fromRefresh1, fromRefresh2);
    }

    @Test
    void revokingARefreshTokenWithoutSessionsStillSucceeds() {
        String refreshToken = org.service.grantRefreshToken(ALICE.id(), MAIN_CLIENT_ID);

        assertThat(org.service.revoke(refreshToken)).isTrue();
        assertThat(endedTokens).isEmpty();
    }

    @Test
    void revokeAllEndsEverySessionAndEveryRefreshToken() {
        String refreshToken = org.service.grantRefreshToken(ALICE.id(), MAIN_CLIENT_ID);
        String first = login(ALICE);
        String second = login(BOB);

        org.service.revokeAll();

        assertThat(org.service.validate(first)).isEmpty();
        assertThat(org.service.validate(second)).isEmpty();
        assertThat(endedTokens).containsExactlyInAnyOrder(first, second);
        assertThat(org.token("grant_type", "refresh_token", "client_id", MAIN_CLIENT_ID,
                "refresh_token", refreshToken).is(OAuthError.EXPIRED_ACCESS_OR_REFRESH_TOKEN)).isTrue();
    }

    @Test
    void expireAllEndsEverySessionButKeepsRefreshTokens() {
        String refreshToken = org.service.grantRefreshToken(ALICE.id(), MAIN_CLIENT_ID);
        String first = login(ALICE);
        String second = refresh(refreshToken);

        org.service.expireAll();

        assertThat(org.service.validate(first)).isEmpty();
        assertThat(org.service.validate(second)).isEmpty();
        assertThat(endedTokens).containsExactlyInAnyOrder(first, second);
        assertThat(org.service.validate(refresh(refreshToken))).isPresent();
        assertThat(org.service.validate(login(ALICE))).isPresent();
    }

    @Test
    void failingListenerDoesNotStopOtherListenersOrTheRevocation() {
        List<String> seenBySecond = new ArrayList<>();
        TokenService service = new TestOrg().service;
        service.addRevocationListener(token -> {
            throw new IllegalStateException("listener bug");
        });
        service.addRevocationListener(seenBySecond::add);
        String token = service.createSession(ALICE.id(), MAIN_CLIENT_ID).accessToken();

        assertThat(service.revoke(token)).isTrue();

        assertThat(seenBySecond).containsExactly(token);
        assertThat(service.validate(token)).isEmpty();
    }

    @Test
    void createSessionOpensAValidSessionWithoutAGrant() {
        Session session = org.service.createSession(BOB.id(), MAIN_CLIENT_ID);

        assertThat(session.accessToken()).matches(TokenAssertions.ACCESS_TOKEN_PATTERN);
        assertThat(org.service.validate(session.accessToken())).contains(session);
        assertThatThrownBy(() -> org.service.createSession(TestOrg.INACTIVE.id(), MAIN_CLIENT_ID))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentLoginsValidationsAndRevocationsKeepSessionsApart() throws Exception {
        int threads = 8;
        int sessionsPerThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    List<String> kept = new ArrayList<>();
                    for (int i = 0; i < sessionsPerThread; i++) {
                        String token = org.service.createSession(ALICE.id(), MAIN_CLIENT_ID).accessToken();
                        assertThat(org.service.validate(token)).isPresent();
                        if (i % 2 == 0) {
                            assertThat(org.service.revoke(token)).isTrue();
                        } else {
                            kept.add(token);
                        }
                    }
                    return kept;
                }));
            }
            Set<String> kept = new HashSet<>();
            for (Future<List<String>> result : results) {
                kept.addAll(result.get());
            }

            assertThat(kept).hasSize(threads * sessionsPerThread / 2);
            assertThat(kept).allSatisfy(token -> assertThat(org.service.validate(token)).isPresent());
            assertThat(endedTokens).hasSize(threads * sessionsPerThread / 2).doesNotContainAnyElementsOf(kept);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void usernamesAreUniqueAcrossUsers() {
        EmulatorUser impostor = EmulatorUser.active("0055g00000OutsdAAB", "ALICE@example.com", "x");

        assertThatThrownBy(() -> org.service.putUser(impostor)).isInstanceOf(IllegalArgumentException.class);
    }

    private String login(EmulatorUser user) {
        return org.passwordLogin(user).accessToken().orElseThrow();
    }

    private String refresh(String refreshToken) {
        return org.token("grant_type", "refresh_token", "client_id", MAIN_CLIENT_ID, "refresh_token", refreshToken)
                .accessToken().orElseThrow();
    }
}
