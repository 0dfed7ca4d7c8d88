package io.sfsync.salesforce.bulk;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;

import java.time.Duration;

/** Bulk settings for tests: short polling waits (10 ms growing to 50 ms), bounded at one minute per job. */
final class BulkTestSupport {

    static final BulkSettings FAST = BulkSettings.defaults()
            .withPolling(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMinutes(1));

    private BulkTestSupport() {
    }

    static SalesforceClient client(SalesforceEmulator sf, BulkSettings settings) {
        return TestSupport.client(sf).bulkSettings(settings).build();
    }

    static SObjectType type(SalesforceEmulator sf, String name) {
        return sf.schema().find(name).orElseThrow();
    }
}
