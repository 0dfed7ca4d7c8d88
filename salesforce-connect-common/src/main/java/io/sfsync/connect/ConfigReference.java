package io.sfsync.connect;

import org.apache.kafka.common.config.ConfigDef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The committed configuration reference ({@code CONFIGURATION.md}) of a connector, generated from its
 * {@link ConfigDef}: one table per group, keys in their order in the group. Each connector's
 * {@code ConfigReferenceTest} compares the committed file with {@link #markdown} (and rewrites it when run with
 * {@code -D}{@value #REGENERATE_PROPERTY}{@code =true}), and checks {@link #undocumentedKeys} is empty.
 */
public final class ConfigReference {

    /** The system property that makes {@link #regenerateIfAsked} rewrite the committed file. */
    public static final String REGENERATE_PROPERTY = "sfsync.regenerate";

    private ConfigReference() {
    }

    /**
     * The reference of {@code module}'s public keys; {@code source} names the ConfigDef it comes from (e.g.
     * {@code SalesforceSinkConfig.CONFIG_DEF}).
     */
    public static String markdown(String module, String source, ConfigDef def) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(module).append(" configuration reference\n\n")
                .append("Generated from `").append(source).append("`; do not edit by hand. `ConfigReferenceTest`")
                .append(" fails when this file drifts; regenerate it with `mvn -o -pl ").append(module)
                .append(" -am test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -D")
                .append(REGENERATE_PROPERTY).append("=true`.\n");
        Map<String, List<ConfigDef.ConfigKey>> groups = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey k : def.configKeys().values()) {
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
                        .append(k.type.name().toLowerCase(Locale.ROOT)).append(" | ").append(defaultOf(k))
                        .append(" | ").append(k.validator == null ? "" : cell(k.validator.toString())).append(" | ")
                        .append(k.importance.name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(cell(k.documentation)).append(" |\n");
            }
        }
        return out.toString();
    }

    /** Writes {@code generated} to {@code committed} when {@value #REGENERATE_PROPERTY} is true; else nothing. */
    public static void regenerateIfAsked(Path committed, String generated) throws IOException {
        if (Boolean.getBoolean(REGENERATE_PROPERTY)) {
            Files.writeString(committed, generated);
        }
    }

    /**
     * The drift check of a connector's {@code ConfigReferenceTest}: after {@link #regenerateIfAsked}, what is wrong
     * with the committed file (missing, or not the generated text), or empty when it is current.
     */
    public static Optional<String> drift(Path committed, String generated) throws IOException {
        regenerateIfAsked(committed, generated);
        String fix = ": run the test with -D" + REGENERATE_PROPERTY + "=true and commit the file";
        if (!Files.exists(committed)) {
            return Optional.of(committed + " is missing" + fix);
        }
        return Files.readString(committed).equals(generated) ? Optional.empty()
                : Optional.of(committed + " drifted from the ConfigDef" + fix);
    }

    /**
     * What the reference would lack: one line per public key without documentation, group, display name or a
     * positive order in its group. Empty when every key is complete.
     */
    public static List<String> undocumentedKeys(ConfigDef def) {
        List<String> problems = new ArrayList<>();
        for (ConfigDef.ConfigKey k : def.configKeys().values()) {
            if (k.internalConfig) {
                continue;
            }
            if (blank(k.documentation)) {
                problems.add(k.name + ": no documentation");
            }
            if (blank(k.group)) {
                problems.add(k.name + ": no group");
            }
            // ConfigDef falls back to the key's name when no display name is given
            if (blank(k.displayName) || k.displayName.equals(k.name)) {
                problems.add(k.name + ": no display name");
            }
            if (k.orderInGroup < 1) {
                problems.add(k.name + ": no order in its group");
            }
        }
        return problems;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
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
