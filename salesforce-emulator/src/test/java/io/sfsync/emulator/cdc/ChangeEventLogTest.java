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

    @Test
    void retainedDataIsAnImmutableCopyInOrderWithItsNulls() {
        MutableClock clock = new MutableClock();
        ChangeEventLog log = new ChangeEventLog(clock, 0);
        Map<String, Object> payload = new java.util.LinkedHashMap<>();
        payload.put("Name", "Acme");
        payload.put("BillingCity", null);
        payload.put("AnnualRevenue", 10.5);
        java.util.List<Object> nulled = new java.util.ArrayList<>(java.util.Arrays.asList("Phone", null));
        payload.put("ChangeEventHeader", new java.util.LinkedHashMap<>(Map.of("nulledFields", nulled)));
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("schema", "s1");
        data.put("payload", payload);

        ChangeEvent e = log.append(List.of(new ChangeEventLog.Pending("Account", "UPDATE", List.of("001"), clock.now,
                data))).get(0);
        payload.put("Name", "changed after publishing");
        nulled.add("Fax");

        assertThat(e.data().keySet()).containsExactly("schema", "payload", "event");
        @SuppressWarnings("unchecked")
        Map<String, Object> retained = (Map<String, Object>) e.data().get("payload");
        assertThat(retained.keySet()).containsExactly("Name", "BillingCity", "AnnualRevenue", "ChangeEventHeader");
        assertThat(retained).containsEntry("Name", "Acme").containsEntry("BillingCity", null)
                .containsKey("BillingCity").doesNotContainKey("Fax");
        assertThat(retained.get("ChangeEventHeader")).isEqualTo(Map.of("nulledFields",
                java.util.Arrays.asList("Phone", null)));
        assertThat(e.data().get("event")).isEqualTo(Map.of("replayId", e.replayId()));
        assertThat(e.data()).isEqualTo(Map.of("schema", "s1", "payload", retained, "event",
                Map.of("replayId", e.replayId())));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> retained.put("Name", "x"))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.data().entrySet().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
