package io.sfsync.emulator.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GrantTypeTest {

    private final TestOrg org = new TestOrg();

    @Test
    void unknownGrantTypeIsNotSupported() {
        TokenResponse response = org.token("grant_type", "authorization_code_typo");

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.body()).containsExactly(
                Map.entry("error", "unsupported_grant_type"),
                Map.entry("error_description", "grant type not supported"));
    }

    @Test
    void missingGrantTypeIsNotSupported() {
        TokenResponse response = org.token("client_id", TestOrg.MAIN_CLIENT_ID);

        assertThat(response.is(OAuthError.UNSUPPORTED_GRANT_TYPE)).isTrue();
    }
}
