package io.sfsync.salesforce.auth;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.emulator.junit.SalesforceEmulatorExtension;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.error.SalesforceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Secrets never appear in toString(), exception messages or log output. */
class SecretsTest {

    @RegisterExtension
    static final SalesforceEmulatorExtension SF = new SalesforceEmulatorExtension();

    @Test
    void toStringHidesEverySecret() {
        URI u = URI.create("https://login.salesforce.com");
        assertThat(Secret.of("s3cr3t").toString()).doesNotContain("s3cr3t");
        assertThat(new SalesforceCredentials.ClientCredentials(u, "id", Secret.of("cc-s3cr3t")).toString())
                .doesNotContain("cc-s3cr3t").contains("id");
        assertThat(new SalesforceCredentials.Password(u, "id", Secret.of("pw-client-s3cr3t"), "me@x.com",
                Secret.of("pw-s3cr3t"), Secret.of("tok-s3cr3t")).toString())
                .doesNotContain("pw-client-s3cr3t", "pw-s3cr3t", "tok-s3cr3t").contains("me@x.com");
        assertThat(new SalesforceCredentials.RefreshToken(u, "id", null, Secret.of("rt-s3cr3t")).toString())
                .doesNotContain("rt-s3cr3t");
        assertThat(new SalesforceCredentials.JwtBearer(u, "id", "me@x.com", Secret.of("-----BEGIN PRIVATE KEY-----"
                + "pem-s3cr3t"), null).toString()).doesNotContain("pem-s3cr3t");
        assertThat(new AccessToken("00Dtoken!s3cr3t", u, null, "00D", "005", Instant.EPOCH).toString())
                .doesNotContain("00Dtoken!s3cr3t");
    }

    @Test
    void noSecretOrTokenInLogsOrExceptionsThroughLoginRevocationAndFailure() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String token;
        String failureMessage;
        try (SalesforceClient sf = TestSupport.client(SF.emulator()).build()) {
            sf.describe().describe("Account");
            token = sf.tokens().current().value();
            SF.emulator().tokens().revoke(token);
            sf.describe().revalidate("Account");
            var bad = new SalesforceCredentials.ClientCredentials(URI.create(SF.emulator().baseUrl()),
                    SalesforceEmulator.CLIENT_ID, Secret.of("leaky-secret-999"));
            SalesforceException e = catchThrowableOfType(SalesforceException.class,
                    () -> SalesforceClient.builder(bad, "x").governorRegistry(
                            new io.sfsync.salesforce.budget.GovernorRegistry()).build());
            failureMessage = e.getMessage() + " " + e.getCause();
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("Logged in to org"); // the capture works
        assertThat(logs).doesNotContain(token, SalesforceEmulator.CLIENT_SECRET, "leaky-secret-999");
        assertThat(failureMessage).doesNotContain("leaky-secret-999", SalesforceEmulator.CLIENT_SECRET);
    }
}
