package io.sfsync.examples;

import io.sfsync.testkit.Polling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many concurrent edits on both sides, then quiet: Salesforce and Postgres must end equal on every synced field,
 * and every injected same-field conflict must be in salesforce.sfsync_conflicts with both values.
 *
 * <p>Reproducible: the seed is printed; run again with {@code -Dloop.seed=<seed>}. Edits come in rounds. In a
 * round the connectors that cross between the systems are paused, so every edit of the round is concurrent with
 * every edit on the other side; a column of a record edited on both sides with different values is exactly one
 * injected conflict (each side edits a column at most once per round, so the count is unambiguous). Then the
 * connectors resume and the loop settles before the next round. About a third of the edits aim at a column the
 * other side edits in the same round, so that conflicts are common.
 */
class RandomizedConvergenceIT {

    static final int RECORDS = Integer.getInteger("loop.records", 30);
    static final int EDITS = Integer.getInteger("loop.edits", 100);
    static final int ROUNDS = Integer.getInteger("loop.rounds", 5);
    /** Salesforce field → Postgres column, the synced fields the test edits and compares. */
    static final Map<String, String> FIELDS = new LinkedHashMap<>(Map.of("Name", "name", "Phone", "phone",
            "BillingCity", "billingcity", "Rating", "rating"));
    static final List<String> RATINGS = List.of("Hot", "Warm", "Cold");
    /** Share of edits aimed at a column the other side edits in the same round (otherwise conflicts are rare). */
    static final double OVERLAP = 0.3;

    static LoopFixture loop;

    @RegisterExtension
    static final LoopExtension LOOP = new LoopExtension(started -> loop = started);

    record Account(String key, String id) {
    }

    record Injected(String key, String column, String postgresValue, String salesforceValue) {
    }

    @Test
    void concurrentEditsOnBothSidesConvergeAndEveryConflictIsRecorded() {
        long seed = Long.getLong("loop.seed", System.nanoTime());
        System.out.println("RandomizedConvergenceIT seed: " + seed + " (rerun with -Dloop.seed=" + seed + ")");
        Random random = new Random(seed);

        List<Account> accounts = createAccounts(random);
        loop.awaitQuiet();
        List<Injected> injected = new ArrayList<>();
        int edit = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int editsThisRound = EDITS / ROUNDS + (round < EDITS % ROUNDS ? 1 : 0);
            Map<String, Map<String, Object>> current = postgresRows(accounts);
            // column edits of this round: "key/column" -> value, per side
            Map<String, String> postgresEdits = new HashMap<>();
            Map<String, String> salesforceEdits = new HashMap<>();
            List<Runnable> writes = new ArrayList<>();
            while (writes.size() < editsThisRound) {
                boolean inPostgres = random.nextBoolean();
                Map<String, String> side = inPostgres ? postgresEdits : salesforceEdits;
                Map<String, String> otherSide = inPostgres ? salesforceEdits : postgresEdits;
                Account account = accounts.get(random.nextInt(accounts.size()));
                String field = new ArrayList<>(FIELDS.keySet()).get(random.nextInt(FIELDS.size()));
                if (!otherSide.isEmpty() && random.nextDouble() < OVERLAP) {
                    // aim at a column the other side edits in this round: a likely conflict
                    String[] target = new ArrayList<>(otherSide.keySet()).get(random.nextInt(otherSide.size()))
                            .split("/");
                    account = accounts.stream().filter(a -> a.key().equals(target[0])).findFirst().orElseThrow();
                    field = FIELDS.entrySet().stream().filter(f -> f.getValue().equals(target[1])).findFirst()
                            .orElseThrow().getKey();
                }
                String column = FIELDS.get(field);
                String slot = account.key() + "/" + column;
                if (side.containsKey(slot)) {
                    continue; // at most one edit per side, record and column in a round
                }
                String value = newValue(random, column, current.get(account.key()).get(column), seed, ++edit);
                side.put(slot, value);
                Account edited = account;
                String editedField = field;
                writes.add(inPostgres
                        ? () -> loop.update("account", edited.key(), Map.of(column, value))
                        : () -> loop.salesforce.update("Account", edited.id(), Map.of(editedField, value)));
            }
            for (Map.Entry<String, String> p : postgresEdits.entrySet()) {
                String s = salesforceEdits.get(p.getKey());
                if (s != null && !s.equals(p.getValue())) {
                    String[] slot = p.getKey().split("/");
                    injected.add(new Injected(slot[0], slot[1], p.getValue(), s));
                }
            }
            loop.pauseCrossing();
            Collections.shuffle(writes, random);
            writes.forEach(Runnable::run);
            loop.resumeCrossing();
            awaitEqual(accounts, "round " + round + ", seed " + seed);
            loop.awaitQuiet();
        }

