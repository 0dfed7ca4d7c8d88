package io.sfsync.salesforce.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.salesforce.error.ApiError;
import io.sfsync.salesforce.error.ErrorClassifier;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.error.SalesforceException;
import io.sfsync.salesforce.metrics.ClientMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * Logs in with the configured {@link SalesforceCredentials}, caches the session and shares it among all threads.
 * When a call is rejected with 401 {@code INVALID_SESSION_ID}, callers hand the rejected token to
 * {@link #refresh(AccessToken)}: the first one logs in again, the others wait and get the new token, so any number
 * of concurrent callers cause exactly one token request.
 *
 * <p>Token requests do not count against the API allocation and do not go through the budget governor. OAuth
 * errors (bad secret, unapproved user, expired refresh token) are {@link FatalSalesforceException}s carrying the
 * OAuth {@code error} as error code; network failures are retriable.
 */
public final class TokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(TokenProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SalesforceCredentials credentials;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final ClientMetrics metrics;
    private final Clock clock;
    private final ReentrantLock loginLock = new ReentrantLock();
    private volatile AccessToken token;

    public TokenProvider(SalesforceCredentials credentials, HttpClient http, Duration requestTimeout,
                         ClientMetrics metrics, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.http = Objects.requireNonNull(http, "http");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.metrics = metrics == null ? new ClientMetrics() : metrics;
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    public SalesforceCredentials credentials() {
        return credentials;
    }

    /** The cached session, logging in first if there is none. */
    public AccessToken current() {
        AccessToken t = token;
        if (t != null) {
            return t;
        }
        loginLock.lock();
        try {
            if (token == null) {
                token = login();
            }
            return token;
        } finally {
            loginLock.unlock();
        }
    }

    /**
     * A session to use instead of {@code rejected}: if another thread already replaced it, that one; otherwise a
     * fresh login. Concurrent callers with the same rejected token share one login.
     */
    public AccessToken refresh(AccessToken rejected) {
        loginLock.lock();
        try {
            AccessToken t = token;
            if (t != null && (rejected == null || !t.value().equals(rejected.value()))) {
                return t;
            }
            token = null;
            token = login();
            return token;
        } finally {
            loginLock.unlock();
        }
    }

    /** Forgets the cached session; the next {@link #current()} logs in. */
    public void invalidate() {
        token = null;
    }

    private AccessToken login() {
        URI endpoint = URI.create(stripSlash(credentials.loginUrl().toString()) + "/services/oauth2/token");
        String what = "OAuth " + credentials.flowName() + " login for client " + credentials.clientId();
        String body;
        try {
            body = form(formParameters());
        } catch (IllegalArgumentException badKey) {
            throw new FatalSalesforceException(what + ": " + badKey.getMessage(), 0, List.of(), badKey);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        metrics.recordTokenRequest();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw ErrorClassifier.fromIo(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FatalSalesforceException(what + ": interrupted", 0, List.of(), e);
        }
        if (response.statusCode() != 200) {
            throw oauthFailure(what, response.statusCode(), response.body());
        }
        AccessToken t = parse(what, response.body());
        LOG.info("Logged in to org {} as user {} ({} flow), instance {}", t.orgId(), t.userId(),
                credentials.flowName(), t.instanceUrl());
        return t;
    }

    private Map<String, String> formParameters() {
        Map<String, String> form = new LinkedHashMap<>();
        if (credentials instanceof SalesforceCredentials.JwtBearer jwt) {
            form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
            form.put("assertion", JwtAssertions.create(jwt, clock.instant()));
        } else if (credentials instanceof SalesforceCredentials.ClientCredentials cc) {
            form.put("grant_type", "client_credentials");
            form.put("client_id", cc.clientId());
            form.put("client_secret", cc.clientSecret().reveal());
        } else if (credentials instanceof SalesforceCredentials.RefreshToken rt) {
            form.put("grant_type", "refresh_token");
            form.put("refresh_token", rt.refreshToken().reveal());
            form.put("client_id", rt.clientId());
            if (rt.clientSecret() != null) {
                form.put("client_secret", rt.clientSecret().reveal());
            }
        } else if (credentials instanceof SalesforceCredentials.Password pw) {
            form.put("grant_type", "password");
            form.put("client_id", pw.clientId());
            form.put("client_secret", pw.clientSecret().reveal());
            form.put("username", pw.username());
            form.put("password", pw.password().reveal()
                    + (pw.securityToken() == null ? "" : pw.securityToken().reveal()));
        }
        return form;
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static SalesforceException oauthFailure(String what, int status, String body) {
        String error = null;
        String description = null;
        try {
            JsonNode n = JSON.readTree(body == null ? "" : body);
            if (n != null && n.isObject()) {
                error = n.path("error").asText(null);
                description = n.path("error_description").asText(null);
            }
        } catch (IOException | RuntimeException notJson) {
            // an HTML error page from a proxy or the edge: no OAuth error to report
        }
        var category = ErrorClassifier.classifyOAuth(status, error);
        String message = what + " failed: HTTP " + status
                + (error == null ? "" : ": " + error + (description == null ? "" : ": " + description));
        List<ApiError> errors = error == null ? List.of() : List.of(ApiError.of(error, description));
        return SalesforceException.of(category, message, status, errors,
                new IOException("token endpoint answered HTTP " + status));
    }

    private AccessToken parse(String what, String body) {
        try {
            JsonNode n = JSON.readTree(body);
            String value = n.path("access_token").asText(null);
            String instance = n.path("instance_url").asText(null);
            if (value == null || instance == null) {
                throw new FatalSalesforceException(what + ": the token response lacks access_token or instance_url",
                        200, List.of(), null);
            }
            String id = n.path("id").asText(null);
            String orgId = null;
            String userId = null;
            if (id != null) {
                String[] parts = URI.create(id).getPath().split("/");
                if (parts.length >= 2) {
                    orgId = parts[parts.length - 2];
                    userId = parts[parts.length - 1];
                }
            }
            Instant issuedAt = clock.instant();
            String issued = n.path("issued_at").asText(null);
            if (issued != null && issued.matches("\\d+")) {
                issuedAt = Instant.ofEpochMilli(Long.parseLong(issued));
            }
            return new AccessToken(value, URI.create(stripSlash(instance)), id, orgId, userId, issuedAt);
        } catch (IOException | IllegalArgumentException e) {
            throw new FatalSalesforceException(what + ": unreadable token response", 200, List.of(), e);
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String toString() {
        return "TokenProvider[" + credentials.flowName() + ", client " + credentials.clientId() + "]";
    }
}
