package io.sfsync.emulator.auth;

import java.util.Objects;

/**
 * A user of the emulated org.
 *
 * <p>Like Salesforce, the username-password flow expects {@code password + securityToken} in its {@code password}
 * parameter; a {@code null} or empty security token stands for a login from a trusted IP range, where the password
 * alone is enough. Usernames are matched case-insensitively, as Salesforce does.
 *
 * @param id            the 18-character User id, key prefix {@code 005}
 * @param username      the login name, e.g. {@code integration@example.com}
 * @param password      the password, without the security token
 * @param securityToken the security token, or {@code null} if none is needed
 * @param active        {@code false} for a deactivated user, who can get no tokens
 */
public record EmulatorUser(String id, String username, String password, String securityToken, boolean active) {

    private static final String USER_KEY_PREFIX = "005";

    public EmulatorUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (id.length() != 18 || !id.startsWith(USER_KEY_PREFIX)) {
            throw new IllegalArgumentException("a User id has 18 characters and starts with 005: " + id);
        }
        if (username.isBlank()) {
            throw new IllegalArgumentException("username is blank");
        }
    }

    /** An active user who needs no security token. */
    public static EmulatorUser active(String id, String username, String password) {
        return new EmulatorUser(id, username, password, null, true);
    }

    /** The same user, activated or deactivated (an admin unticking "Active"). */
    public EmulatorUser withActive(boolean newActive) {
        return new EmulatorUser(id, username, password, securityToken, newActive);
    }

    /** What the username-password flow must receive as {@code password}. */
    String expectedPasswordParameter() {
        return securityToken == null ? password : password + securityToken;
    }

    /** Leaves out the password and the security token. */
    @Override
    public String toString() {
        return "EmulatorUser[id=" + id + ", username=" + username + ", active=" + active + "]";
    }
}
