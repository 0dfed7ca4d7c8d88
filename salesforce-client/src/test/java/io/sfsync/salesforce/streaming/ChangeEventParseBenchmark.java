package io.sfsync.salesforce.streaming;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.write.SObjectRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events parsed per second: the JSON text of a CometD event message (as the subscriber's Jackson-based CometD client
 * reads it, decimals as BigDecimal) into a {@link ChangeEvent}, with its flattened field view. Not part of the default
 * test run (the class name does not match surefire's patterns); run it with
 * {@code mvn -q -B -pl salesforce-client -am test -Dtest=ChangeEventParseBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Prints the figure; asserts nothing about time.
 */
class ChangeEventParseBenchmark {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = CdcTestSupport.emulator();

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Test
    void eventsParsedPerSecond() throws Exception {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            messages.add(i % 2 == 0 ? create(i) : update(i));
        }
        run(messages, 200_000);                        // warm-up
        long n = 1_000_000;
        long start = System.nanoTime();
        long checksum = run(messages, n);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("ChangeEventParseBenchmark: %,d events in %.2f s = %,.0f events parsed per second "
                + "(JSON text -> ChangeEvent incl. flattening; avg message %d bytes)%n", n, seconds, n / seconds,
                messages.stream().mapToInt(String::length).sum() / messages.size());
        assertThat(checksum).isPositive();
    }

    /**
     * Replay of 5,000 retained events through the emulator's CometD endpoint (100 events per long-poll response)
     * into {@link CdcSubscriber#poll}: the whole path, HTTP and JSON included, on loopback.
     */
    @Test
    void eventsDeliveredPerSecondThroughTheEmulator() throws Exception {
        try (SalesforceClient sf = TestSupport.client(SF.emulator()).build()) {
            long from = SF.emulator().events().lastReplayId();
            List<SObjectRecord> records = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                records.add(SObjectRecord.of("Account", Map.of("Name", "Replayed " + i, "Industry", "Energy",
                        "BillingCity", "Paris", "AnnualRevenue", 1000 + i)));
            }
            sf.collections().create(records);
            long start = System.nanoTime();
            try (CdcSubscriber sub = CdcSubscriber.builder(sf).channel(CdcTestSupport.ACCOUNTS, from)
                    .queueCapacity(1000).start()) {
                List<ChangeEvent> events = CdcTestSupport.pollUntil(sub, Duration.ofSeconds(120),
                        l -> l.size() >= 5000);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("ChangeEventParseBenchmark: %,d events replayed through CometD in %.2f s = %,.0f "
                        + "events per second (handshake and subscribe included)%n", events.size(), seconds,
                        events.size() / seconds);
                assertThat(events).hasSize(5000);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static long run(List<String> messages, long n) throws Exception {
        long checksum = 0;
        for (long i = 0; i < n; i++) {
            Map<String, Object> message = MAPPER.readValue(messages.get((int) (i % messages.size())), Map.class);
            ChangeEvent e = ChangeEventParser.parse("/data/AccountChangeEvent", (Map<?, ?>) message.get("data"));
            checksum += e.replayId() + e.fields().flattened().size();
        }
        return checksum;
    }

    private static String create(int i) {
        return """
                {"data":{"schema":"Jx8Hz9ElkIUaBf-heF1ShA","payload":{"BillingAddress":{"State":"CA",
                "Street":"415 Mission Street","PostalCode":"94105","Country":"United States","City":"San Francisco"},
                "LastModifiedDate":"2022-06-10T22:42:34.000Z","OwnerId":"005T1000000HjlbIAC",
                "CreatedById":"005T1000000HjlbIAC","ChangeEventHeader":{"commitNumber":72227828942,
                "commitUser":"005T1000000HjlbIAC","sequenceNumber":1,"entityName":"Account","changeType":"CREATE",
                "changedFields":[],"changeOrigin":"com/salesforce/api/rest/62.0;client=sfsync",
                "transactionKey":"000001d3-3d55-688b-98ea-39d0a21240f4","commitTimestamp":1654900954000,
                "recordIds":["001T1000001nI4jIAE"],"nulledFields":[],"diffFields":[]},
                "CreatedDate":"2022-06-10T22:42:34.000Z","Website":"www.salesforce.com","AnnualRevenue":12500000.50,
                "NumberOfEmployees":120,"LastModifiedById":"005T1000000HjlbIAC","Name":"Acme %d"},
                "event":{"replayId":%d}},"channel":"/data/AccountChangeEvent"}""".formatted(i, 1_000_000 + i);
    }

    private static String update(int i) {
        return """
                {"data":{"schema":"Jx8Hz9ElkIUaBf-heF1ShA","payload":{"LastModifiedDate":"2024-02-25T02:44:11.000Z",
                "ChangeEventHeader":{"commitNumber":11640266867858,"commitUser":"005Hs00000BkK19IAF",
                "sequenceNumber":1,"entityName":"Account","changeType":"UPDATE",
                "changedFields":["Name","Phone","BillingAddress.City","LastModifiedDate"],
                "changeOrigin":"com/salesforce/api/rest/62.0;client=sfsync",
                "transactionKey":"0001293b-f210-2b61-f231-5e86808edfd0","commitTimestamp":1708829051000,
                "recordIds":["a02Hs0000179WYwIAM"],"nulledFields":["Phone"],"diffFields":[]},
                "Name":"sundar %d","Phone":null,"BillingAddress":{"City":"Lyon"}},"event":{"replayId":%d}},
                "channel":"/data/AccountChangeEvent"}""".formatted(i, 1_000_000 + i);
    }
}
