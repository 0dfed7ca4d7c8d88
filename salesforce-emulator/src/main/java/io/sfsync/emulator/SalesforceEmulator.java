package io.sfsync.emulator;

import io.sfsync.emulator.auth.ConnectedApp;
import io.sfsync.emulator.auth.EmulatorUser;
import io.sfsync.emulator.auth.OAuthServlet;
import io.sfsync.emulator.auth.TokenService;
import io.sfsync.emulator.auth.TokenValidator;
import io.sfsync.emulator.control.StreamingControl;
import io.sfsync.emulator.streaming.StreamingService;
import io.sfsync.emulator.streaming.StreamingSettings;
import io.sfsync.emulator.bulk.BulkIngestResource;
import io.sfsync.emulator.bulk.BulkQueryResource;
import io.sfsync.emulator.cdc.ChangeEventLog;
import io.sfsync.emulator.control.ControlServlet;
import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.data.WriteContext;
import io.sfsync.emulator.data.ChangeOrigin;
import io.sfsync.emulator.faults.Faults;
import io.sfsync.emulator.http.ApiServlet;
import io.sfsync.emulator.http.Router;
import io.sfsync.emulator.limits.ApiLimits;
import io.sfsync.emulator.model.MetadataJson;
import io.sfsync.emulator.model.SalesforceIds;
import io.sfsync.emulator.model.Schema;
import io.sfsync.emulator.model.StandardObjects;
import io.sfsync.emulator.rest.CollectionsResource;
import io.sfsync.emulator.rest.CompositeResource;
import io.sfsync.emulator.rest.LimitsResource;
import io.sfsync.emulator.rest.QueryResource;
import io.sfsync.emulator.soql.SoqlEngine;
import io.sfsync.emulator.rest.SObjectResources;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A local Salesforce org over HTTP: OAuth, REST, Bulk API 2.0, the Streaming API with Change Data Capture, and a
 * control API for tests and demos. Start it embedded with {@link #builder()} or standalone with {@link Main}.
 *
 * <p>The org is seeded with two users and one connected app whose credentials are the public constants below,
 * standard objects (Account, Contact, Lead, Opportunity, User) and the custom fields and objects of
 * {@code default-metadata.json} (plus any metadata files given). It binds to 127.0.0.1 unless told otherwise.
 */
public final class SalesforceEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceEmulator.class);

    public static final String ORG_ID = SalesforceIds.toCaseSafe("00D5e0000000001");
    public static final String ADMIN_USER_ID = SalesforceIds.toCaseSafe("0055e0000000001");
    public static final String INTEGRATION_USER_ID = SalesforceIds.toCaseSafe("0055e0000000002");
    public static final String ADMIN_USERNAME = "admin@sfsync.emulator";
    public static final String INTEGRATION_USERNAME = "integration@sfsync.emulator";
    /** Seeded passwords: this is a local emulator, and these are printed on start for the user to copy. */
    public static final String PASSWORD = "emulator-password";
    public static final String CLIENT_ID = "3MVG9sfsync.emulator.client";
    public static final String CLIENT_SECRET = "emulator-client-secret";

    private final Builder config;
    private final Clock clock;
    private final Schema schema = new Schema();
    private final Faults faults = new Faults();
    private final ApiLimits limits;
    private final ChangeEventLog events;
    private final Org org;
    private final TokenService tokens;
    private final Server server;
    private ControlServlet control;
    private BulkIngestResource bulkIngest;
    private StreamingService streaming;
    private BulkQueryResource bulkQuery;
    private volatile String baseUrl;

    private SalesforceEmulator(Builder b) {
        this.config = b;
        this.clock = b.clock;
        StandardObjects.addTo(schema, clock.instant());
        loadMetadata(b);
        this.limits = new ApiLimits(clock);
        limits.setDailyMax(b.dailyApiRequests);
        this.events = new ChangeEventLog(clock, 10_000_000L);
        events.setRetention(b.eventRetention);
        events.setMaxRetainedEvents(b.maxRetainedEvents);
        this.org = new Org(schema, clock, ORG_ID, events, faults);
        seedUsers();
        ConnectedApp.Builder app = ConnectedApp.builder(CLIENT_ID, CLIENT_SECRET)
                .clientCredentialsRunAsUserId(INTEGRATION_USER_ID)
                .preAuthorizedUserIds(Set.of(ADMIN_USER_ID, INTEGRATION_USER_ID));
        if (b.jwtPublicKey != null) {
            app.jwtPublicKey(b.jwtPublicKey);
        }
        this.tokens = TokenService.builder()
                .orgId(ORG_ID)
                .instanceUrl(this::baseUrl)
                .user(EmulatorUser.active(ADMIN_USER_ID, ADMIN_USERNAME, PASSWORD))
                .user(EmulatorUser.active(INTEGRATION_USER_ID, INTEGRATION_USERNAME, PASSWORD))
                .connectedApp(app.build())
                .clock(clock)
                .sessionTimeout(b.sessionTimeout)
                .build();
        this.server = buildServer(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    private void loadMetadata(Builder b) {
        try (InputStream in = SalesforceEmulator.class.getResourceAsStream("/default-metadata.json")) {
            MetadataJson.load(in, schema, clock.instant());
            for (Path p : b.metadataFiles) {
                try (InputStream file = Files.newInputStream(p)) {
                    MetadataJson.load(file, schema, clock.instant());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read metadata", e);
        }
    }

    /** The seeded users exist as User records too, so OwnerId and CreatedById references resolve. */
    private void seedUsers() {
        WriteContext system = new WriteContext(ADMIN_USER_ID, ChangeOrigin.UI);
        org.seedRecord("User", ADMIN_USER_ID, Map.of("Username", ADMIN_USERNAME, "LastName", "Admin",
                "FirstName", "Emulator", "Email", "admin@sfsync.example", "Alias", "admin", "IsActive", true), system);
        org.seedRecord("User", INTEGRATION_USER_ID, Map.of("Username", INTEGRATION_USERNAME, "LastName",
                "Integration", "FirstName", "Sync", "Email", "integration@sfsync.example", "Alias", "integ",
                "IsActive", true), system);
    }

    private Server buildServer(Builder b) {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("sf-emulator");
        Server s = new Server(threads);
        ServerConnector connector = new ServerConnector(s);
        connector.setHost(b.host);
        connector.setPort(b.port);
        s.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        TokenValidator sessions = token -> tokens.validate(token).map(session -> session.userId());
        Router router = new Router();
        new SObjectResources(org).register(router);
        new CollectionsResource(org).register(router);
        new CompositeResource(org, router).register(router);
        streaming = new StreamingService(events, org, faults, sessions, clock, b.streaming);
        tokens.addRevocationListener(streaming::revokeToken);
        new LimitsResource(limits, this::streamingLimits).register(router);
        new QueryResource(new SoqlEngine(schema, org, clock), clock).register(router);
        bulkIngest = new BulkIngestResource(org);
        bulkIngest.register(router);
        bulkQuery = new BulkQueryResource(org).register(router);
        context.addServlet(new ServletHolder("rest", new ApiServlet(router, sessions, limits, faults)),
                "/services/data/*");
        context.addServlet(new ServletHolder("oauth", new OAuthServlet(tokens)), "/services/oauth2/*");
        control = new ControlServlet(org, limits, tokens, ADMIN_USER_ID, null);
        control.setStreaming(new StreamingControl() {
            @Override
            public void injectGap(String entity, String changeType, List<String> recordIds) {
                streaming.injectGap(entity, changeType, recordIds, ADMIN_USER_ID);
            }

            @Override
            public void injectOverflow(String entity) {
                streaming.injectGapOverflow(List.of(entity), ADMIN_USER_ID);
            }

            @Override
            public void expireClients() {
                streaming.expireAllClients();
            }

            @Override
            public Map<String, Object> counters() {
                return streaming.counters();
            }
        });
        context.addServlet(new ServletHolder("control", control), "/emulator/*");
        streaming.install(context);
        s.setHandler(context);
        return s;
    }

    /** The streaming entries of {@code /limits}: concurrent CometD clients, and deliveries when capped. */
    private Map<String, long[]> streamingLimits() {
        Map<String, long[]> extra = new LinkedHashMap<>();
        int maxClients = streaming.settings().maxConcurrentClients();
        long clientsLeft = Math.max(0, maxClients - streaming.currentClients());
        extra.put("StreamingApiConcurrentClients", new long[] {maxClients, clientsLeft});
        extra.put("DurableStreamingApiConcurrentClients", new long[] {maxClients, clientsLeft});
        return extra;
    }

    /** Starts the server; returns this for chaining. */
    public SalesforceEmulator start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Salesforce emulator on " + config.host + ":"
                    + config.port, e);
        }
        ServerConnector c = (ServerConnector) server.getConnectors()[0];
        baseUrl = "http://" + hostForUrl(config.host) + ":" + c.getLocalPort();
        LOG.info("Salesforce emulator listening on {}", baseUrl);
        return this;
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public void stop() {
        try {
            server.stop();
            bulkIngest.close();
            bulkQuery.close();
        } catch (Exception e) {
            LOG.warn("error stopping the Salesforce emulator", e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** {@code http://127.0.0.1:PORT}: the login URL and the instance URL alike. */
    public String baseUrl() {
        if (baseUrl == null) {
            throw new IllegalStateException("the emulator is not started");
        }
        return baseUrl;
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public Org org() { return org; }
    public Schema schema() { return schema; }
    public TokenService tokens() { return tokens; }
    public ApiLimits limits() { return limits; }
    public Faults faults() { return faults; }
    public ChangeEventLog events() { return events; }
    /** The Streaming API server: CometD clients, control hooks and delivery counters. */
    public StreamingService streaming() { return streaming; }
    public Clock clock() { return clock; }
    /** The control API servlet ({@code /emulator/*}), e.g. to connect the streaming server's controls. */
    public ControlServlet control() { return control; }

    /** A fresh access token for the integration user, as a test fixture's shortcut around the OAuth dance. */
    public String accessToken() {
        return tokens.createSession(INTEGRATION_USER_ID, CLIENT_ID).accessToken();
    }

    /** The seeded credentials, in the order they are printed on start. */
    public Map<String, String> credentials() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("instance/login URL", baseUrl());
        c.put("token endpoint", baseUrl() + "/services/oauth2/token");
        c.put("client id", CLIENT_ID);
        c.put("client secret", CLIENT_SECRET);
        c.put("integration user", INTEGRATION_USERNAME);
        c.put("admin user", ADMIN_USERNAME);
        c.put("password (both users)", PASSWORD);
        c.put("org id", ORG_ID);
        return c;
    }

    /** Emulator settings; every one has a default that behaves like a fresh Enterprise org. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private Clock clock = Clock.systemUTC();
        private long dailyApiRequests = ApiLimits.DEFAULT_DAILY_API_REQUESTS;
        private Duration sessionTimeout = TokenService.DEFAULT_SESSION_TIMEOUT;
        private Duration eventRetention = ChangeEventLog.DEFAULT_RETENTION;
        private int maxRetainedEvents = ChangeEventLog.DEFAULT_MAX_RETAINED_EVENTS;
        private PublicKey jwtPublicKey;
        private final List<Path> metadataFiles = new ArrayList<>();
        private StreamingSettings streaming = StreamingSettings.defaults();

        /** Interface to bind; 127.0.0.1 by default so the emulator is not reachable from other machines. */
        public Builder host(String v) { host = v; return this; }
        /** Port to bind; 0 (the default) picks a free one. */
        public Builder port(int v) { port = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder dailyApiRequests(long v) { dailyApiRequests = v; return this; }
        public Builder sessionTimeout(Duration v) { sessionTimeout = v; return this; }
        public Builder eventRetention(Duration v) { eventRetention = v; return this; }
        /**
         * At most this many change events are retained (default 100,000, about 130 MB of heap); older ones expire
         * early, exactly as at the end of the retention window. Salesforce keeps 72 hours whatever the volume; the
         * emulator keeps its org in the heap, so it bounds the count too.
         */
        public Builder maxRetainedEvents(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("maxRetainedEvents must be at least 1, was " + v);
            }
            maxRetainedEvents = v;
            return this;
        }
        /** The certificate key that JWT bearer assertions of the seeded connected app must be signed for. */
        public Builder jwtPublicKey(PublicKey v) { jwtPublicKey = v; return this; }
        /** A JSON metadata file with custom objects and fields (see {@link MetadataJson}). */
        public Builder metadataFile(Path v) { metadataFiles.add(v); return this; }
        /** Streaming API settings: long-poll timeout (110 s), reconnect window (40 s), client limit (20). */
        public Builder streaming(StreamingSettings v) { streaming = v; return this; }

        public SalesforceEmulator build() {
            return new SalesforceEmulator(this);
        }

        /** Builds and starts. */
        public SalesforceEmulator start() {
            return build().start();
        }
    }
}