        assertEqual(accounts, "seed " + seed);
        System.out.println("RandomizedConvergenceIT: " + EDITS + " edits on " + accounts.size() + " records in "
                + ROUNDS + " rounds, " + injected.size() + " same-field conflicts injected");
        for (Injected conflict : injected) {
            assertThat(loop.conflicts(conflict.key(), conflict.column()))
                    .as("seed " + seed + ": conflict " + conflict)
                    .anySatisfy(row -> assertThat(row).containsEntry("postgres_value", conflict.postgresValue())
                            .containsEntry("salesforce_value", conflict.salesforceValue()));
        }
        Set<String> keys = new HashSet<>(accounts.stream().map(Account::key).toList());
        List<Map<String, Object>> rows = loop.conflicts().stream().filter(c -> keys.stream()
                .anyMatch(k -> String.valueOf(c.get("record_key")).contains(k))).toList();
        long recorded = rows.size();
        // On failure, the rows that match no injected conflict say what the transform saw as one.
        List<Map<String, Object>> unexpected = rows.stream().filter(row -> injected.stream().noneMatch(i ->
                String.valueOf(row.get("record_key")).contains(i.key()) && i.column().equals(row.get("column_name"))
                        && i.postgresValue().equals(row.get("postgres_value"))
                        && i.salesforceValue().equals(row.get("salesforce_value")))).toList();
        assertThat(recorded).as("seed " + seed + ": conflict rows for the test's records; not injected: "
                + unexpected).isEqualTo(injected.size());
    }

    /** Half the records created in Postgres, half in Salesforce (as a UI user), all settled on both sides. */
    private static List<Account> createAccounts(Random random) {
        List<String> postgresKeys = new ArrayList<>();
        List<String> salesforceIds = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            String rating = RATINGS.get(random.nextInt(RATINGS.size()));
            if (i % 2 == 0) {
                postgresKeys.add(loop.insert("account", Map.of("name", "Random " + i, "rating", rating,
                        "phone", "p" + i, "billingcity", "c" + i)));
            } else {
                salesforceIds.add(loop.salesforce.create("Account", Map.of("Name", "Random " + i, "Rating", rating,
                        "Phone", "p" + i, "BillingCity", "c" + i)));
            }
        }
        List<Account> accounts = new ArrayList<>();
        for (String key : postgresKeys) {
            accounts.add(new Account(key, (String) loop.awaitRow("account", key, r -> r.get("sfid") != null)
                    .get("sfid")));
        }
        for (String id : salesforceIds) {
            loop.awaitRow("account", id, r -> true);
            accounts.add(new Account(id, id));
        }
        return accounts;
    }

    private static String newValue(Random random, String column, Object current, long seed, int edit) {
        if (column.equals("rating")) {
            List<String> others = RATINGS.stream().filter(r -> !r.equals(current)).toList();
            return others.get(random.nextInt(others.size()));
        }
        return column.charAt(0) + "-" + Long.toHexString(seed & 0xffff) + "-" + edit;
    }

    private static Map<String, Map<String, Object>> postgresRows(List<Account> accounts) {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (Account account : accounts) {
            rows.put(account.key(), loop.row("account", account.key()).orElseThrow());
        }
        return rows;
    }

    /** The fields where Salesforce and Postgres differ, as readable lines; empty when they agree. */
    private static List<String> differences(List<Account> accounts) {
        Map<String, Map<String, Object>> records = new HashMap<>();
        loop.salesforce.records("Account").forEach(r -> records.put((String) r.get("Id"), r));
        List<String> differences = new ArrayList<>();
        for (Account account : accounts) {
            Map<String, Object> row = loop.row("account", account.key()).orElse(Map.of());
            Map<String, Object> record = records.getOrDefault(account.id(), Map.of());
            FIELDS.forEach((field, column) -> {
                if (!Objects.equals(record.get(field), row.get(column))) {
                    differences.add(account + " " + field + ": Salesforce " + record.get(field) + ", Postgres "
                            + row.get(column));
                }
            });
        }
        return differences;
    }

    private static void awaitEqual(List<Account> accounts, String what) {
        AtomicReference<List<String>> last = new AtomicReference<>(List.of());
        Polling.await("Salesforce and Postgres equal (" + what + ")", LoopFixture.ARRIVAL,
                Duration.ofMillis(200), () -> {
                    last.set(differences(accounts));
                    return last.get().isEmpty();
                }, () -> "differences: " + last.get() + "; " + loop.status());
    }

    private static void assertEqual(List<Account> accounts, String what) {
        assertThat(differences(accounts)).as(what).isEmpty();
    }
}
