package io.sfsync.salesforce.write;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Records per second through sObject Collections upserts against a local emulator. Not part of the default test
 * run (the class name does not end in Test); run it with
 * {@code mvn -pl salesforce-client -am test -Dtest=CollectionsWriteBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * or through {@link #main}. It prints figures and asserts nothing about time.
 */
@Tag("benchmark")
class CollectionsWriteBenchmark {

    @Test
    void run() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        try (SalesforceEmulator emulator = SalesforceEmulator.builder().dailyApiRequests(10_000_000).start();
             SalesforceClient sf = TestSupport.client(emulator).build()) {
            measure(sf, "warm-up", 4_000, 1);
            measure(sf, "1 writer", records, 1);
            measure(sf, "4 writers", records, 4);
            measure(sf, "8 writers", records, 8);
            System.out.printf("records per collections call: %.1f (max %d)%n", sf.metrics().recordsPerWriteCall(),
                    sf.metrics().maxRecordsPerCall());
        }
    }

    private static void measure(SalesforceClient sf, String label, int total, int writers) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int perWriter = total / writers;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long start = System.nanoTime();
        List<Future<Integer>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                int ok = 0;
                for (int from = 0; from < perWriter; from += 1000) {
                    List<SObjectRecord> batch = new ArrayList<>();
                    for (int i = from; i < Math.min(perWriter, from + 1000); i++) {
                        batch.add(SObjectRecord.of("Account", Map.of("External_Id__c", run + "-" + writer + "-" + i,
                                "Name", "Bench " + i, "Phone", "555-01" + (i % 100), "Tier__c", "Gold")));
                    }
                    ok += (int) sf.collections().upsert("Account", "External_Id__c", batch).stream()
                            .filter(SaveOutcome::success).count();
                }
                return ok;
            }));
        }
        int ok = 0;
        for (Future<Integer> f : futures) {
            ok += f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf("%-9s: %,d records upserted (%,d ok) in %.2f s = %,.0f records/s%n", label,
                writers * perWriter, ok, seconds, writers * perWriter / seconds);
    }
}
