package io.sfsync.emulator.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.server.http.jakarta.CometDServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Request;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CometD's servlet, mounted at {@code /cometd/*}: checks the API version in the path ({@code /cometd/62.0},
 * also with the {@code /handshake}, {@code /connect}... suffix the CometD Java client adds), the request size,
 * sets Salesforce's {@code BrowserId} cookie, and gives each request an {@link Exchange}.
 */
final class StreamingServlet extends CometDServlet {

    private static final Pattern VERSION_PATH = Pattern.compile("^/(\\d{1,3}\\.\\d{1,2})(/.*)?$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final transient StreamingService service;

    StreamingServlet(StreamingService service) {
        this.service = service;
    }

    @Override
    protected BayeuxServer newBayeuxServer() {
        return service.newBayeuxServer();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if ("OPTIONS".equals(request.getMethod())) {
            super.service(request, response);
            return;
        }
        StreamingSettings settings = service.settings();
        String path = request.getPathInfo();
        Matcher m = VERSION_PATH.matcher(path == null ? "" : path);
        if (!m.matches()) {
            fail(request, response, 400, StreamingErrors.versionMandatory(settings.currentApiVersion()));
            return;
        }
        if (Double.parseDouble(m.group(1)) < settings.minimumApiVersion()) {
            fail(request, response, 400,
                    StreamingErrors.unsupportedVersion(settings.minimumApiVersion(), settings.currentApiVersion()));
            return;
        }
        long length = request.getContentLengthLong();
        if (settings.maxRequestBytes() > 0 && length > settings.maxRequestBytes()) {
            response.sendError(413);
            return;
        }
        if (!hasCookie(request, "BrowserId")) {
            response.addHeader("Set-Cookie", "BrowserId=" + browserId() + "; Path=/; Max-Age=31536000");
        }
        Exchange exchange = new Exchange(request);
        request.setAttribute(Exchange.ATTRIBUTE, exchange);
        ServletContextRequest core = ServletContextRequest.getServletContextRequest(request);
        if (core != null) {
            Request.addCompletionListener(core, exchange::httpCompleted);
        }
        super.service(request, response);
    }

    private static boolean hasCookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (name.equals(c.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String browserId() {
        StringBuilder sb = new StringBuilder(22);
        for (int i = 0; i < 22; i++) {
            sb.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return sb.toString();
    }

    /** Answers every message of the request with {@code error}, before CometD sees it. */
    private static void fail(HttpServletRequest request, HttpServletResponse response, int status, String error)
            throws IOException {
        List<Map<String, Object>> replies = new ArrayList<>();
        try {
            JsonNode body = JSON.readTree(request.getInputStream());
            if (body != null && body.isObject()) {
                replies.add(reply(body, error));
            } else if (body != null && body.isArray()) {
                for (JsonNode message : body) {
                    replies.add(reply(message, error));
                }
            }
        } catch (IOException e) {
            // Not JSON: one reply without channel.
        }
        if (replies.isEmpty()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("error", error);
            r.put("successful", false);
            replies.add(r);
        }
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.getOutputStream().write(JSON.writeValueAsString(replies).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> reply(JsonNode message, String error) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (message.hasNonNull("channel")) {
            r.put("channel", message.get("channel").asText());
        }
        if (message.hasNonNull("id")) {
            r.put("id", message.get("id").asText());
        }
        if (message.hasNonNull("clientId")) {
            r.put("clientId", message.get("clientId").asText());
        }
        r.put("error", error);
        r.put("successful", false);
        return r;
    }
}
