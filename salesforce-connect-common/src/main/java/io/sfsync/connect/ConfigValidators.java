package io.sfsync.connect;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Validators and recommenders both connectors' ConfigDefs use, and the error helper of their validate(). */
public final class ConfigValidators {

    private ConfigValidators() {
    }

    /** One of the enum's constant names, case-insensitive (surrounding blanks ignored). */
    public static <E extends Enum<E>> ConfigDef.Validator enumValidator(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null || !names.contains(value.toString().trim().toUpperCase(Locale.ROOT))) {
                    throw new ConfigException(name, value, "must be one of " + names);
                }
            }

            @Override
            public String toString() {
                return "one of " + names;
            }
        };
    }

    /** The whole value matches {@code pattern}; {@code what} says in words what that is, for errors and docs. */
    public static ConfigDef.Validator patternValidator(Pattern pattern, String what) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value != null && !pattern.matcher(value.toString()).matches()) {
                    throw new ConfigException(name, value, "must be " + what);
                }
            }

            @Override
            public String toString() {
                return what;
            }
        };
    }

    /** An absolute http(s) URL; null passes (a missing required value is reported by ConfigDef itself). */
    public static final class HttpUrl implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            try {
                URI uri = URI.create(value.toString().trim());
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new ConfigException(name, value,
                            "must be an absolute http(s) URL such as https://login.salesforce.com");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "not a URL: " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "an absolute https URL";
        }
    }

    /** Recommends a fixed list of values, always visible. */
    public static class ListRecommender implements ConfigDef.Recommender {
        private final List<Object> values;

        public ListRecommender(List<?> values) {
            this.values = List.copyOf(values);
        }

        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return values;
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }

    /** Recommends the enum's constant names. */
    public static final class EnumRecommender<E extends Enum<E>> extends ListRecommender {
        public EnumRecommender(Class<E> type) {
            super(Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
        }
    }

    /** Adds {@code message} to the key's errors once (several rules may reach the same conclusion). */
    public static void addError(Map<String, ConfigValue> values, String key, String message) {
        ConfigValue v = values.get(key);
        if (v != null && !v.errorMessages().contains(message)) {
            v.addErrorMessage(message);
        }
    }
}
