package io.sfsync.smt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/** Generates the configuration reference ({@code CONFIGURATION.md}) from the {@link ConfigDef}. */
final class ConfigReference {

    private ConfigReference() {
    }

    static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# postgres-conflict-smt configuration reference\n\n")
                .append("Generated from `ConflictTransformConfig.CONFIG_DEF` (do not edit by hand; ")
                .append("`ConfigReferenceTest` fails when this file drifts and writes the new text to ")
                .append("`target/CONFIGURATION.md`). Keys are set on the transform, e.g. ")
                .append("`transforms.conflicts.conflict.policy`.\n");
        Map<String, List<ConfigDef.ConfigKey>> groups = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey key : ConflictTransformConfig.CONFIG_DEF.configKeys().values()) {
            if (!key.internalConfig) {
                groups.computeIfAbsent(key.group, g -> new ArrayList<>()).add(key);
            }
        }
        for (Map.Entry<String, List<ConfigDef.ConfigKey>> group : groups.entrySet()) {
            out.append("\n## ").append(group.getKey()).append("\n\n")
                    .append("| key | display name | type | default | valid values | importance | description |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            group.getValue().sort(Comparator.comparingInt(key -> key.orderInGroup));
            for (ConfigDef.ConfigKey key : group.getValue()) {
                out.append("| `").append(key.name).append("` | ").append(key.displayName).append(" | ")
                        .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ").append(defaultOf(key))
                        .append(" | ").append(key.validator == null ? "" : cell(key.validator.toString()))
                        .append(" | ").append(key.importance.name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(cell(key.documentation)).append(" |\n");
            }
        }
        out.append("\nProducer settings of the conflicts topic pass through with the prefix `")
                .append(ConflictTransformConfig.CONFLICTS_PRODUCER_PREFIX)
                .append("` (e.g. `conflicts.producer.security.protocol`); `enable.idempotence=true` and `acks=all` ")
                .append("are always set.\n");
        return out.toString();
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.defaultValue == null) {
            return "";
        }
        String value = ConfigDef.convertToString(key.defaultValue, key.type);
        return value == null || value.isEmpty() ? "\"\"" : "`" + value + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
