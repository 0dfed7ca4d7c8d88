package io.sfsync.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Replay ids, retention and replay validity of the event bus. */
class ChangeEventLogTest {

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private static ChangeEventLog.Pending event(String entity, Instant at) {
        return new ChangeEventLog.Pending(entity, "UPDATE", List.of("001"), at, Map.of("payload", Map.of()));
    }

    @Test
    void replayIdsGrowButAreNotContiguousAndEventsAreReadInOrder() {
        MutableClock clock = new MutableClock();
        ChangeEventLog log = new ChangeEventLog(clock, 100);
        List<ChangeEvent> appended = log.append(List.of(event("Account", clock.now), event("Contact", clock.now),
                event("Account", clock.now)));
        assertThat(appended).extracting(ChangeEvent::replayId).isSorted().doesNotHaveDuplicates();
        assertThat(appended.get(0).data().get("event")).isEqualTo(Map.of("replayId", appended.get(0).replayId()));
        assertThat(log.after(-1, null, 10)).hasSize(3);
        assertThat(log.after(appended.get(0).replayId(), Set.of("Account"), 10)).containsExactly(appended.get(2));
        assertThat(log.after(appended.get(0).replayId(), null, 1)).containsExactly(appended.get(1));
    }

    @Test
    void retentionDropsOldEventsAndInvalidatesTheirReplayIds() {
        MutableClock clock = new MutableClock();
        ChangeEventLog log = new ChangeEventLog(clock, 100);
        log.setRetention(Duration.ofHours(72));
        long old = log.append(List.of(event("Account", clock.now))).get(0).replayId();
        long older = log.append(List.of(event("Account", clock.now))).get(0).replayId();
        clock.now = clock.now.plus(Duration.ofHours(71));
        long recent = log.append(List.of(event("Account", clock.now))).get(0).replayId();
        assertThat(log.isValidReplayFrom(old)).isTrue();
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertThat(log.isValidReplayFrom(old)).as("its successor expired").isFalse();
        assertThat(log.isValidReplayFrom(older)).as("everything after it is retained").isTrue();
        assertThat(log.after(-2, null, 10)).extracting(ChangeEvent::replayId).containsExactly(recent);
        assertThat(log.isValidReplayFrom(recent + 1000)).as("never issued").isFalse();
        assertThat(log.isValidReplayFrom(-1)).isTrue();
        assertThat(log.isValidReplayFrom(-2)).isTrue();
        assertThat(log.expireAll()).isEqualTo(1);
        assertThat(log.isValidReplayFrom(older)).isFalse();
        assertThat(log.isValidReplayFrom(recent)).isTrue();
        assertThat(log.size()).isZero();
    }

    @Test
    void capacityBoundEvictsOldestFirst() {
        MutableClock clock = new MutableClock();
        ChangeEventLog log = new ChangeEventLog(clock, 0);
        log.setMaxRetainedEvents(100);
        for (int i = 0; i < 1000; i++) {
            log.append(List.of(event("Account", clock.now)));
        }
        assertThat(log.size()).isEqualTo(100);
        List<ChangeEvent> all = log.after(-2, null, 1000);
        assertThat(all).hasSize(100);
        assertThat(all.get(99).replayId()).isEqualTo(log.lastReplayId());
        assertThat(log.isValidReplayFrom(all.get(0).replayId() - 4)).as("older than the last evicted event").isFalse();
    }
}
