package io.sfsync.emulator.http;

import io.sfsync.emulator.data.ApiError;
import io.sfsync.emulator.data.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes REST calls (path below {@code /services/data/vXX.X}) to handlers by method and path pattern. Each route
 * has a name such as {@code GET /sobjects/{S}/{id}}, used to count calls by endpoint.
 */
public final class Router {

    /** Handles one matched call; {@code m} holds the path pattern's named groups. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request, Matcher m);
    }

    private record Route(String method, Pattern pattern, String name, Handler handler) {
    }

    /** A route found for a request, ready to run. */
    public record Match(String name, Handler handler, Matcher matcher) {
        public ApiResponse run(ApiRequest request) {
            return handler.handle(request, matcher);
        }
    }

    private final List<Route> routes = new ArrayList<>();

    /**
     * Adds a route. {@code template} uses {@code {name}} for one path segment, e.g.
     * {@code /sobjects/{type}/{id}}; the route's display name is {@code METHOD template}.
     */
    public Router add(String method, String template, Handler handler) {
        String regex = template.replaceAll("\\{(\\w+)}", "(?<$1>[^/]+)");
        routes.add(new Route(method, Pattern.compile(regex + "/?"), method + " " + template, handler));
        return this;
    }

    /** Finds the route; 404 NOT_FOUND when no path matches, 405 when the path matches but not the method. */
    public Match find(String method, String path) {
        boolean pathMatched = false;
        for (Route r : routes) {
            Matcher m = r.pattern.matcher(path);
            if (m.matches()) {
                if (r.method.equals(method)) {
                    return new Match(r.name, r.handler, m);
                }
                pathMatched = true;
            }
        }
        if (pathMatched) {
            throw new ApiException(405, ApiError.of("METHOD_NOT_ALLOWED",
                    "HTTP Method '" + method + "' not allowed. Allowed are " + allowed(path)));
        }
        throw ApiException.notFound();
    }

    private String allowed(String path) {
        List<String> methods = new ArrayList<>();
        for (Route r : routes) {
            if (r.pattern.matcher(path).matches() && !methods.contains(r.method)) {
                methods.add(r.method);
            }
        }
        methods.add("HEAD");
        return String.join(",", methods);
    }
}
