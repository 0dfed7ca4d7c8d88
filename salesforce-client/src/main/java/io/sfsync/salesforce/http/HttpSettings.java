package io.sfsync.salesforce.http;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Transport settings shared by the token endpoint and the REST calls. TLS certificates are always verified (the
 * JDK's default trust store, or whatever {@code javax.net.ssl.trustStore} names); there is no trust-all switch.
 *
 * @param callOptionsClient the {@code client=} sent in {@code Sforce-Call-Options} on every call, so the writes'
 *                          change events are recognisable ({@code changeOrigin})
 * @param proxy             an HTTP(S) proxy, or null
 */
public record HttpSettings(String apiVersion, String callOptionsClient, Duration connectTimeout,
                           Duration requestTimeout, InetSocketAddress proxy) {

    public static final String DEFAULT_API_VERSION = "62.0";

    public HttpSettings {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(callOptionsClient, "callOptionsClient");
        if (!apiVersion.matches("\\d+\\.\\d")) {
            throw new IllegalArgumentException("apiVersion looks like 62.0, got " + apiVersion);
        }
        if (callOptionsClient.isBlank() || callOptionsClient.contains(",")) {
            throw new IllegalArgumentException("callOptionsClient must be non-blank and contain no comma");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** API v62.0, 10 s to connect, 2 minutes per request, no proxy. */
    public static HttpSettings defaults(String callOptionsClient) {
        return new HttpSettings(DEFAULT_API_VERSION, callOptionsClient, Duration.ofSeconds(10),
                Duration.ofMinutes(2), null);
    }

    public Optional<InetSocketAddress> proxyAddress() {
        return Optional.ofNullable(proxy);
    }

    public HttpSettings withApiVersion(String v) {
        return new HttpSettings(v, callOptionsClient, connectTimeout, requestTimeout, proxy);
    }

    public HttpSettings withTimeouts(Duration connect, Duration request) {
        return new HttpSettings(apiVersion, callOptionsClient, connect, request, proxy);
    }

    public HttpSettings withProxy(InetSocketAddress v) {
        return new HttpSettings(apiVersion, callOptionsClient, connectTimeout, requestTimeout, v);
    }

    /** A JDK HTTP client with these settings: no redirects followed, default TLS verification. */
    public HttpClient newHttpClient() {
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        proxyAddress().ifPresent(p -> b.proxy(ProxySelector.of(p)));
        return b.build();
    }
}
