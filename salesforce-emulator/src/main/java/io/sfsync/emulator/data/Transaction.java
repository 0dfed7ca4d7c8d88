package io.sfsync.emulator.data;

import io.sfsync.emulator.cdc.ChangeEventBuilder;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.SalesforceIds;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One database transaction: record writes are validated, staged, and applied together on commit, which also
 * publishes their change events. A failed record stages nothing (a per-record savepoint), so a partial-success
 * call simply skips it; an all-or-none call marks the transaction rollback-only and nothing is applied.
 *
 * <p>Input values are plain Java (null, String, Boolean, BigDecimal, or a Map for a relationship reference such
 * as {@code "Account": {"External_Id__c": "A-1"}}), keyed by field name in any case.
 */
public final class Transaction {

    private final Org org;
    private final WriteContext ctx;
    /** Salesforce stores datetimes at second precision. */
    private final Instant now;
    private final Map<String, StoredRecord> before = new LinkedHashMap<>();
    private final Map<String, StoredRecord> staged = new LinkedHashMap<>();
    private final Set<String> hardDeleted = new LinkedHashSet<>();
    /**
     * The staged records' values of indexed (External ID and unique) fields: "Type.Field" -> index key -> ids, in
     * staging order, kept in step by {@link #stage}. Upserts and unique checks look keys up here instead of
     * scanning every staged record, which made a 200-record collections upsert quadratic.
     */
    private final Map<String, Map<Object, Set<String>>> stagedIndex = new HashMap<>();
    private boolean rollbackOnly;

    Transaction(Org org, WriteContext ctx, Instant now) {
        this.org = org;
        this.ctx = ctx;
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
    }

    public WriteContext context() {
        return ctx;
    }

    public void setRollbackOnly() {
        rollbackOnly = true;
    }

    public boolean rollbackOnly() {
        return rollbackOnly;
    }

    /** A record as this transaction sees it (its own staged writes included). */
    public Optional<StoredRecord> read(String id18) {
        StoredRecord s = staged.get(id18);
        return s != null ? Optional.of(s) : org.committed(id18);
    }

    /** The committed rows of a type with this transaction's staged writes laid over them, in id order. */
    java.util.Collection<StoredRecord> overlay(SObjectType type, java.util.SortedMap<String, StoredRecord> committed) {
        if (staged.values().stream().noneMatch(r -> r.type() == type)) {
            return committed.values();
        }
        java.util.TreeMap<String, StoredRecord> merged = new java.util.TreeMap<>(committed);
        staged.values().stream().filter(r -> r.type() == type).forEach(r -> merged.put(r.id(), r));
        return merged.values();
    }

    public SObjectType type(String typeName) {
        return org.schema().find(typeName).orElseThrow(() -> ApiException.invalidType(typeName));
    }

    // ---------------------------------------------------------------- insert

    public DmlResult insert(String typeName, Map<String, Object> input) {
        SObjectType type = type(typeName);
        Map<String, Object> values = new LinkedHashMap<>();
        List<ApiError> errors = new ArrayList<>();
        Set<String> given = convertInput(type, input, true, values, errors);
        if (!errors.isEmpty()) {
            return DmlResult.failed(null, errors);
        }
        applyDefaults(type, values, given);
        // An insert locks the parent records it looks up (the account of a contact, the owner), which is where
        // Salesforce's UNABLE_TO_LOCK_ROW on insert comes from.
        Optional<ApiError> lock = injectedLockFailure(lockedParentOf(type, values));
        if (lock.isPresent()) {
            return DmlResult.failed(null, lock.get());
        }
        String id = org.newId(type);
        if (type.hasField("OwnerId") && values.get("OwnerId") == null) {
            values.put("OwnerId", ctx.userId());
        }
        values.put("IsDeleted", false);
        values.put("CreatedDate", now);
        values.put("CreatedById", ctx.userId());
        values.put("LastModifiedDate", now);
        values.put("LastModifiedById", ctx.userId());
        values.put("SystemModstamp", now);
        applyBuiltInBehaviour(type, null, values, given);
        applyTriggerRules(type, null, values);
        Optional<ApiError> invalid = checkRequired(type, values).or(() -> checkReferences(type, values, given))
                .or(() -> checkUnique(type, id, values));
        if (invalid.isPresent()) {
            return DmlResult.failed(null, invalid.get());
        }
        stage(null, new StoredRecord(type, id, values, false));
        return DmlResult.ok(id);
    }

