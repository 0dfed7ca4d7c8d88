package io.sfsync.emulator.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Live sessions and refresh tokens. Every method is atomic (one lock); methods that end sessions return the access
 * tokens they ended so that the caller can tell listeners outside the lock.
 *
 * <p>Sessions time out on inactivity, like Salesforce's: a session is over once {@code timeout} has passed since it
 * was issued or last used, and each successful use restarts that period.
 */
final class SessionStore {

    /** What a refresh token stands for: a user's approval of an app, with the scopes granted. */
    record RefreshGrant(String userId, String clientId, String scope) {
    }

    /** The outcome of a revocation: whether the token was known, and the access tokens that ended. */
    record Revocation(boolean tokenWasKnown, List<String> endedAccessTokens) {
    }

    /** The outcome of using an access token. */
    record Use(Optional<Session> session, boolean expiredJustNow) {
    }

    private static final class LiveSession {
        final Session session;
        final String refreshToken;
        Instant lastActivity;

        LiveSession(Session session, String refreshToken) {
            this.session = session;
            this.refreshToken = refreshToken;
            this.lastActivity = session.issuedAt();
        }

        boolean idleAt(Instant now, Duration timeout) {
            return !now.isBefore(lastActivity.plus(timeout));
        }
    }

    private final Map<String, LiveSession> sessionsByAccessToken = new HashMap<>();
    private final Map<String, RefreshGrant> grantsByRefreshToken = new HashMap<>();

    /** Adds the session unless its access token is already in use; returns whether it was added. */
    synchronized boolean addIfAbsent(Session session, String issuingRefreshTokenOrNull) {
        return sessionsByAccessToken.putIfAbsent(
                session.accessToken(), new LiveSession(session, issuingRefreshTokenOrNull)) == null;
    }

    synchronized void addRefreshGrant(String refreshToken, RefreshGrant grant) {
        grantsByRefreshToken.put(refreshToken, grant);
    }

    synchronized Optional<RefreshGrant> refreshGrant(String refreshToken) {
        return Optional.ofNullable(grantsByRefreshToken.get(refreshToken));
    }

    /** Uses the session: returns it and restarts its idle period, or ends it if it has been idle too long. */
    synchronized Use use(String accessToken, Instant now, Duration timeout) {
        LiveSession live = sessionsByAccessToken.get(accessToken);
        if (live == null) {
            return new Use(Optional.empty(), false);
        }
        if (live.idleAt(now, timeout)) {
            sessionsByAccessToken.remove(accessToken);
            return new Use(Optional.empty(), true);
        }
        live.lastActivity = now;
        return new Use(Optional.of(live.session), false);
    }

    /**
     * Revokes an access token, or a refresh token together with every access token issued from it.
     */
    synchronized Revocation revoke(String token) {
        if (sessionsByAccessToken.remove(token) != null) {
            return new Revocation(true, List.of(token));
        }
        if (grantsByRefreshToken.remove(token) == null) {
            return new Revocation(false, List.of());
        }
        List<String> ended = new ArrayList<>();
        Iterator<Map.Entry<String, LiveSession>> it = sessionsByAccessToken.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, LiveSession> entry = it.next();
            if (token.equals(entry.getValue().refreshToken)) {
                ended.add(entry.getKey());
                it.remove();
            }
        }
        return new Revocation(true, ended);
    }

    /** Ends every session and forgets every refresh token. */
    synchronized List<String> revokeAll() {
        grantsByRefreshToken.clear();
        return endAllSessions();
    }

    /** Ends every session; refresh tokens stay valid, as after an admin removes sessions in Setup. */
    synchronized List<String> endAllSessions() {
        List<String> ended = new ArrayList<>(sessionsByAccessToken.keySet());
        sessionsByAccessToken.clear();
        return ended;
    }

    /** Ends the sessions that have been idle for {@code timeout} or longer. */
    synchronized List<String> endIdleSessions(Instant now, Duration timeout) {
        List<String> ended = new ArrayList<>();
        Iterator<Map.Entry<String, LiveSession>> it = sessionsByAccessToken.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, LiveSession> entry = it.next();
            if (entry.getValue().idleAt(now, timeout)) {
                ended.add(entry.getKey());
                it.remove();
            }
        }
        return ended;
    }
}
