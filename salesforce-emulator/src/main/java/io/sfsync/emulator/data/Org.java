package io.sfsync.emulator.data;

import io.sfsync.emulator.cdc.ChangeEventLog;
import io.sfsync.emulator.faults.Faults;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.SalesforceIds;
import io.sfsync.emulator.model.Schema;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The org's data: one table per sObject type, written only through {@link Transaction}s, one at a time (as
 * record locks serialise conflicting writes in Salesforce), and read lock-free from immutable snapshots.
 *
 * <p>Tables are ordered by id; ids are generated with a fixed-width base-62 counter whose character order is
 * ASCII order, so id order is creation order, which is what queries without ORDER BY return.
 */
public final class Org implements RecordSource {

    /** The middle characters of generated ids, standing for the "pod" part of real ids. */
    static final String POD = "5e";

    private final Schema schema;
    private final Clock clock;
    private final String orgId;
    private final ChangeEventLog events;
    private final Faults faults;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final ThreadLocal<Transaction> current = new ThreadLocal<>();
    private final Map<String, ConcurrentSkipListMap<String, StoredRecord>> tables = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> idSequences = new ConcurrentHashMap<>();
    /** External id and unique field indexes: "Type.Field" -> normalised value -> ids. Built on first use. */
    private final Map<String, Map<Object, Set<String>>> indexes = new ConcurrentHashMap<>();
    /** Children deleted by cascade, by the id of the parent whose delete took them, for undelete. */
    private final Map<String, List<String>> cascadedChildren = new ConcurrentHashMap<>();
    private final List<TriggerRule> triggerRules = new CopyOnWriteArrayList<>();
    private final Set<String> changeEventEntities = ConcurrentHashMap.newKeySet();
    private final AtomicLong commitNumber = new AtomicLong(11_640_258_965_714L);
    private final WriteStats writeStats = new WriteStats();

    public Org(Schema schema, Clock clock, String orgId, ChangeEventLog events, Faults faults) {
        this.schema = schema;
        this.clock = clock;
        this.orgId = orgId;
        this.events = events;
        this.faults = faults;
        for (SObjectType t : schema.all()) {
            if (t.changeEventsEnabledByDefault()) {
                changeEventEntities.add(t.name());
            }
        }
    }

    public Schema schema() { return schema; }
    public Clock clock() { return clock; }
    public String orgId() { return orgId; }
    public ChangeEventLog events() { return events; }
    public Faults faults() { return faults; }
    public WriteStats writeStats() { return writeStats; }

    /**
     * Runs {@code work} in a transaction and commits it unless it was marked rollback-only. A call made while a
     * transaction is already open on this thread joins it (composite requests with allOrNone share one).
     */
    public <T> T write(WriteContext ctx, Function<Transaction, T> work) {
        Transaction open = current.get();
        if (open != null) {
            return work.apply(open);
        }
        writeLock.lock();
        try {
            Transaction tx = new Transaction(this, ctx, clock.instant());
            current.set(tx);
            try {
                T result = work.apply(tx);
                if (!tx.rollbackOnly()) {
                    tx.commit();
                }
                return result;
            } finally {
                current.remove();
            }
        } finally {
            writeLock.unlock();
        }
    }

    // ---- reads ----

    /**
     * Records of a type in id (creation) order. Inside an open transaction on this thread (a composite request),
     * the transaction's own uncommitted writes are visible, as they are to later statements of an Apex transaction.
     */
    @Override
    public Stream<StoredRecord> records(SObjectType type, boolean includeDeleted) {
        Transaction tx = current.get();
        Collection<StoredRecord> rows = tx == null ? table(type.name()).values() : tx.overlay(type, table(type.name()));
        Stream<StoredRecord> all = rows.stream();
        return includeDeleted ? all : all.filter(r -> !r.deleted());
    }

    /** A record by id, seeing the open transaction's writes like {@link #records}. */
    @Override
    public Optional<StoredRecord> byId(String id18) {
        Transaction tx = current.get();
        return tx == null ? committed(id18) : tx.read(id18);
    }

    /** A committed record by id, ignoring any open transaction. */
    Optional<StoredRecord> committed(String id18) {
        if (id18 == null) {
            return Optional.empty();
        }
        return schema.typeOfId(id18).map(t -> table(t.name()).get(id18));
    }

    public Collection<StoredRecord> allRecords(SObjectType type) {
        return table(type.name()).values();
    }

    public long count(SObjectType type) {
        return table(type.name()).values().stream().filter(r -> !r.deleted()).count();
    }

    /** Ids of live records whose indexed field equals {@code value} (case-insensitive unless the field is not). */
    public Set<String> lookup(SObjectType type, FieldDef field, Object value) {
        return Set.copyOf(index(type, field).getOrDefault(indexKey(field, value), Set.of()));
    }

