package io.sfsync.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Edits made on both sides while neither has seen the other's (the connectors that cross between the systems are
 * paused, both sides are edited, then they resume): different fields are both kept, the same field is a conflict
 * resolved by the transform's policy, recorded in salesforce.sfsync_conflicts with both values, and both sides
 * converge on the winner. The policy is switched the way an operator would: a new config for the Debezium
 * connector that runs the transform.
 */
class ConcurrentEditsIT {

    static LoopFixture loop;

    @RegisterExtension
    static final LoopExtension LOOP = new LoopExtension(started -> loop = started);

    /** A row created in Postgres and settled on both sides; returns {key, sfid}. */
    static String[] syncedAccount(String name) {
        String key = loop.insert("account", Map.of("name", name, "rating", "Cold", "phone", "100"));
        String id = (String) loop.awaitRow("account", key, r -> r.get("sfid") != null).get("sfid");
        loop.awaitQuiet();
        return new String[] {key, id};
    }

    static void usePolicy(String policy) {
        loop.reconfigure(ExampleConnectors.POSTGRES_SOURCE, Map.of("transforms.conflicts.conflict.policy", policy));
    }

    @Test
    void editsOfDifferentFieldsAreBothKeptOnBothSides() {
        String[] account = syncedAccount("Disjoint");
        loop.pauseCrossing();
        loop.update("account", account[0], Map.of("phone", "200"));
        loop.salesforce.update("Account", account[1], Map.of("Rating", "Hot"));
        loop.resumeCrossing();

        loop.awaitRow("account", account[0], r -> "Hot".equals(r.get("rating")) && "200".equals(r.get("phone")));
        loop.awaitRecord("Account", account[1], r -> "Hot".equals(r.get("Rating")) && "200".equals(r.get("Phone")));
        loop.awaitQuiet();
        assertThat(loop.row("account", account[0]).orElseThrow()).containsEntry("rating", "Hot")
                .containsEntry("phone", "200");
        assertThat(loop.salesforce.record("Account", account[1]).orElseThrow()).containsEntry("Rating", "Hot")
                .containsEntry("Phone", "200");
        assertThat(loop.conflicts().stream().filter(c -> String.valueOf(c.get("record_key")).contains(account[0])))
                .isEmpty();
    }

    @Test
    void salesforceWinsWritesSalesforcesValueBackOverThePostgresEdit() {
        usePolicy("salesforce-wins");
        sameFieldConflict("Salesforce wins", true, "salesforce-wins", "salesforce");
    }

    @Test
    void postgresWinsKeepsThePostgresEdit() {
        usePolicy("postgres-wins");
        sameFieldConflict("Postgres wins", true, "postgres-wins", "postgres");
    }

    @Test
    void newestWinsPicksTheLaterEditWhicheverSideMadeIt() {
        usePolicy("newest-wins");
        sameFieldConflict("Newest is Salesforce", true, "newest-wins", "salesforce");
        sameFieldConflict("Newest is Postgres", false, "newest-wins", "postgres");
    }

    /**
     * Both sides change rating concurrently (Postgres to Warm, Salesforce to Hot), in the order given; then both
     * must hold the expected winner's value and the conflict must be recorded once with both values.
     */
    private static void sameFieldConflict(String name, boolean postgresFirst, String policy, String winner) {
        String[] account = syncedAccount(name);
        loop.pauseCrossing();
        if (postgresFirst) {
            loop.update("account", account[0], Map.of("rating", "Warm"));
            loop.salesforce.update("Account", account[1], Map.of("Rating", "Hot"));
        } else {
            loop.salesforce.update("Account", account[1], Map.of("Rating", "Hot"));
            loop.update("account", account[0], Map.of("rating", "Warm"));
        }
        loop.resumeCrossing();

        String expected = winner.equals("salesforce") ? "Hot" : "Warm";
        loop.awaitRecord("Account", account[1], r -> expected.equals(r.get("Rating")));
        loop.awaitRow("account", account[0], r -> expected.equals(r.get("rating")));
        loop.awaitQuiet();
        assertThat(loop.row("account", account[0]).orElseThrow()).as(name).containsEntry("rating", expected);
        assertThat(loop.salesforce.record("Account", account[1]).orElseThrow()).as(name)
                .containsEntry("Rating", expected);

        List<Map<String, Object>> conflicts = loop.conflicts(account[0], "rating");
        assertThat(conflicts).as(name + ": conflicts").hasSize(1);
        assertThat(conflicts.get(0)).as(name).containsEntry("postgres_value", "Warm")
                .containsEntry("salesforce_value", "Hot").containsEntry("policy", policy)
                .containsEntry("winner", winner).containsEntry("sfid", account[1]);
    }
}
