package io.sfsync.sink.write;

import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.bulk.BulkIngestResult;
import io.sfsync.salesforce.bulk.BulkRecordOutcome;
import io.sfsync.salesforce.error.RecordRejectedException;
import io.sfsync.salesforce.error.RetriableSalesforceException;
import io.sfsync.salesforce.write.RecordError;
import io.sfsync.salesforce.write.SObjectRecord;
import io.sfsync.salesforce.write.SaveOutcome;
import io.sfsync.salesforce.write.WriteOptions;
import io.sfsync.sink.mapping.WriteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The write policy: turns the writes of one {@code put()} into as few counted Salesforce calls as possible while
 * keeping every record's changes in order.
 *
 * <ul>
 *   <li>Writes are grouped by object and operation (upsert by External ID, update by Id, delete), sent through
 *       sObject Collections ({@code allOrNone=false}, at most {@code maxBatch} records per call), or through a
 *       Bulk API 2.0 job when a group holds at least {@code bulkThreshold} records.</li>
 *   <li>Order: writes are cut into segments; a segment ends where a record already in it comes again with another
 *       operation (upsert, then delete of the same key), so the earlier write is made first. The same record again
 *       with the same operation is coalesced into one write (later field values win), answered for both.</li>
 *   <li>Deletes of rows whose Salesforce Id is unknown look the Ids up by External ID (one query per 200 keys);
 *       {@code ENTITY_IS_DELETED}, {@code NOT_FOUND}, {@code INVALID_CROSS_REFERENCE_KEY} and a key that matches
 *       nothing count as done.</li>
 *   <li>Nothing waits for more records: what it is given is written at once.</li>
 * </ul>
 *
 * A write that still fails transiently after the client's own retries ends the call with a
 * {@link RetriableSalesforceException}; every write here is idempotent, so the caller may redeliver all of them.
 */
