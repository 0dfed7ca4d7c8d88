package io.sfsync.salesforce.streaming;

import java.time.Instant;
import java.util.List;

/**
 * {@code payload.ChangeEventHeader} of a change event. Every field may be missing from an event (older API versions,
 * gap events, future changes): missing strings and numbers are null, missing lists are empty.
 *
 * @param entityName       the sObject API name, e.g. {@code Account}, {@code Employee__c}
 * @param recordIds        every record the change applies to (several when one transaction made the same change to
 *                         many records; {@code 001*} style wildcards for field type conversions;
 *                         {@code 000000000000000AAA} for {@link ChangeType#GAP_OVERFLOW})
 * @param changeType       the parsed change type ({@link ChangeType#UNKNOWN} when unrecognised)
 * @param rawChangeType    the change type as sent
 * @param changeOrigin     {@code com/salesforce/api/rest/62.0;client=x}, empty for non-API changes
 * @param commitTimestamp  {@code commitTimestamp} (epoch milliseconds on the wire)
 * @param changedFields    field names (compound parts as {@code BillingAddress.City}); empty for create/delete
 * @param nulledFields     fields set to null (Pub/Sub addition, tolerated in CometD events)
 * @param diffFields       fields sent as diffs (Pub/Sub addition, tolerated in CometD events)
 * @param transactionEnd   {@code isTransactionEnd} of older events, null when absent
 */
public record ChangeEventHeader(String entityName, List<String> recordIds, ChangeType changeType,
                                String rawChangeType, String changeOrigin, String transactionKey,
                                Integer sequenceNumber, Instant commitTimestamp, Long commitNumber,
                                String commitUser, List<String> changedFields, List<String> nulledFields,
                                List<String> diffFields, Boolean transactionEnd) {

    public ChangeEventHeader {
        recordIds = recordIds == null ? List.of() : List.copyOf(recordIds);
        changedFields = changedFields == null ? List.of() : List.copyOf(changedFields);
        nulledFields = nulledFields == null ? List.of() : List.copyOf(nulledFields);
        diffFields = diffFields == null ? List.of() : List.copyOf(diffFields);
        changeType = changeType == null ? ChangeType.UNKNOWN : changeType;
    }
}
