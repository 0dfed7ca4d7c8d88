package io.sfsync.salesforce;

import io.sfsync.salesforce.auth.AccessToken;
import io.sfsync.salesforce.auth.SalesforceCredentials;
import io.sfsync.salesforce.auth.TokenProvider;
import io.sfsync.salesforce.budget.ApiBudgetGovernor;
import io.sfsync.salesforce.budget.BudgetConfig;
import io.sfsync.salesforce.budget.Sleeper;
import io.sfsync.salesforce.bulk.BulkIngestClient;
import io.sfsync.salesforce.bulk.BulkQueryClient;
import io.sfsync.salesforce.bulk.BulkSettings;
import io.sfsync.salesforce.budget.DailyUsage;
import io.sfsync.salesforce.budget.GovernorRegistry;
import io.sfsync.salesforce.http.HttpSettings;
import io.sfsync.salesforce.http.RestRequest;
import io.sfsync.salesforce.http.RestTransport;
import io.sfsync.salesforce.metadata.DescribeCache;
import io.sfsync.salesforce.metrics.CallKind;
import io.sfsync.salesforce.metrics.ClientMetrics;
import io.sfsync.salesforce.query.QueryClient;
import io.sfsync.salesforce.write.CollectionsWriter;
import io.sfsync.salesforce.write.CompositeClient;
import io.sfsync.salesforce.write.RecordClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The entry point: one client per connector task (or per user of an org), all clients of an org sharing the org's
 * {@link ApiBudgetGovernor}. {@link Builder#build()} logs in, so bad credentials fail there with a
 * {@link io.sfsync.salesforce.error.FatalSalesforceException}.
 *
 * <pre>{@code
 * SalesforceClient sf = SalesforceClient.builder(credentials, "my-sync").build();
 * SObjectDescribe account = sf.describe().describe("Account");
 * try (var rows = sf.query().query("SELECT Id, Name FROM Account").stream()) { ... }
 * List<SaveOutcome> out = sf.collections().upsert("Account", "External_Id__c", records);
 * BulkIngestResult big = sf.bulk().upsert("Account", "External_Id__c", manyRecords);
 * try (BulkQueryCursor rows = sf.bulkQuery().query("SELECT Id, Name FROM Account")) { ... }
 * }</pre>
 */
public final class SalesforceClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceClient.class);

    private final TokenProvider tokens;
    private final ApiBudgetGovernor governor;
    private final ClientMetrics metrics;
    private final RestTransport transport;
    private final DescribeCache describe;
    private final QueryClient query;
    private final CollectionsWriter collections;
    private final CompositeClient composite;
    private final RecordClient records;
    private final BulkIngestClient bulk;
    private final BulkQueryClient bulkQuery;

    private SalesforceClient(Builder b) {
        this.metrics = b.metrics != null ? b.metrics : new ClientMetrics();
        HttpClient http = b.settings.newHttpClient();
        this.tokens = new TokenProvider(b.credentials, http, b.settings.requestTimeout(), metrics, b.clock);
        AccessToken token = tokens.current();
        String orgKey = token.orgId() != null ? token.orgId() : token.instanceUrl().toString();
        Function<String, ApiBudgetGovernor> factory = b.governorFactory != null ? b.governorFactory
                : key -> ApiBudgetGovernor.builder(key).config(b.budget).build();
        this.governor = b.registry.governorFor(orgKey, factory);
        this.transport = new RestTransport(b.settings, http, tokens, governor, metrics, b.maxBudgetWait);
        governor.attachLimitsSource(transport::fetchDailyUsage);
        metrics.budgetRemainingFrom(governor::remaining);
        this.describe = new DescribeCache(transport, b.describeRevalidateAfter, b.describeCacheSize, b.clock);
        this.query = new QueryClient(transport, b.queryBatchSize);
        this.collections = new CollectionsWriter(transport);
        this.composite = new CompositeClient(transport);
        this.records = new RecordClient(transport);
        this.bulk = new BulkIngestClient(transport, b.bulkSettings, Sleeper.system(), b.clock);
        this.bulkQuery = new BulkQueryClient(transport, b.bulkSettings, Sleeper.system(), b.clock);
    }

    public static Builder builder(SalesforceCredentials credentials, String callOptionsClient) {
        return new Builder(credentials, HttpSettings.defaults(callOptionsClient));
    }

    /** Cached, revalidated sObject describes. */
    public DescribeCache describe() {
        return describe;
    }

    /** SOQL query and queryAll, paged lazily. */
    public QueryClient query() {
        return query;
    }

    /** sObject Collections create/update/upsert/delete, 200 per call. */
    public CollectionsWriter collections() {
        return collections;
    }

    /** Composite requests (25 subrequests per call). */
    public CompositeClient composite() {
        return composite;
    }

    /** Single-record calls. */
    public RecordClient records() {
        return records;
    }

    /** Bulk API 2.0 ingest jobs: large inserts, updates, upserts and deletes, with per-record outcomes. */
    public BulkIngestClient bulk() {
        return bulk;
    }

    /** Bulk API 2.0 query jobs: large query and queryAll results, paged lazily. */
    public BulkQueryClient bulkQuery() {
        return bulkQuery;
    }

    /** The org's daily API usage from {@code /limits} (one counted call, through the governor). */
    public DailyUsage dailyUsage() {
        DailyUsage usage = RestTransport.dailyUsage(transport.send(CallKind.LIMITS, RestRequest.get("/limits")));
        governor.observeUsage(usage);
        return usage;
    }

    /** The transport, for other parts of the library (Bulk 2.0, streaming) that make their own calls. */
    public RestTransport transport() {
        return transport;
    }

    public TokenProvider tokens() {
        return tokens;
    }

    public ApiBudgetGovernor governor() {
        return governor;
    }

    public ClientMetrics metrics() {
        return metrics;
    }

    /** Nothing to release in this version (the JDK client has no close before Java 21); kept for future resources. */
    @Override
    public void close() {
        LOG.debug("Salesforce client closed");
    }

    public static final class Builder {
        private final SalesforceCredentials credentials;
        private HttpSettings settings;
        private BudgetConfig budget = BudgetConfig.defaults();
        private GovernorRegistry registry = GovernorRegistry.shared();
        private Function<String, ApiBudgetGovernor> governorFactory;
        private ClientMetrics metrics;
        private Clock clock = Clock.systemUTC();
        private Duration describeRevalidateAfter = Duration.ofMinutes(5);
        private long describeCacheSize = 500;
        private int queryBatchSize;
        private BulkSettings bulkSettings = BulkSettings.defaults();
        private Duration maxBudgetWait;

        private Builder(SalesforceCredentials credentials, HttpSettings settings) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            this.settings = settings;
        }

        public Builder httpSettings(HttpSettings v) { settings = Objects.requireNonNull(v); return this; }
        public Builder apiVersion(String v) { settings = settings.withApiVersion(v); return this; }
        public Builder timeouts(Duration connect, Duration request) {
            settings = settings.withTimeouts(connect, request);
            return this;
        }
        public Builder proxy(InetSocketAddress v) { settings = settings.withProxy(v); return this; }
        /** The budget configuration, used if this client creates the org's governor. */
        public Builder budget(BudgetConfig v) { budget = Objects.requireNonNull(v); return this; }
        /**
         * The longest one call of this client waits for API budget (null, the default: as long as it takes); past
         * it the call fails with a retriable {@link ApiBudgetGovernor#BUDGET_WAIT_TIMEOUT} error, nothing sent.
         * Per client, unlike the org-wide {@link #budget} configuration.
         */
        public Builder maxBudgetWait(Duration v) { maxBudgetWait = v; return this; }
        public Builder governorRegistry(GovernorRegistry v) { registry = Objects.requireNonNull(v); return this; }
        /** Builds the org's governor if none exists yet (tests inject a clock and sleeper this way). */
        public Builder governorFactory(Function<String, ApiBudgetGovernor> v) { governorFactory = v; return this; }
        public Builder metrics(ClientMetrics v) { metrics = v; return this; }
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }
        public Builder describeRevalidateAfter(Duration v) { describeRevalidateAfter = Objects.requireNonNull(v); return this; }
        public Builder describeCacheSize(long v) { describeCacheSize = v; return this; }
        /** Rows per query page, 200..2000, or 0 for Salesforce's default. */
        public Builder queryBatchSize(int v) { queryBatchSize = v; return this; }
        /** Bulk API 2.0 job sizes and polling. */
        public Builder bulkSettings(BulkSettings v) { bulkSettings = Objects.requireNonNull(v); return this; }

        /** Logs in and builds the client. */
        public SalesforceClient build() {
            return new SalesforceClient(this);
        }
    }
}
