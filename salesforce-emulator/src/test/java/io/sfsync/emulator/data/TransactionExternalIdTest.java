package io.sfsync.emulator.data;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.SObjectType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * External ID matching inside one transaction: the transaction's own staged writes (inserts, key changes,
 * deletes) decide over the committed index, the way one Salesforce transaction sees its own DML.
 */
class TransactionExternalIdTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = new SalesforceEmulatorExtension();
    static final WriteContext CTX = new WriteContext(SalesforceEmulator.ADMIN_USER_ID, ChangeOrigin.rest("62.0", "t"));

    Org org() {
        return SALESFORCE.emulator().org();
    }

    SObjectType account() {
        return SALESFORCE.emulator().schema().find("Account").orElseThrow();
    }

    FieldDef externalId() {
        return account().field("External_Id__c").orElseThrow();
    }

    String insert(String key) {
        return org().write(CTX, tx -> tx.insert("Account", Map.of("Name", key, "External_Id__c", key))).id();
    }

    @Test
    void stagedInsertsAreMatchedCaseInsensitivelyAndUpsertsOfTheSameKeyUpdateThem() {
        org().write(CTX, tx -> {
            DmlResult first = tx.upsert("Account", "External_Id__c", null, Map.of("External_Id__c", "tx-a", "Name", "1"));
            DmlResult again = tx.upsert("Account", "External_Id__c", null, Map.of("External_Id__c", "TX-A", "Name", "2"));
            assertThat(first.created()).isTrue();
            assertThat(again.created()).isFalse();
            assertThat(again.id()).isEqualTo(first.id());
            assertThat(tx.matchExternalId(account(), externalId(), "Tx-A")).containsExactly(first.id());
            return null;
        });
        assertThat(org().lookup(account(), externalId(), "tx-a")).hasSize(1);
    }

    @Test
    void aKeyChangedInTheTransactionNoLongerMatchesItsOldValue() {
        String id = insert("tx-old");
        org().write(CTX, tx -> {
            assertThat(tx.update(id, Map.of("External_Id__c", "tx-new")).success()).isTrue();
            assertThat(tx.matchExternalId(account(), externalId(), "tx-old")).isEmpty();
            assertThat(tx.matchExternalId(account(), externalId(), "tx-new")).containsExactly(id);
            DmlResult reused = tx.upsert("Account", "External_Id__c", null, Map.of("External_Id__c", "tx-old", "Name", "n"));
            assertThat(reused.created()).isTrue();
            assertThat(reused.id()).isNotEqualTo(id);
            return null;
        });
    }

    @Test
    void aRecordDeletedInTheTransactionNoLongerMatchesAndItsKeyMayBeReused() {
        String id = insert("tx-del");
        org().write(CTX, tx -> {
            assertThat(tx.delete(id).success()).isTrue();
            assertThat(tx.matchExternalId(account(), externalId(), "tx-del")).isEmpty();
            assertThat(tx.insert("Account", Map.of("Name", "again", "External_Id__c", "tx-del")).success()).isTrue();
            return null;
        });
    }

    @Test
    void aDuplicateOfAStagedKeyIsRejected() {
        org().write(CTX, tx -> {
            assertThat(tx.insert("Account", Map.of("Name", "1", "External_Id__c", "tx-dup")).success()).isTrue();
            DmlResult dup = tx.insert("Account", Map.of("Name", "2", "External_Id__c", "tx-dup"));
            assertThat(dup.success()).isFalse();
            assertThat(dup.errors()).extracting(ApiError::code).containsExactly("DUPLICATE_VALUE");
            return null;
        });
    }

    @Test
    void aThousandUpsertsInOneTransactionAllLand() {
        List<DmlResult> results = org().write(CTX, tx -> java.util.stream.IntStream.range(0, 1_000)
                .mapToObj(i -> tx.upsert("Account", "External_Id__c", null,
                        Map.of("External_Id__c", "tx-many-" + i, "Name", "n" + i)))
                .toList());
        assertThat(results).allMatch(DmlResult::success).allMatch(DmlResult::created);
        assertThat(org().lookup(account(), externalId(), "tx-many-999")).hasSize(1);
    }
}
