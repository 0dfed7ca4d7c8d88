package io.sfsync.emulator.streaming;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A Bayeux client over plain {@link HttpClient}, posting JSON arrays the way Faye-style clients do, to look at
 * the exact wire shapes. Keeps cookies like a browser.
 */
final class RawBayeux {

    static final ObjectMapper JSON = new ObjectMapper();

    final CookieManager cookies = new CookieManager();
    final HttpClient http;
    final String url;
    String authorization;
    String clientId;
    private int nextId = 1;

    /** One HTTP exchange: status, headers, and the Bayeux messages of the body. */
    record Reply(int status, HttpHeaders headers, String body, List<Map<String, Object>> messages) {

        Map<String, Object> first(String channel) {
            return messages.stream().filter(m -> channel.equals(m.get("channel"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + channel + " message in " + body));
        }

        List<Map<String, Object>> events() {
            return messages.stream().filter(m -> !String.valueOf(m.get("channel")).startsWith("/meta/")).toList();
        }
    }

    RawBayeux(String url, String token) {
        this.url = url;
        this.authorization = token == null ? null : "Bearer " + token;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
    }

    String nextId() {
        return String.valueOf(nextId++);
    }

    Reply post(String path, List<Map<String, Object>> messages) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(messages)));
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            List<Map<String, Object>> parsed = List.of();
            String body = r.body();
            if (body != null && body.startsWith("[")) {
                parsed = JSON.readValue(body, new TypeReference<>() { });
            }
            return new Reply(r.statusCode(), r.headers(), body, parsed);
        } catch (IOException e) {
            throw new AssertionError("HTTP exchange failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Reply post(Map<String, Object> message) {
        return post("", List.of(message));
    }

    static Map<String, Object> message(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    Map<String, Object> handshakeMessage() {
        return message("channel", "/meta/handshake", "version", "1.0", "minimumVersion", "1.0",
                "supportedConnectionTypes", List.of("long-polling"), "ext", Map.of("replay", true), "id", nextId());
    }

    Reply handshake() {
        Reply r = post(handshakeMessage());
        Map<String, Object> reply = r.first("/meta/handshake");
        if (Boolean.TRUE.equals(reply.get("successful"))) {
            clientId = (String) reply.get("clientId");
        }
        return r;
    }

    Map<String, Object> connectMessage() {
        return message("channel", "/meta/connect", "clientId", clientId, "connectionType", "long-polling",
                "id", nextId());
    }

    Reply connect() {
        return post(connectMessage());
    }

    Reply subscribe(String channel, Map<String, Object> replay) {
        Map<String, Object> m = message("channel", "/meta/subscribe", "clientId", clientId, "subscription", channel,
                "id", nextId());
        if (replay != null) {
            m.put("ext", Map.of("replay", replay));
        }
        return post(m);
    }

    Map<String, Object> subscribeOk(String channel, Map<String, Object> replay) {
        Map<String, Object> reply = subscribe(channel, replay).first("/meta/subscribe");
        assertThat(reply).containsEntry("successful", true);
        return reply;
    }

    /** Handshake, first connect: a session ready to subscribe. */
    RawBayeux start() {
        Reply h = handshake();
        assertThat(h.first("/meta/handshake")).containsEntry("successful", true);
        assertThat(connect().first("/meta/connect")).containsEntry("successful", true);
        return this;
    }

    /** Connects until {@code done} holds for the events received, failing after {@code timeout}. */
    List<Map<String, Object>> connectUntil(Duration timeout, Predicate<List<Map<String, Object>>> done) {
        List<Map<String, Object>> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(events)) {
            if (System.nanoTime() > deadline) {
                fail("timed out; received " + events.size() + " events: " + events);
            }
            Reply r = connect();
            assertThat(r.first("/meta/connect")).containsEntry("successful", true);
            events.addAll(r.events());
        }
        return events;
    }

    List<Map<String, Object>> receive(int count) {
        return connectUntil(Duration.ofSeconds(15), e -> e.size() >= count);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static long replayIdOf(Map<String, Object> eventMessage) {
        Map<String, Object> data = map(eventMessage.get("data"));
        return ((Number) map(data.get("event")).get("replayId")).longValue();
    }

    static String firstRecordId(Map<String, Object> eventMessage) {
        return String.valueOf(((List<?>) headerOf(eventMessage).get("recordIds")).get(0));
    }

    static List<String> changedFields(Map<String, Object> eventMessage) {
        return ((List<?>) headerOf(eventMessage).get("changedFields")).stream().map(String::valueOf).toList();
    }

    static Map<String, Object> headerOf(Map<String, Object> eventMessage) {
        Map<String, Object> data = map(eventMessage.get("data"));
        return map(map(data.get("payload")).get("ChangeEventHeader"));
    }
}
