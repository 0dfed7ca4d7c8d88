package io.sfsync.salesforce.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** With a proxy configured, the token request and every REST call go through it. */
class ProxyTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension();

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "proxy-connection",
            "keep-alive", "transfer-encoding", "upgrade");

    @Test
    void everyCallGoesThroughTheConfiguredProxy() throws IOException {
        List<String> proxied = new CopyOnWriteArrayList<>();
        HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", ex -> forward(ex, upstream, proxied));
        proxy.start();
        try (SalesforceClient sf = TestSupport.client(SF.emulator()).proxy(proxy.getAddress()).build()) {
            assertThat(sf.describe().describe("Account").name()).isEqualTo("Account");
        } finally {
            proxy.stop(0);
        }
        assertThat(proxied).anyMatch(u -> u.endsWith("/services/oauth2/token"))
                .anyMatch(u -> u.endsWith("/limits"))
                .anyMatch(u -> u.endsWith("/sobjects/Account/describe"));
        assertThat(proxied).allMatch(u -> u.startsWith(SF.emulator().baseUrl()));
    }

    /** A plain forward proxy: the request line carries the absolute URI. */
    private static void forward(HttpExchange ex, HttpClient upstream, List<String> proxied) throws IOException {
        URI target = ex.getRequestURI();
        proxied.add(target.toString());
        HttpRequest.Builder b = HttpRequest.newBuilder(target);
        ex.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(v -> b.header(name, v));
            }
        });
        byte[] body = ex.getRequestBody().readAllBytes();
        b.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> r = upstream.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    values.forEach(v -> ex.getResponseHeaders().add(name, v));
                }
            });
            ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
            ex.getResponseBody().write(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.sendResponseHeaders(502, -1);
        } finally {
            ex.close();
        }
    }
}
