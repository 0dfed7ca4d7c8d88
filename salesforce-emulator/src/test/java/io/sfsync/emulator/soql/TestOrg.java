package io.sfsync.emulator.soql;

import io.sfsync.emulator.data.RecordSource;
import io.sfsync.emulator.data.StoredRecord;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.SalesforceIds;
import io.sfsync.emulator.model.Schema;
import io.sfsync.emulator.model.StandardObjects;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A tiny org for SOQL tests: the standard objects, a multi-select picklist on Account, records kept in a list. */
final class TestOrg implements RecordSource {

    static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");

    final Schema schema = new Schema();
    private final List<StoredRecord> records = new ArrayList<>();
    private long sequence = 1;

    TestOrg() {
        StandardObjects.addTo(schema, CREATED);
        type("Account").putField(FieldDef.builder("Regions__c", FieldType.MULTIPICKLIST).label("Regions")
                .custom(true).picklist(false, "EMEA", "APAC", "AMER").build(), CREATED);
    }

    SObjectType type(String name) {
        return schema.find(name).orElseThrow();
    }

    /** Adds a live record; values are keyed by canonical field name. Returns its 18-character id. */
    String add(String typeName, Map<String, Object> values) {
        return add(typeName, values, false);
    }

    String add(String typeName, Map<String, Object> values, boolean deleted) {
        SObjectType type = type(typeName);
        String id = SalesforceIds.newId(type.keyPrefix(), "0A", sequence++);
        Map<String, Object> stored = new LinkedHashMap<>(values);
        stored.putIfAbsent("IsDeleted", deleted);
        records.add(new StoredRecord(type, id, stored, deleted));
        return id;
    }

    /** A map literal that allows null values, in insertion order. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    @Override
    public Stream<StoredRecord> records(SObjectType type, boolean includeDeleted) {
        return records.stream().filter(r -> r.type() == type && (includeDeleted || !r.deleted()));
    }

    @Override
    public Optional<StoredRecord> byId(String id18) {
        return records.stream().filter(r -> r.id().equals(id18)).findFirst();
    }
}
