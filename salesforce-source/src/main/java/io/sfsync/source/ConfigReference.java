package io.sfsync.source;

import org.apache.kafka.common.config.ConfigDef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Generates the configuration reference ({@code CONFIGURATION.md}) from the {@link ConfigDef}. */
final class ConfigReference {

    private ConfigReference() {
    }

    static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# salesforce-source configuration reference\n\n")
                .append("Generated from `SalesforceSourceConfig.CONFIG_DEF` (do not edit by hand; ")
                .append("`ConfigReferenceTest` fails when this file drifts and writes the new text to ")
                .append("`target/CONFIGURATION.md`).\n");
        Map<String, List<ConfigDef.ConfigKey>> groups = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey k : SalesforceSourceConfig.CONFIG_DEF.configKeys().values()) {
            if (!k.internalConfig) {
                groups.computeIfAbsent(k.group, g -> new ArrayList<>()).add(k);
            }
        }
        for (Map.Entry<String, List<ConfigDef.ConfigKey>> g : groups.entrySet()) {
            out.append("\n## ").append(g.getKey()).append("\n\n")
                    .append("| key | display name | type | default | valid values | importance | description |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            g.getValue().sort(Comparator.comparingInt(k -> k.orderInGroup));
            for (ConfigDef.ConfigKey k : g.getValue()) {
                out.append("| `").append(k.name).append("` | ").append(k.displayName).append(" | ")
                        .append(k.type.name().toLowerCase()).append(" | ").append(defaultOf(k)).append(" | ")
                        .append(k.validator == null ? "" : cell(k.validator.toString())).append(" | ")
                        .append(k.importance.name().toLowerCase()).append(" | ").append(cell(k.documentation))
                        .append(" |\n");
            }
        }
        return out.toString();
    }

    private static String defaultOf(ConfigDef.ConfigKey k) {
        if (!k.hasDefault()) {
            return "(required)";
        }
        if (k.defaultValue == null) {
            return "";
        }
        String v = ConfigDef.convertToString(k.defaultValue, k.type);
        return v == null || v.isEmpty() ? "\"\"" : "`" + v + "`";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