public final class BatchingWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingWriter.class);
    static final Set<String> DELETE_DONE_CODES = Set.of("ENTITY_IS_DELETED", "NOT_FOUND",
            "INVALID_CROSS_REFERENCE_KEY");
    private static final int KEYS_PER_QUERY = 200;

    /** The result for one input write, in its position. */
    public record Outcome(int index, boolean success, String errorCode, String errorMessage) {
        static Outcome ok(int index) {
            return new Outcome(index, true, null, null);
        }
    }

    private final Supplier<SalesforceClient> client;
    private final Function<String, String> externalIdField;
    private final Map<String, String> externalIdFieldByObject = new HashMap<>();
    private final int maxBatch;
    private final int bulkThreshold;
    private final ExecutorService executor;
    private final WriteOptions options = WriteOptions.defaults().withAllOrNone(false);

    /**
     * @param externalIdField the External ID field's API name for an object
     */
    public BatchingWriter(Supplier<SalesforceClient> client, Function<String, String> externalIdField,
                          int maxBatch, int bulkThreshold) {
        this(client, externalIdField, maxBatch, bulkThreshold, null);
    }

    /**
     * @param executor runs the calls of one group concurrently (its size is the concurrency); null for one at a time
     */
    public BatchingWriter(Supplier<SalesforceClient> client, Function<String, String> externalIdField,
                          int maxBatch, int bulkThreshold, ExecutorService executor) {
        this.executor = executor;
        this.client = Objects.requireNonNull(client, "client");
        this.externalIdField = Objects.requireNonNull(externalIdField, "externalIdField");
        this.maxBatch = maxBatch;
        this.bulkThreshold = bulkThreshold;
    }

    /** Writes them all; one outcome per input write, in input order. */
    public List<Outcome> write(List<WriteRequest> writes) {
        Outcome[] out = new Outcome[writes.size()];
        Segment segment = new Segment();
        for (int i = 0; i < writes.size(); i++) {
            WriteRequest w = writes.get(i);
            if (!segment.accepts(w)) {
                segment.execute(out);
                segment = new Segment();
            }
            segment.add(i, w);
        }
        segment.execute(out);
        return List.of(out);
    }

    private String extIdField(String object) {
        return externalIdFieldByObject.computeIfAbsent(object, externalIdField);
    }

    private record GroupKey(String object, WriteRequest.Kind kind) {
    }

    /** One record's coalesced write and the input positions it answers for. */
    private static final class Slot {
        final List<Integer> indices = new ArrayList<>();
        WriteRequest write;
        final Map<String, Object> fields = new LinkedHashMap<>();
        final java.util.Set<String> parents = new java.util.HashSet<>();

        Slot(WriteRequest w) {
            this.write = w;
        }

        void merge(int index, WriteRequest w) {
            indices.add(index);
            fields.putAll(w.fields());
            parents.addAll(w.parents());
            if (w.sfid() != null) {
                write = w;
            }
        }
    }

    private final class Segment {
        private final Map<GroupKey, Map<String, Slot>> groups = new LinkedHashMap<>();
        private final Map<String, GroupKey> groupOfRecord = new HashMap<>();

        /**
         * Groups in first-seen order, except that where writes reference other objects of the segment by External
         * ID, parents are saved before their children and children deleted before their parents.
         */
        List<Map.Entry<GroupKey, Map<String, Slot>>> inParentOrder() {
            Map<String, java.util.Set<String>> parentsOf = new HashMap<>();
            for (Map.Entry<GroupKey, Map<String, Slot>> e : groups.entrySet()) {
                for (Slot slot : e.getValue().values()) {
                    parentsOf.computeIfAbsent(e.getKey().object(), k -> new java.util.HashSet<>())
                            .addAll(slot.parents);
                }
            }
            Map<String, Integer> depth = new HashMap<>();
            for (String object : parentsOf.keySet()) {
                depth(object, parentsOf, depth, new java.util.HashSet<>());
            }
            int max = depth.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            List<Map.Entry<GroupKey, Map<String, Slot>>> ordered = new ArrayList<>(groups.entrySet());
            ordered.sort(java.util.Comparator.comparingInt(e -> {
                int d = depth.getOrDefault(e.getKey().object(), 0);
                return e.getKey().kind() == WriteRequest.Kind.DELETE ? max - d : d;
            }));
            return ordered;
        }

        private int depth(String object, Map<String, java.util.Set<String>> parentsOf, Map<String, Integer> depth,
                          java.util.Set<String> visiting) {
            Integer known = depth.get(object);
            if (known != null) {
                return known;
            }
            if (!visiting.add(object)) {
                return 0; // a cycle (self lookups, mutual references): no order to impose
            }
            int d = 0;
            for (String parent : parentsOf.getOrDefault(object, java.util.Set.of())) {
                if (!parent.equals(object) && parentsOf.containsKey(parent)) {
                    d = Math.max(d, 1 + depth(parent, parentsOf, depth, visiting));
                }
            }
            depth.put(object, d);
            return d;
        }

        boolean accepts(WriteRequest w) {
            GroupKey g = groupOfRecord.get(w.recordIdentity());
            return g == null || g.equals(new GroupKey(w.object(), w.kind()));
        }

        void add(int index, WriteRequest w) {
            GroupKey g = new GroupKey(w.object(), w.kind());
            groupOfRecord.put(w.recordIdentity(), g);
            groups.computeIfAbsent(g, k -> new LinkedHashMap<>())
                    .computeIfAbsent(w.recordIdentity(), k -> new Slot(w))
                    .merge(index, w);
        }

        void execute(Outcome[] out) {
            for (Map.Entry<GroupKey, Map<String, Slot>> e : inParentOrder()) {
                List<Slot> slots = new ArrayList<>(e.getValue().values());
                GroupKey g = e.getKey();
                switch (g.kind()) {
                    case UPSERT -> save(g, slots, out);
                    case UPDATE -> save(g, slots, out);
                    case DELETE -> delete(g.object(), slots, out);
                }
            }
        }
    }

    // -------------------------------------------------------------------------------------------- upsert/update

    private void save(GroupKey g, List<Slot> slots, Outcome[] out) {
        boolean bulk = bulkThreshold > 0 && slots.size() >= bulkThreshold;
        String ext = extIdField(g.object());
        if (bulk) {
            List<Map<String, Object>> rows = new ArrayList<>(slots.size());
            for (Slot s : slots) {
                rows.add(flattenRelationships(fieldsOf(g.kind(), s)));
            }
            LOG.debug("{} {} records of {} through Bulk API 2.0", g.kind(), rows.size(), g.object());
            BulkIngestResult result = g.kind() == WriteRequest.Kind.UPSERT
                    ? client.get().bulk().upsert(g.object(), ext, rows)
                    : client.get().bulk().update(g.object(), rows);
            for (BulkRecordOutcome o : result.outcomes()) {
                Slot s = slots.get(o.index());
                if (o.status() == BulkRecordOutcome.Status.UNPROCESSED || o.retriable()) {
                    throw transientFailure(g, o.statusCode());
                }
                answer(s, o.success(), o.errors(), out, false);
            }
            return;
        }
        List<List<Slot>> chunks = new ArrayList<>();
        for (int from = 0; from < slots.size(); from += maxBatch) {
            chunks.add(slots.subList(from, Math.min(slots.size(), from + maxBatch)));
        }
        // Each record appears once in a group, so its chunks may go out concurrently without reordering anything.
        List<Callable<List<SaveOutcome>>> calls = new ArrayList<>(chunks.size());
        for (List<Slot> chunk : chunks) {
            List<SObjectRecord> records = new ArrayList<>(chunk.size());
            for (Slot s : chunk) {
                records.add(SObjectRecord.of(g.object(), fieldsOf(g.kind(), s)));
            }
            calls.add(() -> g.kind() == WriteRequest.Kind.UPSERT
                    ? client.get().collections().upsert(g.object(), ext, records, options)
                    : client.get().collections().update(records, options));
        }
        List<Object> results = runAll(calls);
        for (int c = 0; c < chunks.size(); c++) {
            List<Slot> chunk = chunks.get(c);
            if (results.get(c) instanceof RecordRejectedException e) {
                rejectAll(chunk, e, out);
                continue;
            }
            @SuppressWarnings("unchecked")
            List<SaveOutcome> outcomes = (List<SaveOutcome>) results.get(c);
            for (SaveOutcome o : outcomes) {
                if (o.retriable()) {
                    throw transientFailure(g, o.statusCode());
                }
                answer(chunk.get(o.index()), o.success(), o.errors(), out, false);
            }
        }
    }

    /**
     * Runs the calls, concurrently when there is an executor and more than one; returns each call's result or its
     * {@link RecordRejectedException}, in order. Any other failure is rethrown (the first one, in call order).
     */
    private List<Object> runAll(List<Callable<List<SaveOutcome>>> calls) {
        List<Object> results = new ArrayList<>(calls.size());
        if (executor == null || calls.size() == 1) {
            for (Callable<List<SaveOutcome>> call : calls) {
                try {
                    results.add(call.call());
                } catch (RecordRejectedException e) {
                    results.add(e);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return results;
        }
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        List<Future<List<SaveOutcome>>> futures = new ArrayList<>(calls.size());
        for (Callable<List<SaveOutcome>> call : calls) {
            futures.add(executor.submit(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                try {
                    return call.call();
                } finally {
                    MDC.clear();
                }
            }));
        }
        RuntimeException failure = null;
        for (Future<List<SaveOutcome>> f : futures) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordRejectedException r) {
                    results.add(r);
                } else if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                futures.forEach(other -> other.cancel(true));
                Thread.currentThread().interrupt();
                throw new org.apache.kafka.connect.errors.ConnectException("Interrupted while writing", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    private static Map<String, Object> fieldsOf(WriteRequest.Kind kind, Slot s) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (kind == WriteRequest.Kind.UPDATE) {
            fields.put("Id", s.write.sfid());
        }
        fields.putAll(s.fields);
        return fields;
    }

    /** Bulk CSV names a parent by External ID as a {@code Account.External_Id__c} column. */
    static Map<String, Object> flattenRelationships(Map<String, Object> fields) {
        Map<String, Object> flat = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (value instanceof Map<?, ?> ref) {
                ref.forEach((k, v) -> flat.put(name + "." + k, v));
            } else {
                flat.put(name, value);
            }
        });
        return flat;
    }

    // -------------------------------------------------------------------------------------------- delete

    private void delete(String object, List<Slot> slots, Outcome[] out) {
        Map<String, String> idByKey = lookUpIds(object, slots.stream().filter(s -> s.write.sfid() == null)
                .map(s -> s.write.key()).toList());
        List<Slot> toDelete = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Slot s : slots) {
            String id = s.write.sfid() != null ? s.write.sfid() : idByKey.get(s.write.key());
            if (id == null) {
                answer(s, true, List.of(), out, true); // nothing holds that key: already gone
            } else {
                toDelete.add(s);
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        if (bulkThreshold > 0 && ids.size() >= bulkThreshold) {
            BulkIngestResult result = client.get().bulk().delete(object, ids);
            for (BulkRecordOutcome o : result.outcomes()) {
                if (o.status() == BulkRecordOutcome.Status.UNPROCESSED || o.retriable()) {
                    throw transientFailure(new GroupKey(object, WriteRequest.Kind.DELETE), o.statusCode());
                }
                answer(toDelete.get(o.index()), o.success(), o.errors(), out, true);
            }
            return;
        }
        for (int from = 0; from < ids.size(); from += maxBatch) {
            int to = Math.min(ids.size(), from + maxBatch);
            List<SaveOutcome> outcomes;
            try {
                outcomes = client.get().collections().delete(ids.subList(from, to), options);
            } catch (RecordRejectedException e) {
                rejectAll(toDelete.subList(from, to), e, out);
                continue;
            }
            for (SaveOutcome o : outcomes) {
                if (o.retriable()) {
                    throw transientFailure(new GroupKey(object, WriteRequest.Kind.DELETE), o.statusCode());
                }
                answer(toDelete.get(from + o.index()), o.success(), o.errors(), out, true);
            }
        }
    }

    private Map<String, String> lookUpIds(String object, List<String> keys) {
        Map<String, String> ids = new HashMap<>();
        if (keys.isEmpty()) {
            return ids;
        }
        String ext = extIdField(object);
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            StringBuilder in = new StringBuilder();
            for (String k : keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY))) {
                in.append(in.length() == 0 ? "" : ",").append('\'').append(soqlEscape(k)).append('\'');
            }
            String soql = "SELECT Id, " + ext + " FROM " + object + " WHERE " + ext + " IN (" + in + ")";
            client.get().query().query(soql).forEachRemaining(row -> ids.put(row.path(ext).asText(),
                    row.path("Id").asText()));
        }
        return ids;
    }

    static String soqlEscape(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }

    // -------------------------------------------------------------------------------------------- outcomes

    private static void answer(Slot s, boolean success, List<RecordError> errors, Outcome[] out, boolean delete) {
        boolean done = success || (delete && !errors.isEmpty()
                && DELETE_DONE_CODES.contains(errors.get(0).statusCode()));
        for (int i : s.indices) {
            out[i] = done ? Outcome.ok(i) : new Outcome(i, false, code(errors), message(errors));
        }
    }

    private static void rejectAll(List<Slot> slots, RecordRejectedException e, Outcome[] out) {
        String code = e.errorCode() != null ? e.errorCode() : "HTTP_" + e.httpStatus();
        for (Slot s : slots) {
            for (int i : s.indices) {
                out[i] = new Outcome(i, false, code, e.getMessage());
            }
        }
    }

    private static String code(List<RecordError> errors) {
        return errors.isEmpty() ? "UNKNOWN_ERROR" : errors.get(0).statusCode();
    }

    private static String message(List<RecordError> errors) {
        if (errors.isEmpty()) {
            return "rejected without an error";
        }
        RecordError e = errors.get(0);
        return e.fields().isEmpty() ? e.message() : e.message() + " " + e.fields();
    }

    private static RetriableSalesforceException transientFailure(GroupKey g, String code) {
        return new RetriableSalesforceException(g.kind() + " of " + g.object() + " still failing transiently ("
                + code + ") after retries", 0, List.of(), null);
    }
}
