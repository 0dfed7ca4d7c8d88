package io.sfsync.salesforce.bulk;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.http.RestRequest;
import io.sfsync.salesforce.metrics.CallKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Records per second through Bulk API 2.0 upserts and query jobs against a local emulator, polling every 10 to
 * 50 ms. Not part of the default test run (the class name does not end in Test); run it with
 * {@code mvn -pl salesforce-client -am test -Dtest=BulkUpsertBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * or through {@link #main}. It prints figures and asserts nothing about time.
 */
@Tag("benchmark")
class BulkUpsertBenchmark {

    @Test
    void run() {
        main(new String[0]);
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        try (SalesforceEmulator emulator = SalesforceEmulator.builder().dailyApiRequests(10_000_000).start();
             SalesforceClient sf = BulkTestSupport.client(emulator, BulkTestSupport.FAST)) {
            upsert(sf, "warm-up", 2_000, "w");
            String run = UUID.randomUUID().toString().substring(0, 8);
            upsert(sf, "insert", records, run);
            upsert(sf, "update", records, run);
            long start = System.nanoTime();
            long rows;
            try (var cursor = sf.bulkQuery().open(false,
                    "SELECT Id, Name, Phone, External_Id__c FROM Account WHERE Name LIKE 'Bench%'", 5_000)) {
                rows = cursor.stream().count();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("query    : %,d rows in %.2f s = %,.0f rows/s (pages of 5,000)%n", rows, seconds,
                    rows / seconds);
        }
    }

    private static void upsert(SalesforceClient sf, String label, int total, String run) {
        List<Map<String, Object>> batch = IntStream.range(0, total).mapToObj(i -> Map.<String, Object>of(
                "External_Id__c", run + "-" + i, "Name", "Bench " + i, "Phone", "555-01" + (i % 100),
                "Tier__c", "Gold")).toList();
        long start = System.nanoTime();
        BulkIngestResult r = sf.bulk().upsert("Account", "External_Id__c", batch);
        double seconds = (System.nanoTime() - start) / 1e9;
        long serverMillis = r.jobs().stream().mapToLong(j -> sf.transport().send(CallKind.BULK,
                RestRequest.get("/jobs/ingest/" + j.id())).json().path("totalProcessingTime").asLong()).sum();
        System.out.printf("%-9s: %,d records upserted (%,d ok, %d jobs) in %.2f s = %,.0f records/s"
                + " (the org's processing: %,d ms)%n", label, total, r.succeeded(), r.jobs().size(), seconds,
                total / seconds, serverMillis);
    }
}
