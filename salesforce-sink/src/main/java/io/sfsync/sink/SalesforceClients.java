package io.sfsync.sink;

import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.budget.GovernorRegistry;

/** Builds the Salesforce client a task or a validation probe uses, from the connector's configuration. */
final class SalesforceClients {

    private SalesforceClients() {
    }

    /** A task's client: the org's governor is shared with every other client of this JVM. */
    static SalesforceClient create(SalesforceSinkConfig config) {
        return builder(config).build();
    }

    /** A short-lived client for validation, with its own governor so a probe never spends shared budget state. */
    static SalesforceClient probe(SalesforceSinkConfig config) {
        return builder(config).governorRegistry(new GovernorRegistry()).build();
    }

    static SalesforceClient.Builder builder(SalesforceSinkConfig config) {
        // the shared builder carries the request timeout and the API budget settings
        return config.clientBuilder();
    }
}
