package io.sfsync.emulator.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import org.cometd.bayeux.Message;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Figures for the emulator itself, printed, never asserted (machines are shared and noisy). Not part of the
 * default test run (surefire picks up *Test classes only):
 * {@code mvn -q -B -pl salesforce-emulator test -Dtest=EmulatorBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
class EmulatorBenchmark {

    static final String V = "/services/data/v62.0";

    @Test
    void figures() throws Exception {
        try (SalesforceEmulator emulator = SalesforceEmulator.builder().dailyApiRequests(10_000_000).start()) {
            EmulatorHttp http = new EmulatorHttp(emulator.baseUrl(), emulator.accessToken()).withClientId("bench");
            collectionsThroughput(http);
            restToCometdLatency(emulator, http);
            queryPaging(http);
        }
        try (SalesforceEmulator emulator = SalesforceEmulator.builder().dailyApiRequests(10_000_000).start()) {
            heapPerRecord(emulator, new EmulatorHttp(emulator.baseUrl(), emulator.accessToken()));
        }
    }

    /**
     * The org lives in the heap: bytes per stored Account (three fields set, the rest system fields and defaults)
     * and per retained change event, from heap used after full collections.
     */
    private static void heapPerRecord(SalesforceEmulator emulator, EmulatorHttp http) {
        int n = 100_000;
        long before = usedAfterGc();
        for (int done = 0; done < n; done += 2000) {
            StringJoiner records = new StringJoiner(",", "{\"operation\":\"create\",\"records\":[", "]}");
            for (int i = done; i < done + 2000; i++) {
                records.add("{\"Name\":\"Bench " + i + "\",\"BillingCity\":\"City " + (i % 97)
                        + "\",\"AnnualRevenue\":" + (i * 10) + ".5}");
            }
            http.post("/emulator/records/Account/batch", records.toString());
        }
        long withEvents = usedAfterGc();
        http.post("/emulator/events/expire", null);
        long recordsOnly = usedAfterGc();
        System.out.printf("emulator: heap per stored Account %,d B, per retained change event %,d B (%,d accounts)%n",
                (recordsOnly - before) / n, (withEvents - recordsOnly) / n, n);
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void collectionsThroughput(EmulatorHttp http) {
        int calls = 150;
        for (int warm = 0; warm < 20; warm++) {
            http.post(V + "/composite/sobjects", "{\"records\":" + accounts(200, "warm" + warm) + "}");
        }
        long start = System.nanoTime();
        for (int c = 0; c < calls; c++) {
            http.post(V + "/composite/sobjects", "{\"records\":" + accounts(200, "bench" + c) + "}");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("emulator: sObject Collections create, 200 per call, 1 client: %.0f records/s (%d records)%n",
                calls * 200 / seconds, calls * 200);
    }

    private static void restToCometdLatency(SalesforceEmulator emulator, EmulatorHttp http) throws Exception {
        CometdSubscriber subscriber = new CometdSubscriber(emulator.baseUrl() + "/cometd/62.0", emulator.accessToken(),
                -1, "/data/ContactChangeEvent");
        subscriber.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!subscriber.subscribed() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        int n = 1000;
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            String id = http.post(V + "/sobjects/Contact", "{\"LastName\":\"C" + i + "\"}").json().get("id").asText();
            sentAt.put(id, t0);
            long nextAt = t0 + 10_000_000L; // 100 changes per second
            while (System.nanoTime() < nextAt) {
                Thread.onSpinWait();
            }
        }
        deadline = System.nanoTime() + 30_000_000_000L;
        while (subscriber.events.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(subscriber.events).hasSize(n);
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < subscriber.events.size(); i++) {
            Message m = subscriber.events.get(i);
            latencies.add((subscriber.arrivalNanos.get(i) - sentAt.get(CometdSubscriber.firstRecordId(m))) / 1e6);
        }
        subscriber.close();
        Collections.sort(latencies);
        System.out.printf("emulator: REST create -> CometD delivery at 100 changes/s: p50 %.1f ms, p99 %.1f ms (%d events)%n",
                latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.99)), latencies.size());
    }

    private static void queryPaging(EmulatorHttp http) {
        long start = System.nanoTime();
        String next = V + "/query?q=" + URLEncoder.encode("SELECT Id, Name, Industry FROM Account", StandardCharsets.UTF_8);
        int rows = 0;
        while (next != null) {
            var page = http.get(next).json();
            rows += page.get("records").size();
            next = page.has("nextRecordsUrl") ? page.get("nextRecordsUrl").asText() : null;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("emulator: SOQL query paged 2000 per call: %.0f rows/s (%d rows)%n", rows / seconds, rows);
    }

    private static String accounts(int n, String prefix) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 0; i < n; i++) {
            j.add("{\"attributes\":{\"type\":\"Account\"},\"Name\":\"" + prefix + "-" + i + "\",\"Industry\":\"Energy\"}");
        }
        return j.toString();
    }
}
