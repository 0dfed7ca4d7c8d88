package io.sfsync.emulator.auth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A Jetty server on 127.0.0.1 and a free port, with {@link OAuthServlet} mounted at {@code /services/oauth2/*} as the
 * emulator mounts it, over a fresh {@link TestOrg} whose instance URL is this server's base URL.
 */
final class OAuthTestServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final TestOrg org;
    private final Server server;
    private final String baseUrl;

    OAuthTestServer() throws Exception {
        AtomicReference<String> instanceUrl = new AtomicReference<>();
        org = new TestOrg(instanceUrl::get);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new OAuthServlet(org.service)), "/services/oauth2/*");
        server.setHandler(context);
        server.start();
        baseUrl = "http://127.0.0.1:" + connector.getLocalPort();
        instanceUrl.set(baseUrl);
    }

    String baseUrl() {
        return baseUrl;
    }

    /** POSTs a form-encoded body to {@code /services/oauth2/<route>}. */
    HttpResponse<String> postForm(String route, String... keysAndValues) throws IOException, InterruptedException {
        return send(request(route)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(keysAndValues))));
    }

    HttpRequest.Builder request(String routeAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/services/oauth2/" + routeAndQuery));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String formBody(String... keysAndValues) {
        return IntStream.range(0, keysAndValues.length / 2)
                .mapToObj(i -> encode(keysAndValues[2 * i]) + "=" + encode(keysAndValues[2 * i + 1]))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
