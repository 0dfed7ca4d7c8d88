package io.sfsync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.budget.GovernorRegistry;
import io.sfsync.source.mapping.RecordMapper;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.sfsync.source.SalesforceSourceTaskTest.header;
import static io.sfsync.source.SalesforceSourceTaskTest.isChange;
import static io.sfsync.source.SalesforceSourceTaskTest.stringField;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code salesforce.budget.max.wait.ms}: while the org is out of API budget, {@code poll()} gives the worker its
 * thread back (so the task can be stopped or rebalanced) instead of blocking until budget returns, and nothing is
 * lost or repeated: the change event whose re-fetch needs a call stays queued in the task, a snapshot page is read
 * again from the same cursor. Each task gets a governor of its own (the JVM's governor for the org keeps the settings
 * of the client that created it), so its short limits poll notices the restored budget quickly.
 */
class BudgetWaitTaskTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = TestSupport.emulator();
    static final Duration BOUND = Duration.ofSeconds(60);
    /** How long one poll() or stop() may take before the test calls it blocked: far above the 300 ms bound. */
    static final Duration RETURNS_WITHIN = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    /** The worker's task thread: poll() and stop() run here, so a blocked call shows as a timeout, not a hang. */
    private final ExecutorService taskThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void afterEach() {
        restoreBudget();
        taskThread.shutdownNow();
    }

    static Map<String, String> props(String object, boolean snapshot) {
        Map<String, String> p = TestSupport.props(SALESFORCE.emulator(), object);
        p.put(SalesforceSourceConfig.SNAPSHOT_MODE, snapshot ? "INITIAL" : "NEVER");
        p.put(SalesforceSourceConfig.BUDGET_MAX_WAIT_MS, "300");
        p.put(SalesforceSourceConfig.LIMITS_POLL_MS, "200");
        return p;
    }

    static TaskHarness harness(Map<String, String> props, TaskHarness.OffsetStore store) {
        return new TaskHarness(props, store, () -> new SalesforceSourceTask(
                c -> c.clientBuilder().governorRegistry(new GovernorRegistry()).build()));
    }

    @Test
    void pollReturnsWhileTheOrgIsOutOfBudgetAndTheHeldEventIsDeliveredOnceWhenBudgetReturns() throws Exception {
        try (TaskHarness h = harness(props("Account", false), new TaskHarness.OffsetStore()).start()) {
            String id = uiCreate("Account", "{\"Name\":\"Budget\"}");
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "CREATE", id)));

            exhaustBudget();
            // An edit (its event needs no call) and a GAP, whose re-fetch is a query: it must wait for budget.
            uiUpdate("Account", id, "{\"Name\":\"Budget edited\"}");
            gap("Account", id);
            // Each poll() gives up on the re-fetch after the bound and comes back; without the bound the first one
            // blocks until budget returns and the test fails on its timeout.
            long waitsBefore = budgetWaits("Account");
            pollOnTaskThreadUntil(h, () -> budgetWaits("Account") >= waitsBefore + 3);
            assertThat(h.received.stream().filter(r -> isChange(r, "UPDATE", id))).as("the edit before the GAP")
                    .hasSize(1);
            assertThat(h.received.stream().filter(r -> isChange(r, "GAP_UPDATE", id))).isEmpty();

            restoreBudget();
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "GAP_UPDATE", id)));
            uiUpdate("Account", id, "{\"Name\":\"Budget after\"}");
            h.pollUntil(BOUND, l -> l.stream().filter(r -> isChange(r, "UPDATE", id)).count() >= 2);
            assertThat(h.received.stream().filter(r -> isChange(r, "UPDATE", id))).hasSize(2);
            List<SourceRecord> refetched = h.received.stream().filter(r -> isChange(r, "GAP_UPDATE", id)).toList();
            assertThat(refetched).hasSize(1);
            assertThat(stringField(refetched.get(0), "name")).isEqualTo("Budget edited");
        }
    }

    @Test
    void stopReturnsWhileTheOrgIsOutOfBudgetAndTheRestartedTaskDeliversTheHeldEventOnce() throws Exception {
        Map<String, String> props = props("Contact", false);
        TaskHarness.OffsetStore store = new TaskHarness.OffsetStore();
        TaskHarness h = harness(props, store).start();
        String id;
        try {
            id = uiCreate("Contact", "{\"LastName\":\"Budget\"}");
            h.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "CREATE", id)));
            exhaustBudget();
            uiUpdate("Contact", id, "{\"LastName\":\"Budget edited\"}");
            gap("Contact", id);
            long waitsBefore = budgetWaits("Contact");
            pollOnTaskThreadUntil(h, () -> budgetWaits("Contact") > waitsBefore
                    && h.received.stream().anyMatch(r -> isChange(r, "UPDATE", id)));
            // The worker flushed the offsets of what it was handed (the edit's event, not the held GAP).
            h.checkpoint();
        } finally {
            onTaskThread("stop()", () -> {
                h.close();
                return null;
            });
        }

        restoreBudget();
        try (TaskHarness again = harness(props, store).start()) {
            again.pollUntil(BOUND, l -> l.stream().anyMatch(r -> isChange(r, "GAP_UPDATE", id)));
            // Resumed after the committed edit: the GAP is replayed and re-fetched, the edit is not repeated.
            assertThat(again.received.stream().filter(r -> isChange(r, "GAP_UPDATE", id))).hasSize(1);
            assertThat(again.received.stream().filter(r -> isChange(r, "UPDATE", id))).isEmpty();
            assertThat(stringField(again.received.stream().filter(r -> isChange(r, "GAP_UPDATE", id))
                    .findFirst().orElseThrow(), "lastname")).isEqualTo("Budget edited");
        }
    }

    @Test
    void aSnapshotOutOfBudgetPollsEmptyAndResumesFromItsCursorWithEveryRowOnce() throws Exception {
        int rows = 450;   // three pages of 200: at most one more is read ahead before the budget is gone
        List<String> ids = uiCreateMany("Lead", rows);
        try (TaskHarness h = harness(props("Lead", true), new TaskHarness.OffsetStore()).start()) {
            h.pollUntil(BOUND, l -> !l.isEmpty());
            exhaustBudget();
            long waitsBefore = budgetWaits("Lead");
            pollOnTaskThreadUntil(h, () -> budgetWaits("Lead") >= waitsBefore + 2);
            assertThat(h.received).as("rows handed over while the budget was gone").hasSizeLessThan(rows);

            restoreBudget();
            h.pollUntil(BOUND, l -> snapshotIds(l).size() >= rows);
            Map<String, Long> perRow = snapshotIds(h.received).stream()
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(perRow.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(perRow.values()).as("every row once").allMatch(n -> n == 1);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static List<String> snapshotIds(List<SourceRecord> records) {
        return records.stream().filter(r -> "SNAPSHOT".equals(header(r, RecordMapper.H_CHANGE_TYPE)))
                .map(r -> header(r, RecordMapper.H_RECORD_ID)).toList();
    }

    /** Polls on the task thread until {@code until} holds; every poll() must return within {@link #RETURNS_WITHIN}. */
    void pollOnTaskThreadUntil(TaskHarness h, Callable<Boolean> until) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!until.call()) {
            assertThat(System.nanoTime()).as("condition reached within " + BOUND).isLessThan(deadline);
            onTaskThread("poll()", h::pollOnce);
        }
    }

    <T> T onTaskThread(String what, Callable<T> call) throws Exception {
        try {
            return taskThread.submit(call).get(RETURNS_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not return within " + RETURNS_WITHIN
                    + " while the org was out of API budget", e);
        }
    }

    /** The task's {@code api-budget-waits-total} (calls that waited for budget), from JMX. */
    static long budgetWaits(String object) throws Exception {
        ObjectName name = new ObjectName(SourceTaskMetrics.DOMAIN + ":type=" + SourceTaskMetrics.GROUP
                + ",connector=unnamed,objects=" + object);
        return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "api-budget-waits-total"))
                .longValue();
    }

    /** The allocation becomes what is used: every further call is refused, and the governor holds calls. */
    static void exhaustBudget() throws IOException {
        long used = JSON.readTree(TestSupport.control(SALESFORCE.emulator(), "GET", "/emulator/limits", null))
                .get("used").asLong();
        TestSupport.control(SALESFORCE.emulator(), "PUT", "/emulator/limits", "{\"dailyApiRequests\":" + used + "}");
    }

    static void restoreBudget() {
        TestSupport.control(SALESFORCE.emulator(), "PUT", "/emulator/limits", "{\"dailyApiRequests\":1000000}");
    }

    static String uiCreate(String object, String json) throws IOException {
        return JSON.readTree(TestSupport.control(SALESFORCE.emulator(), "POST", "/emulator/records/" + object, json))
                .get("id").asText();
    }

    static List<String> uiCreateMany(String object, int n) throws IOException {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < n; i++) {
            records.append(i == 0 ? "" : ",").append("{\"LastName\":\"Row ").append(i)
                    .append("\",\"Company\":\"Budget\"}");
        }
        JsonNode answer = JSON.readTree(TestSupport.control(SALESFORCE.emulator(), "POST",
                "/emulator/records/" + object + "/batch", "{\"operation\":\"create\",\"records\":[" + records + "]}"));
        List<String> ids = new ArrayList<>();
        answer.get("results").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    static void uiUpdate(String object, String id, String json) {
        TestSupport.control(SALESFORCE.emulator(), "PATCH", "/emulator/records/" + object + "/" + id, json);
    }

    static void gap(String object, String id) {
        TestSupport.control(SALESFORCE.emulator(), "POST", "/emulator/streaming/gap", "{\"entity\":\"" + object
                + "\",\"changeType\":\"GAP_UPDATE\",\"recordIds\":[\"" + id + "\"]}");
    }
}