    /**
     * Puts a record in place with a given id, without validation or change events: for seeding org data that
     * exists before any client connects (the users).
     */
    public void seedRecord(String typeName, String id, Map<String, Object> values, WriteContext ctx) {
        SObjectType type = schema.find(typeName).orElseThrow();
        Map<String, Object> v = new java.util.LinkedHashMap<>(values);
        java.time.Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        v.put("IsDeleted", false);
        v.put("CreatedDate", now);
        v.put("CreatedById", ctx.userId());
        v.put("LastModifiedDate", now);
        v.put("LastModifiedById", ctx.userId());
        v.put("SystemModstamp", now);
        writeLock.lock();
        try {
            apply(null, new StoredRecord(type, id, v, false), false);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Deletes the stored values of fields an admin removed, without change events (Salesforce publishes none for
     * a field deletion). Returns how many records held a value.
     */
    public int purgeFieldValues(SObjectType type, List<String> fieldNames) {
        writeLock.lock();
        try {
            int n = 0;
            for (StoredRecord r : List.copyOf(table(type.name()).values())) {
                if (fieldNames.stream().noneMatch(r.storedValues()::containsKey)) {
                    continue;
                }
                Map<String, Object> values = new java.util.LinkedHashMap<>(r.storedValues());
                fieldNames.forEach(values::remove);
                table(type.name()).put(r.id(), r.withValues(values));
                n++;
            }
            dropIndexes(type);
            return n;
        } finally {
            writeLock.unlock();
        }
    }

    // ---- change event entity selection and trigger rules ----

    public Set<String> changeEventEntities() {
        return Set.copyOf(changeEventEntities);
    }

    public void setChangeEventEntities(Collection<String> entityNames) {
        changeEventEntities.clear();
        changeEventEntities.addAll(entityNames);
    }

    public void enableChangeEvents(String entityName, boolean enabled) {
        if (enabled) {
            changeEventEntities.add(entityName);
        } else {
            changeEventEntities.remove(entityName);
        }
    }

    public List<TriggerRule> triggerRules() {
        return List.copyOf(triggerRules);
    }

    public void addTriggerRule(TriggerRule rule) {
        triggerRules.add(rule);
    }

    public boolean removeTriggerRule(String id) {
        return triggerRules.removeIf(r -> r.id().equals(id));
    }

    // ---- package-private plumbing for Transaction ----

    ConcurrentSkipListMap<String, StoredRecord> table(String typeName) {
        return tables.computeIfAbsent(typeName, k -> new ConcurrentSkipListMap<>());
    }

    String newId(SObjectType type) {
        long n = idSequences.computeIfAbsent(type.keyPrefix(), k -> new AtomicLong(1_000)).incrementAndGet();
        return SalesforceIds.newId(type.keyPrefix(), POD, n);
    }

    long nextCommitNumber() {
        return commitNumber.addAndGet(1 + (long) (Math.random() * 1000));
    }

    Map<String, List<String>> cascadedChildren() {
        return cascadedChildren;
    }

    Map<Object, Set<String>> index(SObjectType type, FieldDef field) {
        String key = type.name() + "." + field.name();
        return indexes.computeIfAbsent(key, k -> {
            Map<Object, Set<String>> idx = new ConcurrentHashMap<>();
            for (StoredRecord r : table(type.name()).values()) {
                if (!r.deleted()) {
                    Object v = r.get(field.name());
                    if (v != null) {
                        idx.computeIfAbsent(indexKey(field, v), x -> ConcurrentHashMap.newKeySet()).add(r.id());
                    }
                }
            }
            return idx;
        });
    }

    /** Forgets indexes of a type (its fields changed), so they are rebuilt from the table on next use. */
    public void dropIndexes(SObjectType type) {
        indexes.keySet().removeIf(k -> k.startsWith(type.name() + "."));
    }

    boolean isIndexed(FieldDef f) {
        return f.externalId() || f.unique();
    }

    /** Applies one committed snapshot to its table and keeps the indexes in step. */
    void apply(StoredRecord before, StoredRecord after, boolean hardDelete) {
        SObjectType type = after.type();
        for (FieldDef f : type.fields()) {
            if (!isIndexed(f) || !indexes.containsKey(type.name() + "." + f.name())) {
                continue;
            }
            Map<Object, Set<String>> idx = index(type, f);
            Object oldValue = before == null || before.deleted() ? null : before.get(f.name());
            Object newValue = after.deleted() || hardDelete ? null : after.get(f.name());
            if (oldValue != null) {
                Set<String> ids = idx.get(indexKey(f, oldValue));
                if (ids != null) {
                    ids.remove(after.id());
                }
            }
            if (newValue != null) {
                idx.computeIfAbsent(indexKey(f, newValue), x -> ConcurrentHashMap.newKeySet()).add(after.id());
            }
        }
        if (hardDelete) {
            table(type.name()).remove(after.id());
        } else {
            table(type.name()).put(after.id(), after);
        }
    }

    static Object indexKey(FieldDef f, Object value) {
        if (value instanceof String s) {
            return f.caseSensitive() ? s : s.toLowerCase(Locale.ROOT);
        }
        if (value instanceof BigDecimal n) {
            return n.stripTrailingZeros();
        }
        return value;
    }

    boolean changeEventsEnabled(String entityName) {
        return changeEventEntities.contains(entityName);
    }
}
