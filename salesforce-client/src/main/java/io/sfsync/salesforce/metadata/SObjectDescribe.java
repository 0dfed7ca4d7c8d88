package io.sfsync.salesforce.metadata;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An sObject's describe: object-level flags and its fields, in describe order. */
public record SObjectDescribe(String name, String label, String labelPlural, String keyPrefix, boolean custom,
                              boolean createable, boolean updateable, boolean deletable, boolean undeletable,
                              boolean queryable, boolean retrieveable, boolean replicateable, boolean triggerable,
                              List<FieldDescribe> fields) {

    /**
     * Each describe's fields by lower-case name, built once per describe instance: a record cannot hold it, and
     * a sink looks fields up for every column of every record. Weak keys compare by identity and let a describe
     * that the cache replaced go.
     */
    private static final LoadingCache<SObjectDescribe, Map<String, FieldDescribe>> BY_LOWER_CASE_NAME =
            Caffeine.newBuilder().weakKeys().build(SObjectDescribe::indexByLowerCaseName);

    public SObjectDescribe {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /** The field with this API name, case-insensitively as Salesforce matches names. */
    public Optional<FieldDescribe> field(String fieldName) {
        return Optional.ofNullable(byLowerCaseName().get(fieldName.toLowerCase(Locale.ROOT)));
    }

    public List<String> fieldNames() {
        return fields.stream().map(FieldDescribe::name).toList();
    }

    public List<FieldDescribe> externalIdFields() {
        return fields.stream().filter(FieldDescribe::externalId).toList();
    }

    /** The components of a compound field (BillingStreet, BillingCity... of BillingAddress). */
    public List<FieldDescribe> componentsOf(String compoundName) {
        return fields.stream().filter(f -> compoundName.equalsIgnoreCase(f.compoundFieldName())).toList();
    }

    private Map<String, FieldDescribe> byLowerCaseName() {
        return BY_LOWER_CASE_NAME.get(this);
    }

    private Map<String, FieldDescribe> indexByLowerCaseName() {
        return fields.stream().collect(Collectors.toMap(f -> f.name().toLowerCase(Locale.ROOT), Function.identity(),
                (a, b) -> a));
    }
}
