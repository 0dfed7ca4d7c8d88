package io.sfsync.emulator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void userToStringHidesPasswordAndSecurityToken() {
        EmulatorUser user = new EmulatorUser("0055g00000AbCdEAAV", "alice@example.com", "Pa55-word", "Tok3n", true);

        assertThat(user.toString())
                .contains("0055g00000AbCdEAAV", "alice@example.com")
                .doesNotContain("Pa55-word", "Tok3n");
    }

    @Test
    void connectedAppToStringHidesTheSecret() {
        ConnectedApp app = new ConnectedApp("3MVG9key", "TopSecretValue42", null, null);

        assertThat(app.toString()).contains("3MVG9key").doesNotContain("TopSecretValue42");
    }

    @Test
    void sessionToStringHidesTheAccessToken() {
        Session session = new Session("0055g00000AbCdEAAV", TestOrg.ORG_ID, "3MVG9key",
                "00D5g00000LxQ2a!AQsecretpart", Instant.EPOCH);

        assertThat(session.toString()).contains("0055g00000AbCdEAAV").doesNotContain("AQsecretpart");
    }

    @Test
    void tokenResponseToStringHidesTokensAndSignature() {
        TestOrg org = new TestOrg();
        TokenResponse response = org.passwordLogin(TestOrg.ALICE);

        assertThat(response.toString())
                .contains("access_token")
                .doesNotContain(response.accessToken().orElseThrow(), response.body().get("signature"));
    }

    @Test
    void clientCredentialsToStringHidesTheSecret() {
        assertThat(new ClientCredentials("3MVG9key", "TopSecretValue42").toString())
                .doesNotContain("TopSecretValue42");
    }

    @Test
    void userIdMustBeAnEighteenCharacterUserId() {
        assertThatThrownBy(() -> EmulatorUser.active("0015g00000AbCdEAAV", "a@example.com", "p"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmulatorUser.active("0055g00000AbCdE", "a@example.com", "p"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orgIdMustBeAnEighteenCharacterOrgId() {
        assertThatThrownBy(() -> TokenService.builder().orgId("00D5g00000LxQ2a"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenService.builder().orgId("0055g00000AbCdEAAV"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectedAppNeedsClientIdAndSecret() {
        assertThatThrownBy(() -> ConnectedApp.builder(" ", "secret")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectedApp.builder("3MVG9key", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void readsThePublicKeyOfAPemCertificate() throws Exception {
        PublicKey key = ConnectedApp.publicKeyFromPem(TestPem.certificate());

        assertThat(key.getAlgorithm()).isEqualTo("RSA");
        assertThat(key.getEncoded()).isNotEmpty();
    }

    @Test
    void readsAPemPublicKey() {
        PublicKey original = TestOrg.APP_KEYS.getPublic();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(original.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";

        assertThat(ConnectedApp.publicKeyFromPem(pem)).isEqualTo(original);
    }

    @Test
    void rejectsTextThatIsNotAPemKeyOrCertificate() {
        assertThatThrownBy(() -> ConnectedApp.publicKeyFromPem("hello"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectedApp.publicKeyFromPem(
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RSA PRIVATE KEY");
        assertThatThrownBy(() -> ConnectedApp.publicKeyFromPem(
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
