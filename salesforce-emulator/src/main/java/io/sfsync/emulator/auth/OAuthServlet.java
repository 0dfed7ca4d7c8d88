package io.sfsync.emulator.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Serves Salesforce's OAuth endpoints for a {@link TokenService}. Mount it at {@code /services/oauth2/*}; the route
 * is taken from the path info:
 *
 * <ul>
 *   <li>{@code POST /token}: form-encoded grant request (query-string parameters are read too, as Salesforce does);
 *       answers {@code application/json;charset=UTF-8} (Jetty spells the charset {@code utf-8}; charset names are
 *       case-insensitive) with {@code Cache-Control: no-cache,must-revalidate,max-age=0,no-store,private}, the
 *       header real orgs send. A request whose body is not form-encoded has no {@code grant_type} and so gets
 *       "grant type not supported", exactly like Salesforce.</li>
 *   <li>{@code POST /revoke} (and {@code GET /revoke?token=}, which Salesforce also supports): 200 with an empty body,
 *       or 400 {@code unsupported_token_type} "this token type is not supported" for an unknown token.</li>
 *   <li>{@code GET} or {@code POST /userinfo}: OpenID Connect user info for the bearer token; 403 with the text
 *       {@code Missing_OAuth_Token} or {@code Bad_OAuth_Token} otherwise, as Salesforce's identity endpoints do.</li>
 * </ul>
 *
 * <p>Salesforce lets clients choose the response format with a {@code format} parameter or the {@code Accept}
 * header; JSON and form-urlencoded are supported here. Token responses default to JSON. Revoke errors default to
 * form-urlencoded ({@code error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported}),
 * which is what real orgs return to clients that do not ask for JSON.
 *
 * <p>Other methods get 405 with an {@code Allow} header; other paths get 404. These endpoints do not count against
 * the org's API request limit.
 */
