package io.sfsync.source.offset;

import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectOffsetTest {

    @Test
    void roundTripsEveryField() {
        ObjectOffset o = new ObjectOffset(ObjectOffset.Phase.SNAPSHOT, "001000000000001AAA",
                Instant.parse("2026-01-02T03:04:05Z"), 42L, Instant.parse("2026-01-02T03:04:06.123Z"));
        Map<String, Object> m = o.toMap();
        assertThat(m).containsEntry("v", 1).containsEntry("phase", "SNAPSHOT").containsEntry("replay_id", 42L);
        assertThat(ObjectOffset.fromMap(m)).isEqualTo(o);
    }

    @Test
    void readsWhatTheOffsetStoreGivesBack() {
        // JSON offset storage gives integers back as Integer or Long: both are read.
        Map<String, Object> m = new HashMap<>(Map.of("v", 1L, "phase", "STREAM", "replay_id", 7));
        ObjectOffset o = ObjectOffset.fromMap(m);
        assertThat(o.phase()).isEqualTo(ObjectOffset.Phase.STREAM);
        assertThat(o.replayId()).isEqualTo(7L);
        assertThat(o.cursor()).isNull();
    }

    @Test
    void emptyFieldsAreLeftOut() {
        assertThat(ObjectOffset.initialSnapshot().toMap()).containsOnlyKeys("v", "phase");
    }

    @Test
    void phaseTransitionsKeepTheReplayPosition() {
        ObjectOffset o = ObjectOffset.initialSnapshot().withCursor("001A").withReplay(9, Instant.EPOCH);
        assertThat(o.streamingPhase()).isEqualTo(new ObjectOffset(ObjectOffset.Phase.STREAM, null, null, 9L,
                Instant.EPOCH));
        ObjectOffset resync = o.streamingPhase().resync(Instant.EPOCH);
        assertThat(resync.snapshotting()).isTrue();
        assertThat(resync.cursor()).isNull();
        assertThat(resync.since()).isEqualTo(Instant.EPOCH);
        assertThat(resync.replayId()).isEqualTo(9L);
    }

    @Test
    void rejectsUnknownVersionsAndBadShapes() {
        assertThatThrownBy(() -> ObjectOffset.fromMap(Map.of("v", 2, "phase", "STREAM")))
                .isInstanceOf(DataException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> ObjectOffset.fromMap(Map.of("phase", "STREAM")))
                .isInstanceOf(DataException.class);
        assertThatThrownBy(() -> ObjectOffset.fromMap(Map.of("v", 1, "phase", "DONE")))
                .isInstanceOf(DataException.class).hasMessageContaining("phase");
        assertThatThrownBy(() -> ObjectOffset.fromMap(Map.of("v", 1, "phase", "STREAM", "replay_id", "x")))
                .isInstanceOf(DataException.class).hasMessageContaining("replay_id");
        assertThatThrownBy(() -> ObjectOffset.fromMap(Map.of("v", 1, "phase", "STREAM", "since", "yesterday")))
                .isInstanceOf(DataException.class).hasMessageContaining("since");
    }
}
