package io.sfsync.salesforce.auth;

import java.util.Objects;

/**
 * A secret value (client secret, password, private key, refresh token). Its {@link #toString()} never shows it, so
 * it is safe in logs, exceptions and the {@code toString()} of the records that hold it; only {@link #reveal()}
 * returns it, for the one place that sends it.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "secret value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** Null for null, so optional secrets stay optional. */
    public static Secret ofNullable(String value) {
        return value == null ? null : new Secret(value);
    }

    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return "[hidden]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