public class OAuthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final String TOKEN_ROUTE = "/token";
    private static final String REVOKE_ROUTE = "/revoke";
    private static final String USERINFO_ROUTE = "/userinfo";
    private static final Map<String, Set<String>> ALLOWED_METHODS = Map.of(
            TOKEN_ROUTE, Set.of("POST"),
            REVOKE_ROUTE, Set.of("POST", "GET"),
            USERINFO_ROUTE, Set.of("GET", "POST"));

    private static final String JSON_CONTENT_TYPE = "application/json;charset=UTF-8";
    private static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded;charset=UTF-8";
    private static final String TEXT_CONTENT_TYPE = "text/plain;charset=UTF-8";
    private static final String NO_STORE = "no-cache,must-revalidate,max-age=0,no-store,private";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient TokenService tokens;

    public OAuthServlet(TokenService tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String route = Optional.ofNullable(request.getPathInfo()).orElse("");
        Set<String> allowed = ALLOWED_METHODS.get(route);
        if (allowed == null) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (!allowed.contains(request.getMethod())) {
            response.setHeader("Allow", allowed.stream().sorted().collect(Collectors.joining(", ")));
            response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        switch (route) {
            case TOKEN_ROUTE:
                handleToken(request, response);
                break;
            case REVOKE_ROUTE:
                handleRevoke(request, response);
                break;
            default:
                handleUserInfo(request, response);
                break;
        }
    }

    private void handleToken(HttpServletRequest request, HttpServletResponse response) throws IOException {
        TokenResponse result = tokens.token(parameters(request), request.getHeader("Authorization"));
        write(response, result.httpStatus(), result.body(), ResponseFormat.requestedBy(request, ResponseFormat.JSON));
    }

    private void handleRevoke(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (tokens.revoke(request.getParameter("token"))) {
            response.setHeader("Cache-Control", NO_STORE);
            response.setStatus(HttpServletResponse.SC_OK);
            return;
        }
        Map<String, String> error = new LinkedHashMap<>();
        error.put("error", "unsupported_token_type");
        error.put("error_description", "this token type is not supported");
        write(response, HttpServletResponse.SC_BAD_REQUEST, error,
                ResponseFormat.requestedBy(request, ResponseFormat.FORM_URLENCODED));
    }

    private void handleUserInfo(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> accessToken = AuthorizationHeader.accessToken(request.getHeader("Authorization"))
                .or(() -> Optional.ofNullable(request.getParameter("oauth_token")).filter(token -> !token.isEmpty()));
        if (accessToken.isEmpty()) {
            writeText(response, HttpServletResponse.SC_FORBIDDEN, "Missing_OAuth_Token");
            return;
        }
        Optional<Session> session = tokens.validate(accessToken.get());
        Optional<EmulatorUser> user = session.flatMap(live -> tokens.user(live.userId()));
        if (user.isEmpty()) {
            writeText(response, HttpServletResponse.SC_FORBIDDEN, "Bad_OAuth_Token");
            return;
        }
        Map<String, Object> userInfo = new LinkedHashMap<>();
        userInfo.put("sub", tokens.identityUrl(user.get().id()));
        userInfo.put("user_id", user.get().id());
        userInfo.put("organization_id", session.get().orgId());
        userInfo.put("preferred_username", user.get().username());
        userInfo.put("active", user.get().active());
        userInfo.put("user_type", "STANDARD");
        response.setHeader("Cache-Control", NO_STORE);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(JSON_CONTENT_TYPE);
        response.getOutputStream().write(JSON.writeValueAsBytes(userInfo));
    }

    /** The first value of each request parameter, form body and query string alike. */
    private static Map<String, String> parameters(HttpServletRequest request) {
        Map<String, String> parameters = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (values.length > 0) {
                parameters.put(name, values[0]);
            }
        });
        return parameters;
    }

    private static void write(HttpServletResponse response, int status, Map<String, String> body,
                              ResponseFormat format) throws IOException {
        response.setHeader("Cache-Control", NO_STORE);
        response.setHeader("Expires", "Thu, 01 Jan 1970 00:00:00 GMT");
        response.setStatus(status);
        byte[] bytes;
        if (format == ResponseFormat.FORM_URLENCODED) {
            response.setContentType(FORM_CONTENT_TYPE);
            bytes = formEncode(body).getBytes(StandardCharsets.UTF_8);
        } else {
            response.setContentType(JSON_CONTENT_TYPE);
            bytes = JSON.writeValueAsBytes(body);
        }
        response.getOutputStream().write(bytes);
    }

    private static void writeText(HttpServletResponse response, int status, String text) throws IOException {
        response.setHeader("Cache-Control", NO_STORE);
        response.setStatus(status);
        response.setContentType(TEXT_CONTENT_TYPE);
        response.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code a=1&b=x%20y}: Salesforce encodes spaces as {@code %20}, not {@code +}. */
    private static String formEncode(Map<String, String> body) {
        return body.entrySet().stream()
                .map(entry -> percentEncode(entry.getKey()) + "=" + percentEncode(entry.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String percentEncode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The response formats a client can ask for with {@code format=} or {@code Accept:}. */
    private enum ResponseFormat {
        JSON, FORM_URLENCODED;

        static ResponseFormat requestedBy(HttpServletRequest request, ResponseFormat fallback) {
            String format = request.getParameter("format");
            if (format != null) {
                switch (format.toLowerCase(Locale.ROOT)) {
                    case "json":
                        return JSON;
                    case "urlencoded":
                        return FORM_URLENCODED;
                    default:
                        return fallback;
                }
            }
            String accept = Optional.ofNullable(request.getHeader("Accept")).orElse("").toLowerCase(Locale.ROOT);
            if (accept.contains("application/json")) {
                return JSON;
            }
            if (accept.contains("application/x-www-form-urlencoded")) {
                return FORM_URLENCODED;
            }
            return fallback;
        }
    }
}
