package io.sfsync.sink;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SalesforceSinkConfigTest {

    static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put(SalesforceSinkConfig.LOGIN_URL, "https://login.salesforce.com");
        m.put(SalesforceSinkConfig.CLIENT_ID, "consumer-key");
        m.put(SalesforceSinkConfig.USERNAME, "integration@example.com");
        m.put(SalesforceSinkConfig.JWT_PRIVATE_KEY, "-----BEGIN PRIVATE KEY-----");
        return m;
    }

    @Test
    void defaults() {
        SalesforceSinkConfig c = new SalesforceSinkConfig(minimal());
        assertThat(c.authType()).isEqualTo(SalesforceSinkConfig.AuthType.JWT_BEARER);
        assertThat(c.syncClientId()).isEqualTo("sfsync");
        assertThat(c.externalIdField()).isEqualTo("External_Id__c");
        assertThat(c.keyColumn()).isEqualTo("id");
        assertThat(c.sfidColumn()).isEqualTo("sfid");
        assertThat(c.maxBatch()).isEqualTo(200);
        assertThat(c.changedColumnsHeader()).isEqualTo("sync.changed.columns");
        assertThat(c.credentials().toString()).doesNotContain("BEGIN PRIVATE KEY");
    }

    @Test
    void topicToObjectByDefaultRuleAndOverrides() {
        Map<String, String> m = minimal();
        m.put(SalesforceSinkConfig.TOPIC_OBJECT_MAP, "pg.public.accounts:Account, legacy:Invoice__c");
        m.put(SalesforceSinkConfig.TOPIC_PREFIX, "pg.");
        SalesforceSinkConfig c = new SalesforceSinkConfig(m);
        assertThat(c.objectNameFor("pg.public.account")).isEqualTo("account");
        assertThat(c.objectNameFor("pg.account")).isEqualTo("account");
        assertThat(c.objectNameFor("pg.public.accounts")).isEqualTo("Account");
        assertThat(c.objectNameFor("legacy")).isEqualTo("Invoice__c");
    }

    @Test
    void fieldMapKeysAreLowerCase() {
        Map<String, String> m = minimal();
        m.put(SalesforceSinkConfig.FIELD_MAP, "Billing_City:BillingCity,account.score:Health_Score__c");
        assertThat(new SalesforceSinkConfig(m).fieldMap()).containsEntry("billing_city", "BillingCity")
                .containsEntry("account.score", "Health_Score__c");
    }

    @Test
    void badValuesAreRejectedOnTheirKey() {
        Map<String, String> m = minimal();
        m.put(SalesforceSinkConfig.FIELD_MAP, "nocolon");
        assertThatThrownBy(() -> new SalesforceSinkConfig(m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(SalesforceSinkConfig.FIELD_MAP);
        Map<String, String> m2 = minimal();
        m2.put(SalesforceSinkConfig.MAX_BATCH, "201");
        assertThatThrownBy(() -> new SalesforceSinkConfig(m2)).hasMessageContaining(SalesforceSinkConfig.MAX_BATCH);
        Map<String, String> m3 = minimal();
        m3.put(SalesforceSinkConfig.LOGIN_URL, "ftp://x");
        assertThatThrownBy(() -> new SalesforceSinkConfig(m3)).hasMessageContaining("http(s) URL");
    }

    @Test
    void errorsTopicCreationSettingsAndTheBudgetWaitBound() {
        SalesforceSinkConfig defaults = new SalesforceSinkConfig(minimal());
        assertThat(defaults.errorsTopicPartitions()).isEqualTo(1);
        assertThat(defaults.errorsTopicReplicationFactor()).isEmpty();
        assertThat(defaults.budgetMaxWait()).isEqualTo(java.time.Duration.ofMinutes(1));

        Map<String, String> m = minimal();
        m.put(SalesforceSinkConfig.ERRORS_TOPIC_PARTITIONS, "6");
        m.put(SalesforceSinkConfig.ERRORS_TOPIC_REPLICATION, "3");
        m.put(SalesforceSinkConfig.BUDGET_MAX_WAIT_MS, "0");
        SalesforceSinkConfig set = new SalesforceSinkConfig(m);
        assertThat(set.errorsTopicPartitions()).isEqualTo(6);
        assertThat(set.errorsTopicReplicationFactor()).contains((short) 3);
        assertThat(set.budgetMaxWait()).isZero();

        Map<String, String> bad = minimal();
        bad.put(SalesforceSinkConfig.ERRORS_TOPIC_REPLICATION, "0");
        assertThatThrownBy(() -> new SalesforceSinkConfig(bad)).hasMessageContaining(
                SalesforceSinkConfig.ERRORS_TOPIC_REPLICATION).hasMessageContaining("-1 (the broker's default) or at least 1");
        Map<String, String> negative = minimal();
        negative.put(SalesforceSinkConfig.BUDGET_MAX_WAIT_MS, "-1");
        assertThatThrownBy(() -> new SalesforceSinkConfig(negative)).hasMessageContaining(
                SalesforceSinkConfig.BUDGET_MAX_WAIT_MS);
    }

    @Test
    void everyKeyIsDocumentedGroupedAndNamed() {
        assertThat(io.sfsync.connect.ConfigReference.undocumentedKeys(SalesforceSinkConfig.CONFIG_DEF)).isEmpty();
        for (String secret : List.of(SalesforceSinkConfig.CLIENT_SECRET, SalesforceSinkConfig.PASSWORD,
                SalesforceSinkConfig.JWT_PRIVATE_KEY, SalesforceSinkConfig.REFRESH_TOKEN,
                SalesforceSinkConfig.SECURITY_TOKEN)) {
            assertThat(SalesforceSinkConfig.CONFIG_DEF.configKeys().get(secret).type)
                    .isEqualTo(ConfigDef.Type.PASSWORD);
        }
    }

    @Test
    void authKeysAreVisibleOnlyForTheirAuthType() {
        Map<String, String> m = minimal();
        m.put(SalesforceSinkConfig.AUTH_TYPE, "client-credentials");
        Map<String, ConfigValue> v = new HashMap<>();
        SalesforceSinkConfig.CONFIG_DEF.validate(m).forEach(c -> v.put(c.name(), c));
        assertThat(v.get(SalesforceSinkConfig.CLIENT_SECRET).visible()).isTrue();
        assertThat(v.get(SalesforceSinkConfig.JWT_PRIVATE_KEY).visible()).isFalse();
        assertThat(v.get(SalesforceSinkConfig.AUTH_TYPE).recommendedValues())
                .containsExactly("JWT_BEARER", "CLIENT_CREDENTIALS", "REFRESH_TOKEN", "PASSWORD");
    }
}
