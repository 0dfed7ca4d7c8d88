/**
 * OAuth 2.0 for the emulated org: the credential model ({@link io.sfsync.emulator.auth.EmulatorUser},
 * {@link io.sfsync.emulator.auth.ConnectedApp}), the {@link io.sfsync.emulator.auth.TokenService} that issues,
 * validates and revokes sessions, and the {@link io.sfsync.emulator.auth.OAuthServlet} that serves
 * {@code /services/oauth2/token}, {@code /revoke} and {@code /userinfo} with Salesforce's wire format.
 *
 * <p>Where Salesforce's behaviour was checked against its documentation or real captured responses, the class that
 * implements it says so. Nothing in this package logs passwords, secrets, tokens or assertions.
 */
package io.sfsync.emulator.auth;