    // ---------------------------------------------------------------- update

    /** Updates a record by id. An unknown id fails with INVALID_CROSS_REFERENCE_KEY, a deleted one with ENTITY_IS_DELETED. */
    public DmlResult update(String id, Map<String, Object> input) {
        Resolved r = resolveExisting(id, "Id");
        if (r.error != null) {
            return DmlResult.failed(null, r.error);
        }
        return updateRecord(r.record, input, null);
    }

    private DmlResult updateRecord(StoredRecord current, Map<String, Object> input, Boolean createdFlag) {
        SObjectType type = current.type();
        Optional<ApiError> lock = injectedLockFailure(current.id());
        if (lock.isPresent()) {
            return DmlResult.failed(current.id(), lock.get());
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        List<ApiError> errors = new ArrayList<>();
        Set<String> given = convertInput(type, input, false, changes, errors);
        if (!errors.isEmpty()) {
            return DmlResult.failed(current.id(), errors);
        }
        Map<String, Object> values = new LinkedHashMap<>(current.storedValues());
        values.putAll(changes);
        values.put("LastModifiedDate", now);
        values.put("LastModifiedById", ctx.userId());
        values.put("SystemModstamp", now);
        applyBuiltInBehaviour(type, current.storedValues(), values, given);
        applyTriggerRules(type, current.storedValues(), values);
        Optional<ApiError> invalid = checkRequired(type, values).or(() -> checkReferences(type, values, given))
                .or(() -> checkUnique(type, current.id(), values));
        if (invalid.isPresent()) {
            return DmlResult.failed(current.id(), invalid.get());
        }
        stage(current, current.withValues(values));
        return createdFlag == null ? DmlResult.ok(current.id()) : DmlResult.upserted(current.id(), createdFlag);
    }

    // ---------------------------------------------------------------- upsert

    /** The outcome of matching an upsert key: none, one record, or several (HTTP 300 on REST). */
    public record UpsertMatch(List<String> ids) {
    }

    /**
     * Upserts by an external id field (or {@code Id}). The key value comes from {@code keyValue} when given (the
     * REST URL form), else from the record body (collections and Bulk). Several matches fail with
     * DUPLICATE_EXTERNAL_ID; callers that answer 300 check {@link #matchExternalId} first.
     */
    public DmlResult upsert(String typeName, String externalIdField, String keyValue, Map<String, Object> input) {
        SObjectType type = type(typeName);
        FieldDef key = upsertKeyField(type, externalIdField);
        Map<String, Object> body = new LinkedHashMap<>(input);
        Object value = keyValue;
        if (value == null) {
            String bodyKey = body.keySet().stream().filter(k -> k.equalsIgnoreCase(key.name())).findFirst().orElse(null);
            value = bodyKey == null ? null : body.get(bodyKey);
        } else {
            body.keySet().removeIf(k -> k.equalsIgnoreCase(key.name()));
            body.put(key.name(), keyValue);
        }
        if (value == null || String.valueOf(value).isEmpty()) {
            return DmlResult.failed(null, ApiError.of("MISSING_ARGUMENT",
                    key.name() + " not specified", key.name()));
        }
        List<String> matches = matchExternalId(type, key, value);
        if (matches.size() > 1) {
            return DmlResult.failed(null, ApiError.of("DUPLICATE_EXTERNAL_ID", key.label()
                    + ": more than one record found for external id field: " + matches, key.name()));
        }
        if (matches.isEmpty()) {
            if (key.name().equals("Id")) {
                return DmlResult.failed(null, ApiError.of("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"));
            }
            DmlResult r = insert(type.name(), body);
            return r.success() ? DmlResult.upserted(r.id(), true) : r;
        }
        StoredRecord existing = read(matches.get(0)).orElseThrow();
        body.keySet().removeIf(k -> k.equalsIgnoreCase(key.name()) || k.equalsIgnoreCase("Id"));
        return updateRecord(existing, body, false);
    }

    /** Live records whose external id field equals {@code value}, this transaction's writes included. */
    public List<String> matchExternalId(SObjectType type, FieldDef key, Object value) {
        if (key.name().equals("Id")) {
            String id = SalesforceIds.normalize(String.valueOf(value));
            return id != null && read(id).filter(r -> !r.deleted()).isPresent() ? List.of(id) : List.of();
        }
        Object converted;
        try {
            converted = FieldValues.convert(key, value, type.label());
        } catch (FieldValues.InvalidValue e) {
            return List.of();
        }
        Object wanted = Org.indexKey(key, converted);
        Set<String> ids = new LinkedHashSet<>();
        // Committed matches, unless this transaction has staged another version of the record: that version
        // decides (it may have changed the key or been deleted).
        for (String id : org.lookup(type, key, converted)) {
            if (!staged.containsKey(id)) {
                ids.add(id);
            }
        }
        if (org.isIndexed(key)) {
            ids.addAll(stagedIndex.getOrDefault(indexName(type, key), Map.of()).getOrDefault(wanted, Set.of()));
        } else {
            for (StoredRecord s : staged.values()) {
                Object v = s.type() == type && !s.deleted() ? s.get(key.name()) : null;
                if (v != null && Org.indexKey(key, v).equals(wanted)) {
                    ids.add(s.id());
                }
            }
        }
        return List.copyOf(ids);
    }

    private static String indexName(SObjectType type, FieldDef field) {
        return type.name() + "." + field.name();
    }

    /** The field an upsert keys on: must be Id or an External ID field. */
    public FieldDef upsertKeyField(SObjectType type, String fieldName) {
        FieldDef f = type.field(fieldName).orElseThrow(ApiException::notFound);
        if (!f.name().equals("Id") && !f.externalId()) {
            throw new ApiException(400, ApiError.of("INVALID_FIELD",
                    "Field " + f.name() + " is not an External ID or Id field", f.name()));
        }
        return f;
    }

    // ---------------------------------------------------------------- delete / undelete

    public DmlResult delete(String id) {
        Resolved r = resolveExisting(id, "Id");
        if (r.error != null) {
            return DmlResult.failed(null, r.error);
        }
        Optional<ApiError> lock = injectedLockFailure(r.record.id());
        if (lock.isPresent()) {
            return DmlResult.failed(r.record.id(), lock.get());
        }
        markDeleted(r.record);
        return DmlResult.ok(r.record.id());
    }

    /** Deletes for good, skipping the recycle bin (Bulk API hardDelete). */
    public DmlResult hardDelete(String id) {
        DmlResult r = delete(id);
        if (r.success()) {
            hardDeleted.add(r.id());
        }
        return r;
    }

    private void markDeleted(StoredRecord record) {
        stage(record, withAudit(record.withDeleted(true)));
        // Cascade to children whose lookup is master-detail-like (Contact and Opportunity under Account).
        List<String> children = new ArrayList<>();
        for (var childType : org.schema().all()) {
            for (FieldDef f : childType.fields()) {
                if (f.cascadeDelete() && f.referenceTo().contains(record.type().name())) {
                    org.records(childType, false)
                            .map(c -> read(c.id()).orElse(c))
                            .filter(c -> !c.deleted() && record.id().equals(c.get(f.name())))
                            .forEach(c -> {
                                children.add(c.id());
                                markDeleted(c);
                            });
                }
            }
        }
        if (!children.isEmpty()) {
            org.cascadedChildren().put(record.id(), children);
        }
    }

    public DmlResult undelete(String id) {
        String id18 = SalesforceIds.normalize(id);
        Optional<StoredRecord> r = id18 == null ? Optional.empty() : read(id18);
        if (id18 == null) {
            return DmlResult.failed(null, ApiError.of("MALFORMED_ID", "malformed id " + id));
        }
        if (r.isEmpty()) {
            return DmlResult.failed(null, ApiError.of("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"));
        }
        if (!r.get().deleted()) {
            return DmlResult.failed(id18, ApiError.of("UNDELETE_FAILED", "Entity is not in the recycle bin"));
        }
        stage(r.get(), withAudit(r.get().withDeleted(false)));
        List<String> children = org.cascadedChildren().remove(id18);
        if (children != null) {
            for (String child : children) {
                read(child).filter(StoredRecord::deleted).ifPresent(c -> stage(c, withAudit(c.withDeleted(false))));
            }
        }
        return DmlResult.ok(id18);
    }

    private StoredRecord withAudit(StoredRecord r) {
        Map<String, Object> v = new LinkedHashMap<>(r.storedValues());
        v.put("LastModifiedDate", now);
        v.put("LastModifiedById", ctx.userId());
        v.put("SystemModstamp", now);
        return r.withValues(v);
    }

    // ---------------------------------------------------------------- shared steps

    private record Resolved(StoredRecord record, ApiError error) {
    }

    private Resolved resolveExisting(String rawId, String fieldName) {
        String id18 = SalesforceIds.normalize(rawId);
        if (id18 == null) {
            return new Resolved(null, ApiError.of("MALFORMED_ID", "malformed id " + rawId));
        }
        Optional<StoredRecord> r = read(id18);
        if (r.isEmpty()) {
            if (org.schema().typeOfId(id18).isEmpty()) {
                return new Resolved(null, ApiError.of("MALFORMED_ID", "malformed id " + rawId));
            }
            return new Resolved(null, ApiError.of("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"));
        }
        if (r.get().deleted()) {
            return new Resolved(null, ApiError.of("ENTITY_IS_DELETED", "entity is deleted"));
        }
        return new Resolved(r.get(), null);
    }

    /**
     * Converts and checks every given field; returns the canonical names of the fields given. Errors of one kind
     * are gathered into one error as Salesforce does (all unknown fields in one INVALID_FIELD_FOR_INSERT_UPDATE).
     */
    private Set<String> convertInput(SObjectType type, Map<String, Object> input, boolean creating,
                                     Map<String, Object> out, List<ApiError> errors) {
        Set<String> given = new LinkedHashSet<>();
        List<String> notWritable = new ArrayList<>();
        for (Map.Entry<String, Object> e : input.entrySet()) {
            String name = e.getKey();
            if (name.equals("attributes")) {
                continue;
            }
            Optional<FieldDef> field = type.field(name);
            if (field.isEmpty()) {
                Optional<FieldDef> byRelationship = type.fields().stream()
                        .filter(f -> name.equalsIgnoreCase(f.relationshipName())).findFirst();
                if (byRelationship.isPresent() && e.getValue() instanceof Map<?, ?> ref) {
                    FieldDef f = byRelationship.get();
                    Optional<Object> resolved = resolveRelationship(f, ref, errors);
                    resolved.ifPresent(id -> {
                        out.put(f.name(), id);
                        given.add(f.name());
                    });
                    continue;
                }
                errors.add(ApiError.of("INVALID_FIELD",
                        "No such column '" + name + "' on sobject of type " + type.name(), name));
                continue;
            }
            FieldDef f = field.get();
            if (f.name().equals("Id") && !creating) {
                continue; // the id of the record being updated, repeated in the body
            }
            if (creating ? !f.createable() : !f.updateable()) {
                notWritable.add(f.name());
                continue;
            }
            try {
                out.put(f.name(), FieldValues.convert(f, e.getValue(), type.label()));
                given.add(f.name());
            } catch (FieldValues.InvalidValue ex) {
                errors.add(ex.error());
            }
        }
        if (!notWritable.isEmpty()) {
            errors.add(0, new ApiError("INVALID_FIELD_FOR_INSERT_UPDATE", FieldValues.unableToWrite(notWritable),
                    notWritable));
        }
        return given;
    }

    /** {@code "Account": {"External_Id__c": "A-1"}} names the parent by one of its external ids. */
    private Optional<Object> resolveRelationship(FieldDef f, Map<?, ?> ref, List<ApiError> errors) {
        SObjectType parentType = org.schema().find(f.referenceTo().get(0)).orElseThrow();
        for (Map.Entry<?, ?> e : ref.entrySet()) {
            String k = String.valueOf(e.getKey());
            if (k.equals("attributes")) {
                continue;
            }
            Optional<FieldDef> key = parentType.field(k).filter(pf -> pf.externalId() || pf.name().equals("Id"));
            if (key.isEmpty()) {
                errors.add(ApiError.of("INVALID_FIELD", "Field name provided, " + k + " is not an External ID "
                        + "or indexed field for " + parentType.name()));
                return Optional.empty();
            }
            List<String> ids = matchExternalId(parentType, key.get(), e.getValue());
            if (ids.size() == 1) {
                return Optional.of(ids.get(0));
            }
            errors.add(ApiError.of(ids.isEmpty() ? "INVALID_FIELD" : "DUPLICATE_EXTERNAL_ID",
                    ids.isEmpty()
                            ? "Foreign key external ID: " + e.getValue() + " not found for field " + key.get().name()
                              + " in entity " + parentType.name()
                            : "Foreign key external ID: " + e.getValue() + " matched more than one record for field "
                              + key.get().name() + " in entity " + parentType.name()));
            return Optional.empty();
        }
        errors.add(ApiError.of("INVALID_FIELD", "No external id field given for " + f.relationshipName()));
        return Optional.empty();
    }

    private void applyDefaults(SObjectType type, Map<String, Object> values, Set<String> given) {
        for (FieldDef f : type.fields()) {
            if (!f.stored() || given.contains(f.name())) {
                continue;
            }
            if (f.defaultValue() != null) {
                values.put(f.name(), f.defaultValue());
            } else if (f.type() == FieldType.BOOLEAN) {
                values.put(f.name(), false);
            }
        }
    }

    /** Standard behaviour of standard objects that Salesforce applies on save. */
    private void applyBuiltInBehaviour(SObjectType type, Map<String, Object> old, Map<String, Object> values,
                                       Set<String> given) {
        if (type.name().equals("Opportunity") && !given.contains("Probability")) {
            Object stage = values.get("StageName");
            boolean stageChanged = old == null || !Objects.equals(old.get("StageName"), stage);
            if (stage instanceof String s && stageChanged) {
                values.put("Probability", BigDecimal.valueOf(defaultProbability(s)));
            }
        }
    }

    private static int defaultProbability(String stage) {
        return switch (stage) {
            case "Prospecting", "Qualification" -> 10;
            case "Needs Analysis" -> 20;
            case "Value Proposition" -> 50;
            case "Id. Decision Makers" -> 60;
            case "Perception Analysis" -> 70;
            case "Proposal/Price Quote" -> 75;
            case "Negotiation/Review" -> 90;
            case "Closed Won" -> 100;
            default -> 0;
        };
    }

    private void applyTriggerRules(SObjectType type, Map<String, Object> old, Map<String, Object> values) {
        for (TriggerRule rule : org.triggerRules()) {
            if (!rule.objectName().equalsIgnoreCase(type.name())) {
                continue;
            }
            Optional<FieldDef> when = type.field(rule.whenField());
            Optional<FieldDef> set = type.field(rule.setField());
            if (when.isEmpty() || set.isEmpty()) {
                continue;
            }
            Object newValue = values.get(when.get().name());
            boolean fired = old == null ? newValue != null : !Objects.equals(old.get(when.get().name()), newValue);
            if (!fired) {
                continue;
            }
            Object raw = rule.valueFrom() != null ? values.get(type.field(rule.valueFrom()).map(FieldDef::name)
                    .orElse(rule.valueFrom())) : rule.value();
            try {
                values.put(set.get().name(), FieldValues.convert(set.get(), raw, type.label()));
            } catch (FieldValues.InvalidValue e) {
                // A misconfigured rule must not break writes; the value is simply not applied.
            }
        }
    }

    private Optional<ApiError> checkRequired(SObjectType type, Map<String, Object> values) {
        List<String> missing = new ArrayList<>();
        for (FieldDef f : type.fields()) {
            if (f.requiredOnCreate() && f.stored() && values.get(f.name()) == null) {
                missing.add(f.name());
            }
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ApiError("REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing, missing));
    }

    private Optional<ApiError> checkReferences(SObjectType type, Map<String, Object> values, Set<String> given) {
        for (String name : given) {
            FieldDef f = type.field(name).orElseThrow();
            if (f.type() != FieldType.REFERENCE || values.get(name) == null) {
                continue;
            }
            String id = (String) values.get(name);
            Optional<StoredRecord> target = read(id);
            boolean ok = target.isPresent() && !target.get().deleted()
                    && f.referenceTo().contains(target.get().type().name());
            if (!ok) {
                if (target.isEmpty() && org.schema().typeOfId(id).map(t -> !f.referenceTo().contains(t.name()))
                        .orElse(true)) {
                    return Optional.of(ApiError.of("MALFORMED_ID",
                            f.label() + ": id value of incorrect type: " + id, f.name()));
                }
                return Optional.of(ApiError.of("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", f.name()));
            }
        }
        return Optional.empty();
    }

    private Optional<ApiError> checkUnique(SObjectType type, String id, Map<String, Object> values) {
        for (FieldDef f : type.fields()) {
            if (!f.unique() || values.get(f.name()) == null) {
                continue;
            }
            for (String other : matchExternalId(type, f, values.get(f.name()))) {
                if (!other.equals(id)) {
                    return Optional.of(ApiError.of("DUPLICATE_VALUE", "duplicate value found: " + f.name()
                            + " duplicates value on record with id: " + other, f.name()));
                }
            }
        }
        return Optional.empty();
    }

    private String lockedParentOf(SObjectType type, Map<String, Object> values) {
        for (FieldDef f : type.fields()) {
            if (f.type() == FieldType.REFERENCE && f.updateable() && values.get(f.name()) instanceof String id) {
                return id;
            }
        }
        return ctx.userId();
    }

    private Optional<ApiError> injectedLockFailure(String id) {
        if (org.faults().roll(org.faults().lockRowRate())) {
            return Optional.of(ApiError.of("UNABLE_TO_LOCK_ROW",
                    "unable to obtain exclusive access to this record or 1 records: " + id));
        }
        return Optional.empty();
    }

    private void stage(StoredRecord previous, StoredRecord next) {
        before.putIfAbsent(next.id(), previous);
        StoredRecord replaced = staged.put(next.id(), next);
        for (FieldDef f : next.type().fields()) {
            if (!org.isIndexed(f)) {
                continue;
            }
            Map<Object, Set<String>> idx = stagedIndex.computeIfAbsent(indexName(next.type(), f), k -> new HashMap<>());
            Object oldValue = replaced == null || replaced.deleted() ? null : replaced.get(f.name());
            if (oldValue != null) {
                Set<String> ids = idx.get(Org.indexKey(f, oldValue));
                if (ids != null) {
                    ids.remove(next.id());
                }
            }
            Object newValue = next.deleted() ? null : next.get(f.name());
            if (newValue != null) {
                idx.computeIfAbsent(Org.indexKey(f, newValue), k -> new LinkedHashSet<>()).add(next.id());
            }
        }
    }

    // ---------------------------------------------------------------- commit

    void commit() {
        if (staged.isEmpty()) {
            return;
        }
        ChangeEventBuilder events = new ChangeEventBuilder(org.clock().instant(), ctx, org.nextCommitNumber());
        for (Map.Entry<String, StoredRecord> e : staged.entrySet()) {
            StoredRecord after = e.getValue();
            StoredRecord prior = before.get(e.getKey());
            boolean hard = hardDeleted.contains(after.id());
            org.apply(prior, after, hard);
            if (org.changeEventsEnabled(after.type().name())) {
                events.add(prior, after);
            }
        }
        org.events().append(events.build());
    }
}
