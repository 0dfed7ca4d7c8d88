package io.sfsync.emulator.http;

import io.sfsync.emulator.auth.AuthorizationHeader;
import io.sfsync.emulator.auth.TokenValidator;
import io.sfsync.emulator.data.ApiError;
import io.sfsync.emulator.data.ApiException;
import io.sfsync.emulator.faults.Faults;
import io.sfsync.emulator.limits.ApiLimits;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /services/data/*}: the Versions resource, then, for versioned paths, what Salesforce does before any
 * REST resource runs: authentication (401 INVALID_SESSION_ID), the daily and per-second allocations (403
 * REQUEST_LIMIT_EXCEEDED), the concurrent long-running limit, injected faults (latency, 503, 500), and the
 * {@code Sforce-Limit-Info} header on every counted response.
 */
public final class ApiServlet extends HttpServlet {

    private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d)(/.*)?$");

    private final transient Router router;
    private final transient TokenValidator authenticator;
    private final transient ApiLimits limits;
    private final transient Faults faults;

    public ApiServlet(Router router, TokenValidator authenticator, ApiLimits limits, Faults faults) {
        this.router = router;
        this.authenticator = authenticator;
        this.limits = limits;
        this.faults = faults;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String pathInfo = req.getPathInfo() == null ? "/" : req.getPathInfo();
        if (pathInfo.equals("/") || pathInfo.isEmpty()) {
            // The Versions resource needs no session and does not count against the allocation.
            write(resp, ApiResponse.ok(ApiVersions.list()), false);
            return;
        }
        Matcher m = VERSIONED.matcher(pathInfo);
        if (!m.matches() || !ApiVersions.supported(m.group(1))) {
            write(resp, ApiResponse.error(ApiException.notFound()), false);
            return;
        }
        String version = m.group(1);
        String path = m.group(2) == null ? "/" : m.group(2);

        String header = req.getHeader("Authorization");
        String token = AuthorizationHeader.accessToken(header).orElse(null);
        if (token == null && header != null && !header.isBlank()) {
            write(resp, ApiResponse.error(new ApiException(401,
                    ApiError.of("INVALID_AUTH_HEADER", "INVALID_HEADER_TYPE"))), false);
            return;
        }
        Optional<String> user = token == null ? Optional.empty() : authenticator.userIdFor(token);
        if (user.isEmpty()) {
            write(resp, ApiResponse.error(new ApiException(401,
                    ApiError.of("INVALID_SESSION_ID", "Session expired or invalid"))), false);
            return;
        }

        ApiResponse response;
        long inFlight = -1;
        try {
            Router.Match route = null;
            ApiException noRoute = null;
            try {
                route = router.find(req.getMethod(), path);
            } catch (ApiException e) {
                noRoute = e;
            }
            // Every REST request counts against the allocation, one to an unknown resource included.
            switch (limits.tryAcquire(route == null ? "(no such resource)" : route.name())) {
                case DAILY_LIMIT_EXCEEDED -> throw new ApiException(403,
                        ApiError.of("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
                // Not a Salesforce limit: the emulator's optional cap, reported with the same code clients handle.
                case RATE_CAP_EXCEEDED -> throw new ApiException(403,
                        ApiError.of("REQUEST_LIMIT_EXCEEDED", "Request rate limit exceeded."));
                default -> { }
            }
            if (noRoute != null) {
                throw noRoute;
            }
            inFlight = limits.beginRequest();
            if (inFlight < 0) {
                throw new ApiException(403,
                        ApiError.of("REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."));
            }
            injectFaults();
            ApiRequest request = new ApiRequest(req.getMethod(), version, path, query(req), headers(req),
                    new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8), user.get(),
                    clientId(req.getHeader("Sforce-Call-Options")));
            response = route.run(request);
        } catch (ApiException e) {
            response = ApiResponse.error(e);
        } catch (RuntimeException e) {
            response = ApiResponse.error(new ApiException(500, ApiError.of("UNKNOWN_EXCEPTION",
                    "An unexpected error occurred. Please include this ErrorId if you contact support: "
                            + Integer.toHexString(e.hashCode()) + " (" + e.getClass().getSimpleName() + ")")));
            log("unexpected error serving " + req.getMethod() + " " + path, e);
        } finally {
            if (inFlight >= 0) {
                limits.endRequest(inFlight);
            }
        }
        write(resp, response, true);
    }

    private void injectFaults() {
        long latency = faults.latency().toMillis();
        if (latency > 0) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (faults.takeForced503() || faults.roll(faults.serverUnavailableRate())) {
            throw new ApiException(503, ApiError.of("SERVER_UNAVAILABLE",
                    "Server temporarily unavailable due to maintenance or overload. Please retry."));
        }
        if (faults.roll(faults.serverErrorRate())) {
            throw new ApiException(500, ApiError.of("UNKNOWN_EXCEPTION",
                    "An unexpected error occurred. Please include this ErrorId if you contact support: "
                            + "1234567890-12345 (-1234567890)"));
        }
    }

    /** {@code Sforce-Call-Options: client=my-sync, defaultNamespace=ns} -> {@code my-sync}. */
    static String clientId(String callOptions) {
        if (callOptions == null) {
            return null;
        }
        for (String part : callOptions.split(",")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "client=", 0, 7)) {
                return p.substring(7).trim();
            }
        }
        return null;
    }

    private static Map<String, List<String>> query(HttpServletRequest req) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String qs = req.getQueryString();
        if (qs == null) {
            return out;
        }
        for (String pair : qs.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static Map<String, String> headers(HttpServletRequest req) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            out.put(name, req.getHeader(name));
        }
        return out;
    }

    private void write(HttpServletResponse resp, ApiResponse r, boolean counted) throws IOException {
        resp.setStatus(r.status());
        if (counted) {
            resp.setHeader("Sforce-Limit-Info", limits.limitInfoHeader());
        }
        r.headers().forEach(resp::setHeader);
        if (r.json() != null) {
            resp.setContentType(r.contentType());
            resp.getOutputStream().write(Json.write(r.json()).getBytes(StandardCharsets.UTF_8));
        } else if (r.raw() != null) {
            resp.setContentType(r.contentType());
            resp.getOutputStream().write(r.raw().getBytes(StandardCharsets.UTF_8));
        }
    }
}
