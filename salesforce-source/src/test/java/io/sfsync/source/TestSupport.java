package io.sfsync.source;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.emulator.streaming.StreamingSettings;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.auth.SalesforceCredentials;
import io.sfsync.salesforce.auth.Secret;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Shared test pieces: an emulator with short long polls, the connector properties that reach it. */
final class TestSupport {

    private TestSupport() {
    }

    static SalesforceEmulatorExtension emulator() {
        return new SalesforceEmulatorExtension(b -> b.dailyApiRequests(1_000_000).streaming(StreamingSettings.defaults()
                .longPollTimeout(Duration.ofSeconds(2)).reconnectWindow(Duration.ofSeconds(4))));
    }

    /** Client-credentials properties for the emulator (JWT needs a key pair; the flow does not matter here). */
    static Map<String, String> props(SalesforceEmulator emulator, String objects) {
        Map<String, String> p = new HashMap<>();
        p.put(SalesforceSourceConfig.LOGIN_URL, emulator.baseUrl());
        p.put(SalesforceSourceConfig.AUTH_TYPE, "CLIENT_CREDENTIALS");
        p.put(SalesforceSourceConfig.CLIENT_ID, SalesforceEmulator.CLIENT_ID);
        p.put(SalesforceSourceConfig.CLIENT_SECRET, SalesforceEmulator.CLIENT_SECRET);
        p.put(SalesforceSourceConfig.OBJECTS, objects);
        p.put(SalesforceSourceConfig.SNAPSHOT_PAGE_SIZE, "200");
        p.put(SalesforceSourceConfig.POLL_TIMEOUT_MS, "100");
        return p;
    }

    /** A client acting as another integration (its writes are not the sync's own). */
    static SalesforceClient client(SalesforceEmulator emulator, String callOptionsClient) {
        return SalesforceClient.builder(new SalesforceCredentials.ClientCredentials(URI.create(emulator.baseUrl()),
                SalesforceEmulator.CLIENT_ID, Secret.of(SalesforceEmulator.CLIENT_SECRET)), callOptionsClient).build();
    }

    /**
     * A call to the emulator's control API (UI edits, faults, streaming events, schema changes); fails the test unless
     * it answers 2xx. Returns the body.
     */
    static String control(SalesforceEmulator emulator, String method, String path, String json) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                            .method(method, json == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                    : java.net.http.HttpRequest.BodyPublishers.ofString(json))
                            .header("Content-Type", "application/json").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() < 200 || r.statusCode() > 299) {
                throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
