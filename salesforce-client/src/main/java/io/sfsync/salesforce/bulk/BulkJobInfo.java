package io.sfsync.salesforce.bulk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What this client reads of a Bulk API 2.0 JobInfo.
 *
 * @param errorMessage Salesforce's reason when the job ended {@code Failed}, else null
 * @param numberRecordsProcessed records processed so far (failed ones included); 0 when not reported
 */
public record BulkJobInfo(String id, String object, String operation, BulkJobState state, String errorMessage,
                          long numberRecordsProcessed, long numberRecordsFailed) {

    static BulkJobInfo from(JsonNode n) {
        return new BulkJobInfo(text(n, "id"), text(n, "object"), text(n, "operation"),
                BulkJobState.parse(text(n, "state")), text(n, "errorMessage"),
                n.path("numberRecordsProcessed").asLong(0), n.path("numberRecordsFailed").asLong(0));
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
