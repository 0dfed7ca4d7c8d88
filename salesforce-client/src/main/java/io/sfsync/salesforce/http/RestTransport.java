package io.sfsync.salesforce.http;

import io.sfsync.salesforce.auth.AccessToken;
import io.sfsync.salesforce.auth.TokenProvider;
import io.sfsync.salesforce.budget.ApiBudgetGovernor;
import io.sfsync.salesforce.budget.DailyUsage;
import io.sfsync.salesforce.error.ErrorClassifier;
import io.sfsync.salesforce.error.FatalSalesforceException;
import io.sfsync.salesforce.error.SalesforceException;
import io.sfsync.salesforce.metrics.CallKind;
import io.sfsync.salesforce.metrics.ClientMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Sends REST calls: the bearer token, {@code Sforce-Call-Options: client=...}, JSON in and out, the request
 * timeout; every call admitted and retried by the org's {@link ApiBudgetGovernor}; {@code Sforce-Limit-Info} of
 * every response reported to it; one re-login and re-send on 401 {@code INVALID_SESSION_ID}; every failure turned
 * into a {@link SalesforceException} by the {@link ErrorClassifier}.
 */
public final class RestTransport {

    private static final Logger LOG = LoggerFactory.getLogger(RestTransport.class);
    public static final String LIMIT_INFO = "Sforce-Limit-Info";
    public static final String CALL_OPTIONS = "Sforce-Call-Options";

    private final HttpSettings settings;
    private final HttpClient http;
    private final TokenProvider tokens;
    private final ApiBudgetGovernor governor;
    private final ClientMetrics metrics;
    /** The longest a call of this transport waits for API budget; null: as long as it takes. */
    private final Duration maxBudgetWait;

    public RestTransport(HttpSettings settings, HttpClient http, TokenProvider tokens, ApiBudgetGovernor governor,
                         ClientMetrics metrics) {
        this(settings, http, tokens, governor, metrics, null);
    }

