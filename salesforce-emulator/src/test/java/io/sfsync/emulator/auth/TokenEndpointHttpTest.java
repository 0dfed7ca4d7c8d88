package io.sfsync.emulator.auth;

import static io.sfsync.emulator.auth.TestOrg.ALICE;
import static io.sfsync.emulator.auth.TestOrg.MAIN_CLIENT_ID;
import static io.sfsync.emulator.auth.TestOrg.MAIN_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenEndpointHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OAuthTestServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new OAuthTestServer();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void passwordFlowAnswersSalesforcesJsonWithStringValuesOnly() throws Exception {
        HttpResponse<String> response = server.postForm("token", "grant_type", "password",
                "client_id", MAIN_CLIENT_ID, "client_secret", MAIN_SECRET,
                "username", ALICE.username(), "password", "Correct-Horse-1Sectok12345");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                .isEqualToIgnoringCase("application/json;charset=UTF-8");
        assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).contains("no-cache", "no-store");
        JsonNode body = JSON.readTree(response.body());
        assertThat(fieldNames(body)).containsExactly(
                "access_token", "instance_url", "id", "token_type", "issued_at", "signature");
        body.fields().forEachRemaining(field -> assertThat(field.getValue().isTextual()).as(field.getKey()).isTrue());
        assertThat(body.get("issued_at").asText()).matches("\\d{13}");
        assertThat(body.get("instance_url").asText()).isEqualTo(server.baseUrl());
        assertThat(server.org.service.validate(body.get("access_token").asText())).isPresent();
    }

    @Test
    void clientCredentialsFlowWithHttpBasicAnswersItsKeys() throws Exception {
        String basic = Base64.getEncoder().encodeToString(
                (MAIN_CLIENT_ID + ":" + MAIN_SECRET).getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = server.send(server.request("token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(fieldNames(body)).containsExactly(
                "access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at");
        assertThat(body.get("issued_at").isTextual()).isTrue();
    }

    @Test
    void jwtBearerFlowAnswersWithoutSignatureIssuedAtOrRefreshToken() throws Exception {
        HttpResponse<String> response = server.postForm("token",
                "grant_type", TokenService.JWT_BEARER_GRANT, "assertion", server.org.validJwt().compact());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(fieldNames(JSON.readTree(response.body())))
                .containsExactly("access_token", "scope", "instance_url", "id", "token_type");
    }

    @Test
    void jwtAudienceMayBeTheEmulatorsOwnUrl() throws Exception {
        HttpResponse<String> response = server.postForm("token", "grant_type", TokenService.JWT_BEARER_GRANT,
                "assertion", server.org.validJwt().claim("aud", server.baseUrl()).compact());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void refreshFlowAnswersANewAccessTokenAndNoRefreshToken() throws Exception {
        String refreshToken = server.org.service.grantRefreshToken(ALICE.id(), MAIN_CLIENT_ID);

        HttpResponse<String> response = server.postForm("token", "grant_type", "refresh_token",
                "client_id", MAIN_CLIENT_ID, "client_secret", MAIN_SECRET, "refresh_token", refreshToken);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(fieldNames(body)).containsExactly(
                "access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at");
        assertThat(body.has("refresh_token")).isFalse();
    }

    @Test
    void errorBodyMatchesARealSalesforceResponseByteForByte() throws Exception {
        // Captured from a real org (salesforce.stackexchange.com/q/207685): 400, application/json;charset=UTF-8,
        // Content-Length 82.
        HttpResponse<String> response = server.postForm("token", "grant_type", TokenService.JWT_BEARER_GRANT,
                "assertion", server.org.validJwt().claim("sub", "nobody@example.com").compact());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                .isEqualToIgnoringCase("application/json;charset=UTF-8");
        assertThat(response.body())
                .isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":\"user hasn't approved this consumer\"}")
                .hasSize(82);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad password          | grant_type=password&client_id=3MVG9main.consumer_key&client_secret=A1B2C3D4E5F6MAINSECRET&username=bob%40example.com&password=wrong | invalid_grant          | authentication failure",
        "unknown client        | grant_type=password&client_id=nope&client_secret=x&username=bob%40example.com&password=Bob-Pass-2                                 | invalid_client_id      | client identifier invalid",
        "wrong secret          | grant_type=client_credentials&client_id=3MVG9main.consumer_key&client_secret=wrong                                                | invalid_client         | invalid client credentials",
        "no run-as user        | grant_type=client_credentials&client_id=3MVG9bare.consumer_key&client_secret=BARESECRET5555                                       | invalid_grant          | no client credentials user enabled",
        "unknown refresh token | grant_type=refresh_token&client_id=3MVG9main.consumer_key&refresh_token=5Aep861nope                                               | invalid_grant          | expired access/refresh token",
        "garbage assertion     | grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=abc                                                    | invalid_grant          | invalid assertion",
        "unknown grant type    | grant_type=authorization_code&code=x                                                                                              | unsupported_grant_type | grant type not supported",
    })
    void errorsAre400WithSalesforcesCodeAndDescription(String scenario, String formBody, String error,
                                                       String description) throws Exception {
        HttpResponse<String> response = server.send(server.request("token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody)));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(fieldNames(body)).containsExactly("error", "error_description");
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).isEqualTo(description);
    }

    @Test
    void jsonRequestBodyIsNotReadSoTheGrantTypeIsNotSupported() throws Exception {
        HttpResponse<String> response = server.send(server.request("token")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"grant_type\":\"client_credentials\",\"client_id\":\"" + MAIN_CLIENT_ID
                                + "\",\"client_secret\":\"" + MAIN_SECRET + "\"}")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .isEqualTo("{\"error\":\"unsupported_grant_type\",\"error_description\":\"grant type not supported\"}");
    }

    @Test
    void parametersInTheQueryStringAreAccepted() throws Exception {
        HttpResponse<String> response = server.send(server.request("token?"
                        + OAuthTestServer.formBody("grant_type", "client_credentials",
                        "client_id", MAIN_CLIENT_ID, "client_secret", MAIN_SECRET))
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void formatParameterSelectsAFormEncodedResponse() throws Exception {
        HttpResponse<String> response = server.postForm("token", "grant_type", "client_credentials",
                "client_id", MAIN_CLIENT_ID, "client_secret", "wrong", "format", "urlencoded");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/x-www-form-urlencoded");
        assertThat(response.body()).isEqualTo("error=invalid_client&error_description=invalid%20client%20credentials");
    }

    @Test
    void getIsNotAllowedOnTheTokenEndpoint() throws Exception {
        HttpResponse<String> response = server.send(server.request("token?grant_type=password").GET());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void unknownOAuthPathIsNotFound() throws Exception {
        assertThat(server.postForm("authorize", "response_type", "code").statusCode()).isEqualTo(404);
        assertThat(server.send(server.request("").GET()).statusCode()).isEqualTo(404);
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
