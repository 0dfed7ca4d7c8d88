package io.sfsync.emulator.streaming;

import io.sfsync.emulator.cdc.ChangeEvent;
import io.sfsync.emulator.cdc.ChangeEventBuilder;
import io.sfsync.emulator.cdc.ChangeEventLog;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.SalesforceIds;
import io.sfsync.emulator.model.Schema;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds and appends the events Salesforce sends when it cannot send a normal change event, for the control
 * API's fault injection:
 *
 * <ul>
 *   <li>Gap events ({@code GAP_CREATE}, {@code GAP_UPDATE}, {@code GAP_DELETE}, {@code GAP_UNDELETE}): a change
 *   was made but its field values are not available (event over 1 MB, database-level change, internal error).
 *   The payload is the header only, with the record ids, empty {@code changedFields} and an empty
 *   {@code changeOrigin}; subscribers must re-read the records.</li>
 *   <li>Overflow events ({@code GAP_OVERFLOW}): a transaction changed more than 100,000 records; one event per
 *   entity, with {@code recordIds:["000000000000000AAA"]}; subscribers must re-read the entity.</li>
 * </ul>
 *
 * <p>The events go through the {@link ChangeEventLog} like any other, so they get replay ids, are retained and
 * are delivered to subscribers in order.
 */
public final class GapEvents {

    public static final Set<String> GAP_CHANGE_TYPES = Set.of("GAP_CREATE", "GAP_UPDATE", "GAP_DELETE",
            "GAP_UNDELETE");
    public static final String GAP_OVERFLOW = "GAP_OVERFLOW";

    private GapEvents() {
    }

    /**
     * Appends one gap event for {@code recordIds} of {@code entityName}.
     *
     * @param changeType one of {@link #GAP_CHANGE_TYPES}
     * @param commitUser the 18-character id of the user whose change could not be captured
     */
    public static List<ChangeEvent> appendGap(ChangeEventLog log, Schema schema, Clock clock, String entityName,
                                              String changeType, List<String> recordIds, String commitUser) {
        if (!GAP_CHANGE_TYPES.contains(changeType)) {
            throw new IllegalArgumentException("changeType must be one of " + GAP_CHANGE_TYPES + ", got " + changeType);
        }
        if (recordIds == null || recordIds.isEmpty()) {
            throw new IllegalArgumentException("a gap event needs at least one record id");
        }
        SObjectType type = type(schema, entityName);
        List<String> ids = new ArrayList<>();
        for (String id : recordIds) {
            String normalized = SalesforceIds.normalize(id);
            if (normalized == null) {
                throw new IllegalArgumentException("not a Salesforce id: " + id);
            }
            ids.add(normalized);
        }
        Instant now = clock.instant();
        return log.append(List.of(pending(type, changeType, ids, now, UUID.randomUUID().toString(), 1, commitUser)));
    }

    /** Appends one {@code GAP_OVERFLOW} event per entity, all of one transaction, in the given order. */
    public static List<ChangeEvent> appendOverflow(ChangeEventLog log, Schema schema, Clock clock,
                                                   Collection<String> entityNames, String commitUser) {
        if (entityNames == null || entityNames.isEmpty()) {
            throw new IllegalArgumentException("an overflow needs at least one entity");
        }
        Instant now = clock.instant();
        String transactionKey = UUID.randomUUID().toString();
        List<ChangeEventLog.Pending> pending = new ArrayList<>();
        int sequence = 0;
        for (String name : entityNames) {
            pending.add(pending(type(schema, name), GAP_OVERFLOW, List.of(SalesforceIds.EMPTY_ID), now,
                    transactionKey, ++sequence, commitUser));
        }
        return log.append(pending);
    }

    private static SObjectType type(Schema schema, String entityName) {
        return schema.find(entityName)
                .orElseThrow(() -> new IllegalArgumentException("no such object: " + entityName));
    }

    private static ChangeEventLog.Pending pending(SObjectType type, String changeType, List<String> recordIds,
                                                  Instant now, String transactionKey, int sequence,
                                                  String commitUser) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("entityName", type.name());
        header.put("recordIds", List.copyOf(recordIds));
        header.put("changeType", changeType);
        header.put("changeOrigin", "");
        header.put("transactionKey", transactionKey);
        header.put("sequenceNumber", sequence);
        header.put("commitTimestamp", now.toEpochMilli());
        header.put("commitNumber", commitNumber(now));
        header.put("commitUser", commitUser == null ? "" : commitUser);
        header.put("nulledFields", List.of());
        header.put("diffFields", List.of());
        header.put("changedFields", List.of());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("ChangeEventHeader", header);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("schema", ChangeEventBuilder.schemaId(type));
        data.put("payload", payload);
        return new ChangeEventLog.Pending(type.name(), changeType, List.copyOf(recordIds), now, data);
    }

    /** A system change number in the range real ones have (11-14 digits), growing with time. */
    private static long commitNumber(Instant now) {
        return 10_000_000_000_000L + now.toEpochMilli() % 1_000_000_000_000L * 8
                + ThreadLocalRandom.current().nextInt(8);
    }
}
