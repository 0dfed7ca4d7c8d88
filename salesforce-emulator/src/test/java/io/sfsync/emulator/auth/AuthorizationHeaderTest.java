package io.sfsync.emulator.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthorizationHeaderTest {

    @Test
    void readsBearerAndOAuthSchemesCaseInsensitively() {
        assertThat(AuthorizationHeader.accessToken("Bearer 00D!abc")).contains("00D!abc");
        assertThat(AuthorizationHeader.accessToken("OAuth 00D!abc")).contains("00D!abc");
        assertThat(AuthorizationHeader.accessToken("bearer   00D!abc  ")).contains("00D!abc");
    }

    @Test
    void ignoresOtherSchemesAndEmptyValues() {
        assertThat(AuthorizationHeader.accessToken("Basic dXNlcjpwYXNz")).isEmpty();
        assertThat(AuthorizationHeader.accessToken("Bearer ")).isEmpty();
        assertThat(AuthorizationHeader.accessToken("00D!abc")).isEmpty();
        assertThat(AuthorizationHeader.accessToken(null)).isEmpty();
    }
}