    /**
     * A transport whose calls wait at most {@code maxBudgetWait} for API budget (null: no bound), then fail with a
     * retriable {@link ApiBudgetGovernor#BUDGET_WAIT_TIMEOUT} error without sending anything.
     */
    public RestTransport(HttpSettings settings, HttpClient http, TokenProvider tokens, ApiBudgetGovernor governor,
                         ClientMetrics metrics, Duration maxBudgetWait) {
        this.maxBudgetWait = maxBudgetWait;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.governor = Objects.requireNonNull(governor, "governor");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public HttpSettings settings() {
        return settings;
    }

    public ApiBudgetGovernor governor() {
        return governor;
    }

    public ClientMetrics metrics() {
        return metrics;
    }

    public TokenProvider tokens() {
        return tokens;
    }

    /** {@code /services/data/vXX.X}. */
    public String versionPath() {
        return "/services/data/v" + settings.apiVersion();
    }

    /** Sends a call through the governor: waits for budget, retries retriable failures, re-logs in once on 401. */
    public RestResponse send(CallKind kind, RestRequest request) {
        return governor.call(kind, metrics, maxBudgetWait, permit -> attempt(kind, request, permit));
    }

    /**
     * Like {@link #send}, but a 2xx body is handed over as a stream instead of text, for large answers (Bulk API
     * 2.0 result files). Failure answers are read whole and classified as {@link #send} does; the governor's
     * permit ends when the headers have arrived. The caller must close the response.
     */
    public StreamedResponse sendStreamed(CallKind kind, RestRequest request) {
        return governor.call(kind, metrics, maxBudgetWait, permit -> attemptStreamed(kind, request, permit));
    }

    /**
     * Sends a call once, outside the governor's admission (the governor's own {@code /limits} reads); the
     * {@code Sforce-Limit-Info} header is still reported.
     */
    public RestResponse sendOnce(CallKind kind, RestRequest request) {
        return attempt(kind, request, null);
    }

    /** Reads {@code DailyApiRequests} from {@code /limits}: the governor's {@link io.sfsync.salesforce.budget.LimitsSource}. */
    public DailyUsage fetchDailyUsage() {
        return dailyUsage(sendOnce(CallKind.LIMITS, RestRequest.get("/limits")));
    }

    /** {@code DailyApiRequests} of a {@code /limits} answer. */
    public static DailyUsage dailyUsage(RestResponse r) {
        var daily = r.json().path("DailyApiRequests");
        if (!daily.has("Max")) {
            throw new FatalSalesforceException("/limits has no DailyApiRequests entry", r.status(), List.of(), null);
        }
        return DailyUsage.fromMaxRemaining(daily.path("Max").asLong(), daily.path("Remaining").asLong());
    }

    private RestResponse attempt(CallKind kind, RestRequest request, ApiBudgetGovernor.Permit permit) {
        AccessToken token;
        try {
            token = tokens.current();
        } catch (SalesforceException e) {
            if (permit != null) {
                permit.responded(null); // nothing was sent to the API
            }
            throw e;
        }
        RestResponse response = exchange(kind, request, token, permit);
        if (response.status() == 401 && isInvalidSession(response)) {
            LOG.debug("{}: session rejected, logging in again", request.describe());
            metrics.recordReauthentication();
            AccessToken fresh;
            try {
                fresh = tokens.refresh(token);
            } catch (SalesforceException e) {
                if (permit != null) {
                    permit.responded(null);
                }
                throw e;
            }
            response = exchange(kind, request, fresh, permit);
        }
        int s = response.status();
        if ((s >= 200 && s < 300) || request.acceptedStatuses().contains(s)) {
            return response;
        }
        throw ErrorClassifier.fromResponse(request.describe(), s, response.body());
    }

    private StreamedResponse attemptStreamed(CallKind kind, RestRequest request, ApiBudgetGovernor.Permit permit) {
        AccessToken token;
        try {
            token = tokens.current();
        } catch (SalesforceException e) {
            if (permit != null) {
                permit.responded(null);
            }
            throw e;
        }
        HttpResponse<InputStream> r = exchange(kind, request, token, permit, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 401) {
            RestResponse rejected = drained(request, r);
            if (!isInvalidSession(rejected)) {
                throw ErrorClassifier.fromResponse(request.describe(), 401, rejected.body());
            }
            LOG.debug("{}: session rejected, logging in again", request.describe());
            metrics.recordReauthentication();
            AccessToken fresh;
            try {
                fresh = tokens.refresh(token);
            } catch (SalesforceException e) {
                if (permit != null) {
                    permit.responded(null);
                }
                throw e;
            }
            r = exchange(kind, request, fresh, permit, HttpResponse.BodyHandlers.ofInputStream());
        }
        int s = r.statusCode();
        if ((s >= 200 && s < 300) || request.acceptedStatuses().contains(s)) {
            return new StreamedResponse(s, r.headers(), r.body());
        }
        throw ErrorClassifier.fromResponse(request.describe(), s, drained(request, r).body());
    }

    /** Reads a streamed failure answer whole, for the classifier. */
    private static RestResponse drained(RestRequest request, HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return new RestResponse(r.statusCode(), r.headers(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw ErrorClassifier.fromIo(request.describe(), e);
        }
    }

    private static boolean hasHeader(RestRequest request, String name) {
        return request.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase(name));
    }

    private static boolean isInvalidSession(RestResponse response) {
        return ErrorClassifier.parseErrors(response.body()).stream().anyMatch(e -> e.hasCode("INVALID_SESSION_ID"));
    }

    private RestResponse exchange(CallKind kind, RestRequest request, AccessToken token,
                                  ApiBudgetGovernor.Permit permit) {
        HttpResponse<String> r = exchange(kind, request, token, permit, HttpResponse.BodyHandlers.ofString());
        return new RestResponse(r.statusCode(), r.headers(), r.body());
    }

    private <T> HttpResponse<T> exchange(CallKind kind, RestRequest request, AccessToken token,
                                         ApiBudgetGovernor.Permit permit, HttpResponse.BodyHandler<T> handler) {
        String path = request.path().startsWith("/services/") ? request.path() : versionPath() + request.path();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(token.instanceUrl() + path))
                .timeout(settings.requestTimeout())
                .header("Authorization", "Bearer " + token.value())
                .header(CALL_OPTIONS, "client=" + settings.callOptionsClient());
        if (!hasHeader(request, "Accept")) {
            b.header("Accept", "application/json");
        }
        request.headers().forEach(b::header);
        if (request.body() != null) {
            if (!hasHeader(request, "Content-Type")) {
                b.header("Content-Type", "application/json"); // Bulk 2.0 uploads set text/csv themselves
            }
            b.method(request.method(), HttpRequest.BodyPublishers.ofString(request.body()));
        } else {
            b.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        metrics.recordCall(kind);
        HttpResponse<T> r;
        try {
            r = http.send(b.build(), handler);
        } catch (IOException e) {
            throw ErrorClassifier.fromIo(request.describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FatalSalesforceException(request.describe() + ": interrupted", 0, List.of(), e);
        }
        String limitInfo = r.headers().firstValue(LIMIT_INFO).orElse(null);
        if (permit != null) {
            permit.responded(limitInfo);
        } else {
            governor.observeLimitInfo(limitInfo);
        }
        return r;
    }
}
