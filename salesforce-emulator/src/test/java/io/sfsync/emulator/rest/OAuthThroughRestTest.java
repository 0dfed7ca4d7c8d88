package io.sfsync.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A token from the real token endpoint works on REST, and stops working when revoked or expired. */
class OAuthThroughRestTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SALESFORCE = new SalesforceEmulatorExtension();
    static final String V = "/services/data/v62.0";

    private String clientCredentialsToken() {
        EmulatorHttp anonymous = new EmulatorHttp(SALESFORCE.emulator().baseUrl(), null);
        EmulatorHttp.Reply r = anonymous.send("POST", "/services/oauth2/token",
                "grant_type=client_credentials&client_id=" + enc(SalesforceEmulator.CLIENT_ID)
                        + "&client_secret=" + enc(SalesforceEmulator.CLIENT_SECRET),
                "application/x-www-form-urlencoded");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("instance_url").asText()).isEqualTo(SALESFORCE.emulator().baseUrl());
        return r.json().get("access_token").asText();
    }

    @Test
    void revokedTokenGets401OnTheNextCall() {
        String token = clientCredentialsToken();
        EmulatorHttp http = new EmulatorHttp(SALESFORCE.emulator().baseUrl(), token);
        assertThat(http.get(V + "/sobjects/Account/describe").status()).isEqualTo(200);
        EmulatorHttp.Reply revoke = new EmulatorHttp(SALESFORCE.emulator().baseUrl(), null).send("POST",
                "/services/oauth2/revoke", "token=" + enc(token), "application/x-www-form-urlencoded");
        assertThat(revoke.status()).isEqualTo(200);
        EmulatorHttp.Reply after = http.get(V + "/sobjects/Account/describe");
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
    }

    @Test
    void expiredSessionsGet401AndANewTokenWorks() {
        EmulatorHttp http = new EmulatorHttp(SALESFORCE.emulator().baseUrl(), clientCredentialsToken());
        SALESFORCE.emulator().tokens().expireAll();
        assertThat(http.get(V + "/limits").status()).isEqualTo(401);
        http.setToken(clientCredentialsToken());
        assertThat(http.get(V + "/limits").status()).isEqualTo(200);
    }

    @Test
    void passwordFlowWorksForTheSeededUsers() {
        EmulatorHttp anonymous = new EmulatorHttp(SALESFORCE.emulator().baseUrl(), null);
        EmulatorHttp.Reply r = anonymous.send("POST", "/services/oauth2/token",
                "grant_type=password&client_id=" + enc(SalesforceEmulator.CLIENT_ID) + "&client_secret="
                        + enc(SalesforceEmulator.CLIENT_SECRET) + "&username=" + enc(SalesforceEmulator.ADMIN_USERNAME)
                        + "&password=" + enc(SalesforceEmulator.PASSWORD), "application/x-www-form-urlencoded");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("id").asText()).endsWith("/" + SalesforceEmulator.ADMIN_USER_ID);
        EmulatorHttp http = new EmulatorHttp(SALESFORCE.emulator().baseUrl(), r.json().get("access_token").asText());
        String id = http.post(V + "/sobjects/Account", "{\"Name\":\"Mine\"}").json().get("id").asText();
        assertThat(http.get(V + "/sobjects/Account/" + id).json().get("CreatedById").asText())
                .isEqualTo(SalesforceEmulator.ADMIN_USER_ID);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
