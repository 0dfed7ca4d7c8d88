package io.sfsync.salesforce.metrics;

import io.sfsync.salesforce.error.ErrorCategory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientMetricsTest {

    @Test
    void countersSnapshotAndListener() {
        ClientMetrics m = new ClientMetrics();
        List<String> seen = new ArrayList<>();
        m.addListener(new ClientMetrics.Listener() {
            @Override
            public void onRetry(CallKind kind, String errorCode) {
                seen.add("retry " + kind + " " + errorCode);
            }

            @Override
            public void onWriteCall(CallKind kind, int records, int failedRecords) {
                seen.add("write " + records + "/" + failedRecords);
            }
        });
        m.budgetRemainingFrom(() -> 42);
        m.recordCall(CallKind.COLLECTIONS);
        m.recordCall(CallKind.COLLECTIONS);
        m.recordCall(CallKind.QUERY);
        m.recordRetry(CallKind.COLLECTIONS, "SERVER_UNAVAILABLE");
        m.recordWriteCall(CallKind.COLLECTIONS, 200, 1);
        m.recordWriteCall(CallKind.COLLECTIONS, 50, 0);
        m.recordFailure(CallKind.RECORD, ErrorCategory.FATAL);
        m.recordReauthentication();
        m.recordTokenRequest();

        ClientMetrics.Snapshot s = m.snapshot();
        assertThat(s.callsByKind()).containsEntry(CallKind.COLLECTIONS, 2L).containsEntry(CallKind.QUERY, 1L);
        assertThat(s.retries()).isEqualTo(1);
        assertThat(s.recordsWritten()).isEqualTo(250);
        assertThat(s.recordsFailed()).isEqualTo(1);
        assertThat(s.recordsPerWriteCall()).isEqualTo(125.0);
        assertThat(s.failuresByCategory()).containsEntry(ErrorCategory.FATAL, 1L);
        assertThat(s.reauthentications()).isEqualTo(1);
        assertThat(s.tokenRequests()).isEqualTo(1);
        assertThat(s.budgetRemaining()).isEqualTo(42);
        assertThat(m.maxRecordsPerCall()).isEqualTo(200);
        assertThat(m.totalCalls()).isEqualTo(3);
        assertThat(seen).containsExactly("retry COLLECTIONS SERVER_UNAVAILABLE", "write 200/1", "write 50/0");
    }
}
