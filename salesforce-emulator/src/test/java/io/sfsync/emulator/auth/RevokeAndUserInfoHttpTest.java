package io.sfsync.emulator.auth;

import static io.sfsync.emulator.auth.TestOrg.ALICE;
import static io.sfsync.emulator.auth.TestOrg.MAIN_CLIENT_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RevokeAndUserInfoHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNSUPPORTED_TOKEN_TYPE_FORM =
            "error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported";

    private OAuthTestServer server;
    private String accessToken;

    @BeforeEach
    void startServer() throws Exception {
        server = new OAuthTestServer();
        accessToken = server.org.service.createSession(ALICE.id(), MAIN_CLIENT_ID).accessToken();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void revokingAnAccessTokenAnswers200WithAnEmptyBody() throws Exception {
        HttpResponse<String> response = server.postForm("revoke", "token", accessToken);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(server.org.service.validate(accessToken)).isEmpty();
    }

    @Test
    void revokingARefreshTokenEndsItsSessions() throws Exception {
        String refreshToken = server.org.service.grantRefreshToken(ALICE.id(), MAIN_CLIENT_ID);
        String fromRefresh = server.org.token("grant_type", "refresh_token", "client_id", MAIN_CLIENT_ID,
                "refresh_token", refreshToken).accessToken().orElseThrow();

        assertThat(server.postForm("revoke", "token", refreshToken).statusCode()).isEqualTo(200);

        assertThat(server.org.service.validate(fromRefresh)).isEmpty();
        assertThat(server.org.service.validate(accessToken)).isPresent();
    }

    @Test
    void revokeAlsoWorksAsAGetWithTheTokenInTheQuery() throws Exception {
        HttpResponse<String> response = server.send(server.request("revoke?token=" + accessToken).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(server.org.service.validate(accessToken)).isEmpty();
    }

    @Test
    void unknownTokenIs400UnsupportedTokenTypeFormEncodedByDefault() throws Exception {
        HttpResponse<String> response = server.postForm("revoke", "token", "00D5g00000LxQ2a!AQneverissued");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(UNSUPPORTED_TOKEN_TYPE_FORM);
    }

    @Test
    void revokingTwiceFailsTheSecondTime() throws Exception {
        assertThat(server.postForm("revoke", "token", accessToken).statusCode()).isEqualTo(200);

        HttpResponse<String> again = server.postForm("revoke", "token", accessToken);

        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).isEqualTo(UNSUPPORTED_TOKEN_TYPE_FORM);
    }

    @Test
    void revokeErrorIsJsonWhenTheClientAcceptsJson() throws Exception {
        HttpResponse<String> response = server.send(server.request("revoke")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("token=nope")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                .isEqualToIgnoringCase("application/json;charset=UTF-8");
        assertThat(response.body())
                .isEqualTo("{\"error\":\"unsupported_token_type\",\"error_description\":\"this token type is not supported\"}");
    }

    @Test
    void revokeWithoutATokenIsAnError() throws Exception {
        assertThat(server.postForm("revoke").statusCode()).isEqualTo(400);
    }

    @Test
    void deleteIsNotAllowedOnRevoke() throws Exception {
        HttpResponse<String> response = server.send(server.request("revoke").DELETE());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("GET, POST");
    }

    @Test
    void userInfoDescribesTheTokensUser() throws Exception {
        HttpResponse<String> response = server.send(server.request("userinfo")
                .header("Authorization", "Bearer " + accessToken).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                .isEqualToIgnoringCase("application/json;charset=UTF-8");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("user_id").asText()).isEqualTo(ALICE.id());
        assertThat(body.get("organization_id").asText()).isEqualTo(TestOrg.ORG_ID);
        assertThat(body.get("preferred_username").asText()).isEqualTo(ALICE.username());
        assertThat(body.get("sub").asText())
                .isEqualTo("https://login.salesforce.com/id/" + TestOrg.ORG_ID + "/" + ALICE.id());
        assertThat(body.get("active").asBoolean()).isTrue();
    }

    @Test
    void userInfoAcceptsTheOAuthScheme() throws Exception {
        HttpResponse<String> response = server.send(server.request("userinfo")
                .header("Authorization", "OAuth " + accessToken).GET());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void userInfoWithoutATokenIs403MissingOAuthToken() throws Exception {
        HttpResponse<String> response = server.send(server.request("userinfo").GET());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("Missing_OAuth_Token");
    }

    @Test
    void userInfoWithARevokedTokenIs403BadOAuthToken() throws Exception {
        server.org.service.revoke(accessToken);

        HttpResponse<String> response = server.send(server.request("userinfo")
                .header("Authorization", "Bearer " + accessToken).GET());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("Bad_OAuth_Token");
    }

    @Test
    void putIsNotAllowedOnUserInfo() throws Exception {
        HttpResponse<String> response = server.send(server.request("userinfo")
                .header("Authorization", "Bearer " + accessToken)
                .PUT(HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(405);
    }
}
