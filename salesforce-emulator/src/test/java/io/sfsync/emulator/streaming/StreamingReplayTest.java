package io.sfsync.emulator.streaming;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.sfsync.emulator.streaming.RawBayeux.headerOf;
import static io.sfsync.emulator.streaming.RawBayeux.replayIdOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The replay extension: -2, -1, N, invalid and expired replay ids, and the channels events go to. */
class StreamingReplayTest {

    private static final String ACCOUNTS = "/data/AccountChangeEvent";

    private StreamingFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new StreamingFixture();
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void replayFromMinusTwoDeliversAllRetainedEventsThenLiveOnes() {
        List<String> ids = List.of(f.account("A1"), f.account("A2"), f.account("A3"));
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        c.subscribeOk(ACCOUNTS, Map.of(ACCOUNTS, -2));
        List<Map<String, Object>> replayed = c.receive(3);
        String live = f.account("A4");
        List<Map<String, Object>> all = new ArrayList<>(replayed);
        all.addAll(c.receive(1));

        assertThat(all).extracting(RawBayeux::firstRecordId)
                .containsExactly(ids.get(0), ids.get(1), ids.get(2), live);
        assertThat(all).extracting(RawBayeux::replayIdOf).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void replayFromMinusOneDeliversOnlyNewEvents() {
        f.account("old");
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        c.subscribeOk(ACCOUNTS, Map.of(ACCOUNTS, -1));
        String fresh = f.account("new");

        List<Map<String, Object>> events = c.receive(1);

        assertThat(events).hasSize(1);
        assertThat(headerOf(events.get(0)).get("recordIds")).isEqualTo(List.of(fresh));
    }

    @Test
    void noReplayExtensionMeansNewEventsOnly() {
        f.account("old");
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        // EMP-Connector sends its whole map: the entry of another channel does not apply here.
        c.subscribeOk(ACCOUNTS, Map.of("/data/ContactChangeEvent", -2));
        String fresh = f.account("new");

        assertThat(c.receive(1)).extracting(e -> headerOf(e).get("recordIds")).containsExactly(List.of(fresh));
    }

    @Test
    void replayFromAnIdDeliversTheEventsAfterIt() {
        f.account("A1");
        String second = f.account("A2");
        long afterSecond = f.log.lastReplayId();
        String third = f.account("A3");
        String fourth = f.account("A4");
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        c.subscribeOk(ACCOUNTS, Map.of(ACCOUNTS, afterSecond, "/data/ContactChangeEvent", -2));

        List<Map<String, Object>> events = c.receive(2);

        assertThat(events).extracting(RawBayeux::firstRecordId)
                .containsExactly(third, fourth).doesNotContain(second);
        assertThat(replayIdOf(events.get(0))).isGreaterThan(afterSecond);
    }

    @Test
    void invalidReplayIdFailsOnlyTheSubscribeAndTheSessionStaysUsable() {
        f.account("A1");
        long future = f.log.lastReplayId() + 1000;
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();

        Map<String, Object> reply = c.subscribe(ACCOUNTS, Map.of(ACCOUNTS, future)).first("/meta/subscribe");

        assertThat(reply).containsOnlyKeys("clientId", "channel", "id", "subscription", "error", "successful");
        assertThat(reply).containsEntry("successful", false).containsEntry("clientId", c.clientId)
                .containsEntry("error", "400::The replayId {" + future + "} you provided was invalid. Please"
                        + " provide a valid ID, -2 to replay all events, or -1 to replay only new events.");
        assertThat(c.subscribe(ACCOUNTS, Map.of(ACCOUNTS, -3)).first("/meta/subscribe").get("error"))
                .asString().startsWith("400::The replayId {-3} you provided was invalid.");
        assertThat(c.subscribe(ACCOUNTS, Map.of(ACCOUNTS, "abc")).first("/meta/subscribe").get("error"))
                .asString().startsWith("400::The replayId {abc} you provided was invalid.");

        // Still connected: a valid subscribe works and delivers.
        c.subscribeOk(ACCOUNTS, Map.of(ACCOUNTS, -1));
        String id = f.account("A2");
        assertThat(c.receive(1)).extracting(e -> headerOf(e).get("recordIds")).containsExactly(List.of(id));
    }

    @Test
    void replayIdOlderThanRetentionIsInvalid() {
        f.account("A1");
        long old = f.log.lastReplayId();
        f.account("A2");
        long last = f.log.lastReplayId();
        f.service.expireRetainedEvents();
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();

        assertThat(c.subscribe(ACCOUNTS, Map.of(ACCOUNTS, old)).first("/meta/subscribe"))
                .containsEntry("successful", false)
                .containsEntry("error", "400::The replayId {" + old + "} you provided was invalid. Please"
                        + " provide a valid ID, -2 to replay all events, or -1 to replay only new events.");
        // The newest id is still a valid place to resume from (nothing after it was lost), and -2 is empty.
        c.subscribeOk(ACCOUNTS, Map.of(ACCOUNTS, last));
        c.subscribeOk("/data/ChangeEvents", Map.of("/data/ChangeEvents", -2));
        String id = f.account("A3");
        List<Map<String, Object>> events = c.receive(2);
        assertThat(events).extracting(e -> e.get("channel"))
                .containsExactlyInAnyOrder(ACCOUNTS, "/data/ChangeEvents");
        assertThat(events).allSatisfy(e -> assertThat(headerOf(e).get("recordIds")).isEqualTo(List.of(id)));
    }

    @Test
    void changeEventsChannelCarriesEverySelectedEntity() {
        RawBayeux all = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        all.subscribeOk("/data/ChangeEvents", null);
        RawBayeux contacts = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        contacts.subscribeOk("/data/ContactChangeEvent", null);

        String account = f.account("Acme");
        String contact = f.insert("Contact", Map.of("LastName", "Smith", "AccountId", account));
        String lead = f.insert("Lead", Map.of("LastName", "Jones", "Company", "Initech"));

        List<Map<String, Object>> allEvents = all.receive(3);
        assertThat(allEvents).extracting(e -> e.get("channel")).containsOnly("/data/ChangeEvents");
        assertThat(allEvents).extracting(e -> headerOf(e).get("entityName"))
                .containsExactly("Account", "Contact", "Lead");
        List<Map<String, Object>> contactEvents = contacts.receive(1);
        assertThat(contactEvents).extracting(e -> e.get("channel")).containsExactly("/data/ContactChangeEvent");
        assertThat(headerOf(contactEvents.get(0)).get("recordIds")).isEqualTo(List.of(contact));
        assertThat(lead).isNotNull();
        // Nothing else comes to the contact subscriber.
        assertThat(contacts.connect().events()).isEmpty();
    }

    @Test
    void entityDeselectedFromChangeDataCaptureProducesNoEvents() {
        f.org.enableChangeEvents("Lead", false);
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        c.subscribeOk("/data/ChangeEvents", null);
        f.insert("Lead", Map.of("LastName", "Jones", "Company", "Initech"));
        String account = f.account("Acme");

        List<Map<String, Object>> events = c.receive(1);

        assertThat(events).extracting(e -> headerOf(e).get("entityName")).containsExactly("Account");
        assertThat(headerOf(events.get(0)).get("recordIds")).isEqualTo(List.of(account));
    }

    @Test
    void eventsCommittedDuringSubscribeAreNeitherSkippedNorRepeated() throws Exception {
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> written = new ArrayList<>();
        Thread writer = new Thread(() -> {
            int i = 0;
            while (writing.get() && i < 300) {
                written.add(f.account("W" + i++));
            }
        });
        writer.start();
        StreamingFixture.await(Duration.ofSeconds(10), "some events", () -> f.log.size() > 20);
        c.subscribeOk(ACCOUNTS, Map.of(ACCOUNTS, -2));
        writer.join();

        List<Map<String, Object>> events = c.receive(written.size());

        assertThat(events).hasSize(written.size());
        assertThat(events).extracting(RawBayeux::firstRecordId)
                .containsExactlyElementsOf(written);
        assertThat(events).extracting(RawBayeux::replayIdOf).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void updateAndDeleteEventsHaveTheirShape() {
        String id = f.account("Acme");
        RawBayeux c = new RawBayeux(f.cometdUrl(), StreamingFixture.TOKEN).start();
        c.subscribeOk(ACCOUNTS, null);
        f.update(id, Map.of("Name", "Acme Corp", "Website", "acme.example"));
        f.delete(id);

        List<Map<String, Object>> events = c.receive(2);

        Map<String, Object> update = events.get(0);
        assertThat(headerOf(update)).containsEntry("changeType", "UPDATE").containsEntry("recordIds", List.of(id));
        assertThat(RawBayeux.changedFields(update))
                .contains("Name", "Website", "LastModifiedDate");
        Map<String, Object> updatePayload = RawBayeux.map(RawBayeux.map(update.get("data")).get("payload"));
        assertThat(updatePayload).containsEntry("Name", "Acme Corp").containsKey("LastModifiedDate")
                .doesNotContainKey("CreatedDate");
        Map<String, Object> delete = events.get(1);
        assertThat(headerOf(delete)).containsEntry("changeType", "DELETE").containsEntry("recordIds", List.of(id));
        assertThat(RawBayeux.map(RawBayeux.map(delete.get("data")).get("payload")))
                .containsOnlyKeys("ChangeEventHeader");
    }
}
