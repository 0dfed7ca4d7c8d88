package io.sfsync.salesforce.metadata;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.metrics.CallKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Describe into the typed model, served from the cache, revalidated with If-Modified-Since. */
class DescribeCacheTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension();

    private static long describeCalls() {
        return SF.emulator().limits().callsByEndpoint().getOrDefault("GET /sobjects/{type}/describe", 0L);
    }

    @Test
    void describeBecomesATypedModel() {
        try (SalesforceClient sf = TestSupport.client(SF.emulator()).build()) {
            SObjectDescribe account = sf.describe().describe("Account");
            assertThat(account.name()).isEqualTo("Account");
            assertThat(account.keyPrefix()).isEqualTo("001");
            assertThat(account.createable()).isTrue();

            FieldDescribe ext = account.field("external_id__c").orElseThrow();
            assertThat(ext.externalId()).isTrue();
            assertThat(ext.type()).isEqualTo("string");
            assertThat(ext.length()).isEqualTo(64);
            assertThat(ext.custom()).isTrue();
            assertThat(account.externalIdFields()).extracting(FieldDescribe::name).contains("External_Id__c");

            FieldDescribe tier = account.field("Tier__c").orElseThrow();
            assertThat(tier.picklist()).isTrue();
            assertThat(tier.restrictedPicklist()).isTrue();
            assertThat(tier.activePicklistValues()).containsExactly("Bronze", "Silver", "Gold", "Platinum");

            FieldDescribe health = account.field("Health_Score__c").orElseThrow();
            assertThat(health.type()).isEqualTo("percent");
            assertThat(health.precision()).isEqualTo(5);
            assertThat(health.scale()).isEqualTo(2);

            FieldDescribe name = account.field("Name").orElseThrow();
            assertThat(name.nillable()).isFalse();
            assertThat(name.createable()).isTrue();

            FieldDescribe billingCity = account.field("BillingCity").orElseThrow();
            assertThat(billingCity.compoundFieldName()).isEqualTo("BillingAddress");
            assertThat(billingCity.compoundComponent()).isTrue();
            assertThat(account.field("BillingAddress").orElseThrow().compound()).isTrue();
            assertThat(account.componentsOf("BillingAddress")).extracting(FieldDescribe::name)
                    .contains("BillingStreet", "BillingCity", "BillingPostalCode");

            FieldDescribe modstamp = account.field("SystemModstamp").orElseThrow();
            assertThat(modstamp.createable()).isFalse();
            assertThat(modstamp.updateable()).isFalse();
            assertThat(modstamp.writable()).isFalse();

            SObjectDescribe invoice = sf.describe().describe("Invoice__c");
            FieldDescribe acct = invoice.field("Account__c").orElseThrow();
            assertThat(acct.reference()).isTrue();
            assertThat(acct.referenceTo()).containsExactly("Account");
            assertThat(acct.relationshipName()).isEqualTo("Account__r");
            assertThat(invoice.custom()).isTrue();
        }
    }

    @Test
    void aFreshDescribeIsServedFromTheCacheWithoutACall() {
        try (SalesforceClient sf = TestSupport.client(SF.emulator()).describeRevalidateAfter(Duration.ofHours(1))
                .build()) {
            long before = describeCalls();
            SObjectDescribe first = sf.describe().describe("Contact");
            SObjectDescribe second = sf.describe().describe("contact");
            assertThat(second).isSameAs(first);
            assertThat(describeCalls() - before).isEqualTo(1);
            assertThat(sf.metrics().calls(CallKind.DESCRIBE)).isEqualTo(1);
        }
    }

    @Test
    void revalidationGets304AndKeepsTheCachedCopyUntilTheSchemaChanges() {
        try (SalesforceClient sf = TestSupport.client(SF.emulator()).describeRevalidateAfter(Duration.ZERO).build()) {
            long before = describeCalls();
            SObjectDescribe first = sf.describe().describe("Lead");
            SObjectDescribe second = sf.describe().describe("Lead");
            SObjectDescribe third = sf.describe().describe("Lead");
            assertThat(second).isSameAs(first);
            assertThat(third).isSameAs(first);
            assertThat(describeCalls() - before).isEqualTo(3);
            assertThat(sf.metrics().describeNotModified()).isEqualTo(2);

            // An admin adds a custom field: the next revalidation gets 200 and the new field.
            SF.emulator().schema().find("Lead").orElseThrow().putField(
                    FieldDef.builder("Score__c", FieldType.DOUBLE).custom(true).build(),
                    SF.emulator().clock().instant().plusSeconds(5));
            SObjectDescribe changed = sf.describe().describe("Lead");
            assertThat(changed).isNotSameAs(first);
            assertThat(changed.field("Score__c")).isPresent();
            assertThat(first.field("Score__c")).isEmpty();
            assertThat(sf.metrics().describeNotModified()).isEqualTo(2);
            assertThat(sf.describe().describe("Lead")).isSameAs(changed);
            assertThat(sf.metrics().describeNotModified()).isEqualTo(3);
        }
    }

    @Test
    void concurrentCallersShareOneDescribeCall() throws Exception {
        try (SalesforceClient sf = TestSupport.client(SF.emulator()).describeRevalidateAfter(Duration.ofHours(1))
                .build()) {
            long before = describeCalls();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<SObjectDescribe>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return sf.describe().describe("Opportunity");
                }));
            }
            start.countDown();
            SObjectDescribe first = futures.get(0).get(30, java.util.concurrent.TimeUnit.SECONDS);
            for (var f : futures) {
                assertThat(f.get(30, java.util.concurrent.TimeUnit.SECONDS)).isSameAs(first);
            }
            pool.shutdown();
            assertThat(describeCalls() - before).isEqualTo(1);
        }
    }
}
