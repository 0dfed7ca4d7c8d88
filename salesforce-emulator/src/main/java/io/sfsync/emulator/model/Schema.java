package io.sfsync.emulator.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The org's metadata: every sObject type, looked up case-insensitively by name or by key prefix. */
public final class Schema {

    private final Map<String, SObjectType> byLowerName = new ConcurrentHashMap<>();
    private final Map<String, SObjectType> byPrefix = new ConcurrentHashMap<>();
    private final List<SObjectType> inOrder = new CopyOnWriteArrayList<>();
    private int nextCustomPrefix = 0;

    public synchronized void add(SObjectType type) {
        if (byLowerName.containsKey(type.name().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("sObject " + type.name() + " already exists");
        }
        if (byPrefix.containsKey(type.keyPrefix())) {
            throw new IllegalArgumentException("key prefix " + type.keyPrefix() + " already used");
        }
        byLowerName.put(type.name().toLowerCase(Locale.ROOT), type);
        byPrefix.put(type.keyPrefix(), type);
        inOrder.add(type);
    }

    public Optional<SObjectType> find(String anyCaseName) {
        return anyCaseName == null ? Optional.empty()
                : Optional.ofNullable(byLowerName.get(anyCaseName.toLowerCase(Locale.ROOT)));
    }

    public Optional<SObjectType> byKeyPrefix(String prefix) {
        return Optional.ofNullable(byPrefix.get(prefix));
    }

    /** The type a record id belongs to, from its key prefix. */
    public Optional<SObjectType> typeOfId(String id) {
        return id == null || id.length() < 3 ? Optional.empty() : byKeyPrefix(id.substring(0, 3));
    }

    public Collection<SObjectType> all() {
        return new ArrayList<>(inOrder);
    }

    /** The next free per-org key prefix for a custom object: a00, a01, ... as Salesforce hands them out. */
    public synchronized String allocateCustomPrefix() {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        while (true) {
            int n = nextCustomPrefix++;
            String prefix = "a" + alphabet.charAt(n / 62 % 62) + alphabet.charAt(n % 62);
            if (!byPrefix.containsKey(prefix)) {
                return prefix;
            }
        }
    }
}
