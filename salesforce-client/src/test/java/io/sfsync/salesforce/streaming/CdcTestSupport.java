package io.sfsync.salesforce.streaming;

import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.emulator.streaming.StreamingSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** Shared pieces of the subscriber tests: an emulator with short streaming timeouts, a committed-offset store. */
final class CdcTestSupport {

    static {
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.cometd", "warn");
    }

    static final String ACCOUNTS = "/data/AccountChangeEvent";
    static final String CONTACTS = "/data/ContactChangeEvent";
    static final String ALL = "/data/ChangeEvents";

    private CdcTestSupport() {
    }

    /** Long polls of 2 s and a reconnect window of 4 s, as the brief asks. */
    static SalesforceEmulatorExtension emulator() {
        return new SalesforceEmulatorExtension(b -> b.dailyApiRequests(1_000_000).streaming(StreamingSettings.defaults()
                .longPollTimeout(Duration.ofSeconds(2)).reconnectWindow(Duration.ofSeconds(4))));
    }

    /** What a connector commits: the last replay id per channel, moved forward only at explicit checkpoints. */
    static final class Offsets implements ReplayStore {
        final Map<String, Long> committed = new ConcurrentHashMap<>();

        @Override
        public OptionalLong lastCommitted(String channel) {
            Long v = committed.get(channel);
            return v == null ? OptionalLong.empty() : OptionalLong.of(v);
        }

        void commit(ChangeEvent e) {
            committed.merge(e.channel(), e.replayId(), Math::max);
        }
    }

    /** Polls until {@code until} holds for the events so far, for at most {@code bound}. */
    static List<ChangeEvent> pollUntil(CdcSubscriber sub, Duration bound, Predicate<List<ChangeEvent>> until)
            throws InterruptedException {
        List<ChangeEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + bound.toNanos();
        while (!until.test(out)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + out.size() + " events: " + sub.metrics());
            }
            out.addAll(sub.poll(Duration.ofMillis(100), 500));
        }
        return out;
    }

    static List<ChangeEvent> pollCount(CdcSubscriber sub, int n) throws InterruptedException {
        return pollUntil(sub, Duration.ofSeconds(60), l -> l.size() >= n);
    }

    /** Polls for {@code quiet} and returns whatever else arrives (to check that nothing more comes). */
    static List<ChangeEvent> drainFor(CdcSubscriber sub, Duration quiet) throws InterruptedException {
        List<ChangeEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            out.addAll(sub.poll(Duration.ofMillis(100), 500));
        }
        return out;
    }

    static List<String> threadNames(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).sorted().toList();
    }
}
