package io.sfsync.emulator.streaming;

import io.sfsync.emulator.cdc.ChangeEventLog;
import io.sfsync.emulator.data.ChangeOrigin;
import io.sfsync.emulator.data.DmlResult;
import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.data.WriteContext;
import io.sfsync.emulator.faults.Faults;
import io.sfsync.emulator.model.SalesforceIds;
import io.sfsync.emulator.model.Schema;
import io.sfsync.emulator.model.StandardObjects;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * An org with the standard objects, its event log, and the streaming service on a real Jetty server on a free
 * loopback port, with short timeouts. Tokens are valid when {@link #grant granted}.
 */
final class StreamingFixture {

    static {
        // Quiet Jetty's and CometD's start/stop lines in test output (slf4j-simple reads these once).
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.cometd", "warn");
    }

    static final String USER_ID = SalesforceIds.newId("005", "5e", 1);
    static final String TOKEN = "00D5e0000000001!AQ4AQ.valid.token";

    final Clock clock = Clock.systemUTC();
    final ChangeEventLog log = new ChangeEventLog(clock, 1000);
    final Faults faults = new Faults();
    final Org org;
    final Map<String, String> tokens = new ConcurrentHashMap<>();
    final StreamingSettings settings;
    final StreamingService service;
    final Server server;
    final String baseUrl;

    StreamingFixture() throws Exception {
        this(StreamingSettings.defaults()
                .longPollTimeout(Duration.ofSeconds(2))
                .reconnectWindow(Duration.ofSeconds(3)));
    }

    StreamingFixture(StreamingSettings settings) throws Exception {
        Schema schema = new Schema();
        StandardObjects.addTo(schema, Instant.now());
        org = new Org(schema, clock, "00D5e0000000001AAA", log, faults);
        this.settings = settings;
        grant(TOKEN);
        service = new StreamingService(log, org, faults, t -> Optional.ofNullable(tokens.get(t)), clock, settings);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        service.install(context);
        server.setHandler(context);
        server.start();
        baseUrl = "http://127.0.0.1:" + connector.getLocalPort();
    }

    void grant(String token) {
        tokens.put(token, USER_ID);
    }

    void revoke(String token) {
        tokens.remove(token);
        service.revokeToken(token);
    }

    String cometdUrl() {
        return baseUrl + "/cometd/62.0";
    }

    WriteContext ctx() {
        return new WriteContext(USER_ID, ChangeOrigin.rest("62.0", "streaming-test"));
    }

    String insert(String type, Map<String, Object> values) {
        DmlResult r = org.write(ctx(), tx -> tx.insert(type, values));
        if (!r.success()) {
            fail("insert failed: " + r.errors());
        }
        return r.id();
    }

    void update(String id, Map<String, Object> values) {
        DmlResult r = org.write(ctx(), tx -> tx.update(id, values));
        if (!r.success()) {
            fail("update failed: " + r.errors());
        }
    }

    void delete(String id) {
        DmlResult r = org.write(ctx(), tx -> tx.delete(id));
        if (!r.success()) {
            fail("delete failed: " + r.errors());
        }
    }

    String account(String name) {
        return insert("Account", Map.of("Name", name));
    }

    /** Waits up to {@code timeout} for {@code condition}, polling; fails with {@code what} if it never holds. */
    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    public void close() throws Exception {
        server.stop();
    }
}
