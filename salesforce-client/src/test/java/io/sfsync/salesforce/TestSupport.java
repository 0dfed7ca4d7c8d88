package io.sfsync.salesforce;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.salesforce.auth.SalesforceCredentials;
import io.sfsync.salesforce.auth.Secret;
import io.sfsync.salesforce.budget.BudgetConfig;
import io.sfsync.salesforce.budget.GovernorRegistry;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Shared fixtures: credentials for the emulator's seeded app, and clients with their own governor registry. */
public final class TestSupport {

    public static final String CALL_CLIENT = "sfsync-test";

    private TestSupport() {
    }

    public static SalesforceCredentials clientCredentials(SalesforceEmulator sf) {
        return new SalesforceCredentials.ClientCredentials(URI.create(sf.baseUrl()), SalesforceEmulator.CLIENT_ID,
                Secret.of(SalesforceEmulator.CLIENT_SECRET));
    }

    /** Fast back-off (a few ms) so retry tests do not wait; everything else default. */
    public static BudgetConfig fastBudget() {
        return BudgetConfig.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofMinutes(1),
                40);
    }

    /**
     * A client builder for the emulator with its own governor registry: every emulator has the same org id, so the
     * JVM-wide registry would share one governor between test classes.
     */
    public static SalesforceClient.Builder client(SalesforceEmulator sf) {
        return SalesforceClient.builder(clientCredentials(sf), CALL_CLIENT)
                .governorRegistry(new GovernorRegistry())
                .budget(fastBudget());
    }

    /** Polls a condition for up to 30 s; no timing assertions, only a bound. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
