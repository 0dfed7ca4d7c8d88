package io.sfsync.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfsync.examples.LoopFixture.Activity;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every connector of the loop restarted (connector and tasks, as after a worker restart or a rebalance) while
 * changes are under way on both sides. The conflict transform's pending state is in memory and starts empty; the
 * Salesforce source resumes from its committed replay id; the sinks get uncommitted records again. What must hold:
 * every change reaches the other side, nothing is created twice, and the loop goes quiet (no echo).
 */
class LoopRestartIT {

    static final int RECORDS = 6;

    static LoopFixture loop;

    @RegisterExtension
    static final LoopExtension LOOP = new LoopExtension(started -> loop = started);

    @Test
    void changesUnderWayWhenEveryConnectorRestartsArriveOnceAndTheLoopGoesQuiet() {
        // Records born on each side, synced before the restart.
        List<String> fromSalesforce = new ArrayList<>();
        List<String> fromPostgres = new ArrayList<>();
        List<String> postgresSfids = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            fromSalesforce.add(loop.salesforce.create("Account", Map.of("Name", "Restart SF " + i)));
            fromPostgres.add(loop.insert("account", Map.of("name", "Restart PG " + i)));
        }
        for (int i = 0; i < RECORDS; i++) {
            loop.awaitRow("account", fromSalesforce.get(i), r -> true);
            postgresSfids.add((String) loop.awaitRow("account", fromPostgres.get(i), r -> r.get("sfid") != null)
                    .get("sfid"));
        }
        loop.awaitQuiet();

        // Edits on both sides (different fields, so no conflict), then every connector restarts at once, then more
        // edits while the tasks come back.
        for (int i = 0; i < RECORDS; i++) {
            loop.salesforce.update("Account", fromSalesforce.get(i), Map.of("BillingCity", "Before " + i));
            loop.update("account", fromPostgres.get(i), Map.of("phone", "+1 555 010" + i));
        }
        for (String file : ExampleConnectors.ALL) {
            String name = loop.connector(file).name();
            HttpResponse<String> restart = loop.connect.rest("POST", "connectors/" + name
                    + "/restart?includeTasks=true", null);
            // 202 with the connector and every task RESTARTING: the worker stops and starts each of them.
            assertThat(restart.statusCode()).as(name).isEqualTo(202);
            assertThat(restart.body()).as(name).contains("\"state\":\"RESTARTING\"")
                    .doesNotContain("\"state\":\"RUNNING\"");
        }
        for (int i = 0; i < RECORDS; i++) {
            loop.salesforce.update("Account", fromSalesforce.get(i), Map.of("Phone", "+1 555 020" + i));
            loop.update("account", fromPostgres.get(i), Map.of("billingcity", "After " + i));
        }
        loop.awaitAllRunning();

        // Every edit on the other side.
        for (int i = 0; i < RECORDS; i++) {
            int n = i;
            loop.awaitRow("account", fromSalesforce.get(i), r -> ("Before " + n).equals(r.get("billingcity"))
                    && ("+1 555 020" + n).equals(r.get("phone")));
            loop.awaitRecord("Account", postgresSfids.get(i), r -> ("+1 555 010" + n).equals(r.get("Phone"))
                    && ("After " + n).equals(r.get("BillingCity")));
        }
        Activity settled = loop.awaitQuiet();

        // Nothing twice: one Salesforce record per Postgres-born row, one row per record.
        for (int i = 0; i < RECORDS; i++) {
            assertThat(loop.salesforceByKey("Account", fromPostgres.get(i))).as("records for " + fromPostgres.get(i))
                    .hasSize(1);
        }
        long rows = ((Number) loop.postgres.query(
                "SELECT count(*) AS n FROM salesforce.account WHERE name LIKE 'Restart %'").get(0).get("n")).longValue();
        assertThat(rows).isEqualTo(2L * RECORDS);
        // And the Postgres side holds the Salesforce side's values too (the echoes of the Postgres edits did not
        // put older values back).
        for (int i = 0; i < RECORDS; i++) {
            assertThat(loop.row("account", fromPostgres.get(i)).orElseThrow())
                    .containsEntry("phone", "+1 555 010" + i).containsEntry("billingcity", "After " + i);
        }
        assertThat(settled.conflicts()).as("edits of different fields are not conflicts").isZero();
        // Quiet again after another look: the restart left no echo behind.
        assertThat(loop.awaitQuiet()).isEqualTo(settled);
    }
}
