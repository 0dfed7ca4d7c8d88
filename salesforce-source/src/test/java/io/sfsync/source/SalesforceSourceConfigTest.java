package io.sfsync.source;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SalesforceSourceConfigTest {

    static Map<String, String> minimal() {
        Map<String, String> p = new HashMap<>();
        p.put(SalesforceSourceConfig.CLIENT_ID, "3MVG9");
        p.put(SalesforceSourceConfig.USERNAME, "integration@example.com");
        p.put(SalesforceSourceConfig.PRIVATE_KEY, "-----BEGIN PRIVATE KEY-----");
        p.put(SalesforceSourceConfig.OBJECTS, "Account, Contact,Invoice__c");
        return p;
    }

    @Test
    void apiBudgetKeysAreTheSinksKeys() {
        SalesforceSourceConfig defaults = new SalesforceSourceConfig(minimal());
        assertThat(defaults.budget().dailyShare()).isEqualTo(0.8);
        assertThat(defaults.budget().limitsPollInterval()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(defaults.budget().maxRetryTime()).isEqualTo(java.time.Duration.ofMinutes(5));
        // A bounded wait, as in the sink: poll() returns to the worker while the org is out of budget.
        assertThat(defaults.hasBudgetMaxWait()).isTrue();
        assertThat(defaults.budgetMaxWait()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(defaults.requestTimeout()).isEqualTo(java.time.Duration.ofMinutes(2));

        Map<String, String> p = minimal();
        p.put("salesforce.api.daily.share", "0.3");
        p.put("salesforce.limits.poll.interval.ms", "500");
        p.put("salesforce.max.retry.time.ms", "1000");
        p.put("salesforce.budget.max.wait.ms", "250");
        SalesforceSourceConfig set = new SalesforceSourceConfig(p);
        assertThat(set.budgetMaxWait()).isEqualTo(java.time.Duration.ofMillis(250));
        assertThat(set.budget().dailyShare()).isEqualTo(0.3);
        assertThat(set.budget().limitsPollInterval()).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(set.budget().maxRetryTime()).isEqualTo(java.time.Duration.ofSeconds(1));

        Map<String, String> tooMuch = minimal();
        tooMuch.put("salesforce.api.daily.share", "1.5");
        assertThatThrownBy(() -> new SalesforceSourceConfig(tooMuch)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesforce.api.daily.share");
    }

    @Test
    void defaultsAndTypedAccessors() {
        SalesforceSourceConfig c = new SalesforceSourceConfig(minimal());
        assertThat(c.authType()).isEqualTo(SalesforceSourceConfig.AuthType.JWT_BEARER);
        assertThat(c.loginUrl().toString()).isEqualTo("https://login.salesforce.com");
        assertThat(c.objects()).containsExactly("Account", "Contact", "Invoice__c");
        assertThat(c.taskObjects()).containsExactly("Account", "Contact", "Invoice__c");
        assertThat(c.topicFor("Account")).isEqualTo("sf.Account");
        assertThat(c.syncClientId()).isEqualTo("sfsync");
        assertThat(c.syncKeyExternalIdField()).isEqualTo("External_Id__c");
        assertThat(c.syncKeyColumn()).isEqualTo("sync_key");
        assertThat(c.snapshotMode()).isEqualTo(SalesforceSourceConfig.SnapshotMode.INITIAL);
        assertThat(c.invalidReplayPolicy()).isEqualTo(SalesforceSourceConfig.InvalidReplayPolicy.RESYNC);
        assertThat(c.deleteMode()).isEqualTo(io.sfsync.source.mapping.RecordMapper.DeleteMode.DELETE);
        assertThat(c.credentials().flowName()).isEqualTo("jwt-bearer");
        assertThat(c.jwtPrivateKey().toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void deleteModeIsCaseInsensitiveAndValidated() {
        Map<String, String> p = minimal();
        p.put(SalesforceSourceConfig.DELETE_MODE, "mark");
        assertThat(new SalesforceSourceConfig(p).deleteMode())
                .isEqualTo(io.sfsync.source.mapping.RecordMapper.DeleteMode.MARK);
        p.put(SalesforceSourceConfig.DELETE_MODE, "purge");
        assertThatThrownBy(() -> new SalesforceSourceConfig(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(SalesforceSourceConfig.DELETE_MODE);
    }

    @Test
    void fieldIncludeAndExcludeArePerObject() {
        Map<String, String> p = minimal();
        p.put(SalesforceSourceConfig.FIELDS_INCLUDE, "Account.Name,Account.BillingCity,Contact.Email");
        p.put(SalesforceSourceConfig.FIELDS_EXCLUDE, "Contact.Description");
        SalesforceSourceConfig c = new SalesforceSourceConfig(p);
        assertThat(c.includedFields("account")).containsExactly("Name", "BillingCity");
        assertThat(c.includedFields("Invoice__c")).isEmpty();
        assertThat(c.excludedFields("Contact")).containsExactly("Description");
    }

    @Test
    void badValuesAreRejectedByKey() {
        for (Map.Entry<String, String> bad : Map.of(
                SalesforceSourceConfig.AUTH_TYPE, "KERBEROS",
                SalesforceSourceConfig.LOGIN_URL, "login.salesforce.com",
                SalesforceSourceConfig.OBJECTS, "Account,Bad Name",
                SalesforceSourceConfig.FIELDS_INCLUDE, "Name",
                SalesforceSourceConfig.INVALID_REPLAY_POLICY, "ignore",
                SalesforceSourceConfig.SNAPSHOT_PAGE_SIZE, "5",
                SalesforceSourceConfig.SYNC_KEY_COLUMN, "Sync Key").entrySet()) {
            Map<String, String> p = minimal();
            p.put(bad.getKey(), bad.getValue());
            assertThatThrownBy(() -> new SalesforceSourceConfig(p)).as(bad.getKey())
                    .isInstanceOf(ConfigException.class).hasMessageContaining(bad.getKey());
        }
    }

    @Test
    void enumsAreCaseInsensitive() {
        Map<String, String> p = minimal();
        p.put(SalesforceSourceConfig.INVALID_REPLAY_POLICY, "latest");
        p.put(SalesforceSourceConfig.SNAPSHOT_MODE, "never");
        SalesforceSourceConfig c = new SalesforceSourceConfig(p);
        assertThat(c.invalidReplayPolicy()).isEqualTo(SalesforceSourceConfig.InvalidReplayPolicy.LATEST);
        assertThat(c.snapshotMode()).isEqualTo(SalesforceSourceConfig.SnapshotMode.NEVER);
    }

    @Test
    void everyKeyHasDocumentationGroupAndDisplayName() {
        assertThat(io.sfsync.connect.ConfigReference.undocumentedKeys(SalesforceSourceConfig.CONFIG_DEF)).isEmpty();
    }

    @Test
    void secretsArePasswordTyped() {
        for (String key : List.of(SalesforceSourceConfig.CLIENT_SECRET, SalesforceSourceConfig.PRIVATE_KEY,
                SalesforceSourceConfig.REFRESH_TOKEN, SalesforceSourceConfig.PASSWORD,
                SalesforceSourceConfig.SECURITY_TOKEN)) {
            assertThat(SalesforceSourceConfig.CONFIG_DEF.configKeys().get(key).type).as(key)
                    .isEqualTo(ConfigDef.Type.PASSWORD);
        }
    }

    @Test
    void authSpecificKeysAreVisibleOnlyForTheirFlow() {
        Map<String, String> p = minimal();
        p.put(SalesforceSourceConfig.AUTH_TYPE, "CLIENT_CREDENTIALS");
        p.put(SalesforceSourceConfig.CLIENT_SECRET, "s");
        Map<String, Boolean> visible = new HashMap<>();
        SalesforceSourceConfig.CONFIG_DEF.validate(p).forEach(v -> visible.put(v.name(), v.visible()));
        assertThat(visible).containsEntry(SalesforceSourceConfig.CLIENT_SECRET, true)
                .containsEntry(SalesforceSourceConfig.PRIVATE_KEY, false)
                .containsEntry(SalesforceSourceConfig.PASSWORD, false)
                .containsEntry(SalesforceSourceConfig.OBJECTS, true);
        Set<Object> recommended = Set.copyOf(SalesforceSourceConfig.CONFIG_DEF.validate(p).stream()
                .filter(v -> v.name().equals(SalesforceSourceConfig.AUTH_TYPE)).findFirst().orElseThrow()
                .recommendedValues());
        assertThat(recommended).contains("JWT_BEARER", "CLIENT_CREDENTIALS", "REFRESH_TOKEN", "PASSWORD");
    }
}
