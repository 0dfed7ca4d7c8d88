package io.sfsync.smt;

import static io.sfsync.smt.Changes.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class ConflictTransformConfigTest {

    @Test
    void defaults() {
        ConflictTransformConfig config = new ConflictTransformConfig(Map.of("conflicts.bootstrap.servers", "b:9092"));

        assertThat(config.policy()).isEqualTo(ConflictPolicy.SALESFORCE_WINS);
        assertThat(config.conflictsTopic()).isEqualTo("sfsync_conflicts");
        assertThat(config.stateMaxRows()).isEqualTo(100_000);
        assertThat(config.stateTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.versionColumn()).isEqualTo("_sync_version");
        assertThat(config.deletedColumn()).isEqualTo("_sync_deleted");
        assertThat(config.fieldsColumn()).isEqualTo("_sync_fields");
        assertThat(config.modifiedAtColumn()).isEqualTo("_sync_modified_at");
        assertThat(config.markerPrefix()).isEqualTo("_sync_");
    }

    @Test
    void conflictsTopicWithoutBootstrapServersIsRejectedOnThatKey() {
        assertThatThrownBy(() -> new ConflictTransformConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("conflicts.bootstrap.servers")
                .hasMessageContaining("required when conflicts.topic is set");
        assertThatThrownBy(() -> new PostgresConflictTransform().configure(
                Map.of("conflicts.topic", "my_conflicts")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("conflicts.bootstrap.servers");
    }

    @Test
    void emptyConflictsTopicNeedsNoBootstrapServers() {
        assertThat(new ConflictTransformConfig(config()).conflictsTopic()).isEmpty();
    }

    @Test
    void unknownPolicyIsRejected() {
        assertThatThrownBy(() -> new ConflictTransformConfig(config("conflict.policy", "last-writer-wins")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("conflict.policy")
                .hasMessageContaining("salesforce-wins");
    }

    @Test
    void boundsAreValidated() {
        assertThatThrownBy(() -> new ConflictTransformConfig(config("state.max.rows", 0)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("state.max.rows");
        assertThatThrownBy(() -> new ConflictTransformConfig(config("state.ttl.ms", 10)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("state.ttl.ms");
        assertThatThrownBy(() -> new ConflictTransformConfig(config("state.max.pending.per.column", 0)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("state.max.pending.per.column");
        assertThatThrownBy(() -> new ConflictTransformConfig(config("summary.interval.ms", 1000)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("summary.interval.ms");
        assertThatThrownBy(() -> new ConflictTransformConfig(config("marker.version.column", "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("marker.version.column");
    }

    @Test
    void validationReportsErrorsPerKeyAndRecommendsPolicies() {
        List<ConfigValue> values = ConflictTransformConfig.CONFIG_DEF.validate(
                Map.of("conflict.policy", "nope", "state.max.rows", "-1"));
        Map<String, ConfigValue> byName = values.stream()
                .collect(java.util.stream.Collectors.toMap(ConfigValue::name, v -> v));

        assertThat(byName.get("conflict.policy").errorMessages()).isNotEmpty();
        assertThat(byName.get("conflict.policy").recommendedValues())
                .containsExactly("salesforce-wins", "postgres-wins", "newest-wins");
        assertThat(byName.get("state.max.rows").errorMessages()).isNotEmpty();
        assertThat(byName.get("conflicts.topic").errorMessages()).isEmpty();
    }

    @Test
    void producerOverridesPassThroughWithoutPrefix() {
        ConflictTransformConfig config = new ConflictTransformConfig(Map.of("conflicts.bootstrap.servers", "b:1",
                "conflicts.producer.security.protocol", "SSL"));
        assertThat(config.conflictsProducerOverrides()).containsEntry("security.protocol", "SSL");
    }

    /** Meta-test: Control Center renders a form from these; every key needs them. */
    @Test
    void everyKeyHasDocumentationGroupAndDisplayName() {
        for (ConfigDef.ConfigKey key : ConflictTransformConfig.CONFIG_DEF.configKeys().values()) {
            assertThat(key.documentation).as("doc of %s", key.name).isNotBlank();
            assertThat(key.group).as("group of %s", key.name).isNotBlank();
            assertThat(key.displayName).as("display name of %s", key.name).isNotBlank();
            assertThat(key.displayName).as("display name of %s", key.name).isNotEqualTo(key.name);
            assertThat(key.orderInGroup).as("order of %s", key.name).isPositive();
        }
    }
}
