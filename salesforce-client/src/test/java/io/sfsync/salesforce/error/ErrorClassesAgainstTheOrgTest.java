package io.sfsync.salesforce.error;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.budget.BudgetConfig;
import io.sfsync.salesforce.write.SObjectRecord;
import io.sfsync.salesforce.write.SaveOutcome;
import io.sfsync.salesforce.write.WriteOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each error class as the emulated org really answers it, through the client's HTTP path. */
class ErrorClassesAgainstTheOrgTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension(b -> b.dailyApiRequests(1000));

    @AfterEach
    void reset() {
        SF.emulator().faults().reset();
        SF.emulator().limits().setUsed(0);
        SF.emulator().limits().setDailyMax(1000);
    }

    private static SalesforceClient client(int maxAttempts) {
        return TestSupport.client(SF.emulator()).budget(BudgetConfig.defaults()
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMinutes(1), maxAttempts)).build();
    }

    @Test
    void unknownObjectIs404NotFoundAndFatal() {
        try (SalesforceClient sf = client(5)) {
            SalesforceException e = catchThrowableOfType(SalesforceException.class,
                    () -> sf.describe().describe("No_Such_Object__c"));
            assertThat(e).isInstanceOf(FatalSalesforceException.class);
            assertThat(e.httpStatus()).isEqualTo(404);
            assertThat(e.errorCode()).isEqualTo("NOT_FOUND");
            assertThat(sf.metrics().retries()).isZero();
        }
    }

    @Test
    void anIdOfTheWrongObjectIs400MalformedIdForTheRecordAndNotRetried() {
        try (SalesforceClient sf = client(5)) {
            String contactId = sf.records().create("Contact", Map.of("LastName", "Lovelace"));
            SalesforceException e = catchThrowableOfType(SalesforceException.class,
                    () -> sf.records().get("Account", contactId, List.of("Name")));
            assertThat(e).isInstanceOf(RecordRejectedException.class);
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.errorCode()).isEqualTo("MALFORMED_ID");
            assertThat(e.fields()).containsExactly("Id");
            assertThat(sf.metrics().retries()).isZero();
        }
    }

    @Test
    void aValidationFailureIsARecordErrorAndNeverRetried() {
        try (SalesforceClient sf = client(5)) {
            long callsBefore = SF.emulator().limits().used();
            SalesforceException e = catchThrowableOfType(SalesforceException.class,
                    () -> sf.records().create("Account", Map.of("Phone", "1")));
            assertThat(e.category()).isEqualTo(ErrorCategory.RECORD);
            assertThat(e.errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
            assertThat(e.fields()).contains("Name");
            assertThat(SF.emulator().limits().used() - callsBefore).isEqualTo(1);
            assertThat(sf.metrics().retries()).isZero();
        }
    }

    @Test
    void requestLimitExceededIs403AndRetriable() {
        try (SalesforceClient sf = client(1)) {
            SF.emulator().limits().setPerSecondCap(1);
            SalesforceException e = null;
            for (int i = 0; i < 20 && e == null; i++) {
                try {
                    sf.describe().revalidate("Account");
                } catch (SalesforceException thrown) {
                    e = thrown;
                }
            }
            assertThat(e).isInstanceOf(RetriableSalesforceException.class);
            assertThat(e.httpStatus()).isEqualTo(403);
            assertThat(e.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
            SF.emulator().limits().setPerSecondCap(0);
        }
    }

    @Test
    void a503IsRetriableAndRetriedUntilItSucceeds() {
        try (SalesforceClient sf = client(1)) {
            SF.emulator().faults().failNextRequestsWith503(1);
            SalesforceException e = catchThrowableOfType(SalesforceException.class,
                    () -> sf.describe().revalidate("Account"));
            assertThat(e).isInstanceOf(RetriableSalesforceException.class);
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.errorCode()).isEqualTo("SERVER_UNAVAILABLE");
        }
        try (SalesforceClient sf = client(10)) {
            SF.emulator().faults().failNextRequestsWith503(3);
            assertThat(sf.describe().revalidate("Account").name()).isEqualTo("Account");
            assertThat(sf.metrics().retries()).isEqualTo(3);
        }
    }

    @Test
    void aRequestTimeoutIsRetriableWithTheTimeoutAsCause() {
        try (SalesforceClient sf = TestSupport.client(SF.emulator())
                .timeouts(Duration.ofSeconds(5), Duration.ofMillis(200))
                .budget(BudgetConfig.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5),
                        Duration.ofMinutes(1), 1)).build()) {
            SF.emulator().faults().setLatency(Duration.ofSeconds(2));
            SalesforceException e = catchThrowableOfType(SalesforceException.class,
                    () -> sf.describe().revalidate("Account"));
            assertThat(e).isInstanceOf(RetriableSalesforceException.class);
            assertThat(e.httpStatus()).isZero();
            assertThat(e.getCause()).isInstanceOf(java.net.http.HttpTimeoutException.class);
        }
    }

    @Test
    void theBudgetIsReadFromLimitsAtStartAndFromEveryResponse() {
        try (SalesforceClient sf = client(5)) {
            assertThat(sf.governor().snapshot().limitsReads()).isEqualTo(1);
            assertThat(sf.governor().snapshot().dailyMax()).isEqualTo(1000);
            sf.describe().revalidate("Account");
            assertThat(sf.governor().snapshot().used()).isEqualTo(SF.emulator().limits().used());
            assertThat(sf.metrics().budgetRemaining()).isEqualTo(800 - SF.emulator().limits().used());
        }
    }

    @Test
    void lockedRowsOnCollectionsAreRetriablePerRecord() {
        try (SalesforceClient sf = client(5)) {
            SF.emulator().faults().setLockRowRate(1.0);
            List<SObjectRecord> records = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                records.add(SObjectRecord.of("Account", Map.of("Name", "Locked " + i)));
            }
            List<SaveOutcome> out = sf.collections().create(records, WriteOptions.defaults().withRecordRetries(0));
            assertThat(out).hasSize(3).allSatisfy(o -> {
                assertThat(o.success()).isFalse();
                assertThat(o.retriable()).isTrue();
                assertThat(o.statusCode()).isEqualTo("UNABLE_TO_LOCK_ROW");
                assertThat(o.errors().get(0).category()).isEqualTo(ErrorCategory.RETRIABLE);
            });

            // With record retries, the locked rows are resubmitted once the lock is gone.
            SF.emulator().faults().setLockRowRate(0.5);
            List<SaveOutcome> retried = sf.collections().create(records, WriteOptions.defaults()
                    .withRecordRetries(30));
            assertThat(retried).allSatisfy(o -> assertThat(o.success()).isTrue());
        }
    }
}
