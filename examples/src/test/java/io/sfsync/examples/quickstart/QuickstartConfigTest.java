package io.sfsync.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartConfigTest {

    private static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIsecret\n-----END PRIVATE KEY-----";

    @TempDir
    Path folder;

    @Test
    void defaultsRunEverythingLocallyOnFixedPorts() {
        QuickstartConfig config = QuickstartConfig.load(Map.of(), Optional.empty());

        assertThat(config.realOrg()).isFalse();
        assertThat(config.embeddedPostgres()).isTrue();
        assertThat(config.kafkaPort()).isEqualTo(19092);
        assertThat(config.connectRestPort()).isEqualTo(18083);
        assertThat(config.postgresPort()).isEqualTo(15432);
        assertThat(config.emulatorPort()).isEqualTo(18080);
        assertThat(config.dataDir()).isEqualTo(Path.of("target/quickstart").toAbsolutePath());
        assertThat(config.statusInterval().toSeconds()).isEqualTo(10);
        assertThat(config.seedEnabled()).isTrue();
    }

    @Test
    void environmentVariablesAreTheKeysInUpperCaseWithUnderscores() {
        assertThat(QuickstartConfig.environmentVariable("salesforce.client.id")).isEqualTo("SFSYNC_SALESFORCE_CLIENT_ID");
        assertThat(QuickstartConfig.environmentVariable("quickstart.data.dir")).isEqualTo("SFSYNC_QUICKSTART_DATA_DIR");
    }

    @Test
    void theEnvironmentWinsOverTheFileWhichWinsOverDefaults() throws IOException {
        Path file = write("kafka.port=29092\nconnect.rest.port=28083\n");

        QuickstartConfig config = QuickstartConfig.load(Map.of("SFSYNC_KAFKA_PORT", "39092"), Optional.of(file));

        assertThat(config.kafkaPort()).isEqualTo(39092);
        assertThat(config.connectRestPort()).isEqualTo(28083);
        assertThat(config.postgresPort()).isEqualTo(15432);
    }

    @Test
    void theFileCanBeNamedByTheEnvironment() throws IOException {
        Path file = write("postgres.port=25432\n");

        QuickstartConfig config = QuickstartConfig.load(Map.of("SFSYNC_QUICKSTART_CONFIG", file.toString()),
                Optional.empty());

        assertThat(config.postgresPort()).isEqualTo(25432);
    }

    @Test
    void aMisspeltKeyInTheFileIsRejectedByName() throws IOException {
        Path file = write("kafka.prot=1\n");

        assertThatThrownBy(() -> QuickstartConfig.load(Map.of(), Optional.of(file)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.prot")
                .hasMessageContaining("not a quickstart setting");
    }

    @Test
    void anInvalidValueIsRejectedOnItsKey() {
        assertThatThrownBy(() -> QuickstartConfig.load(Map.of("SFSYNC_KAFKA_PORT", "70000"), Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.port");
        assertThatThrownBy(() -> QuickstartConfig.load(Map.of("SFSYNC_SALESFORCE_AUTH_TYPE", "SAML"),
                Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("salesforce.auth.type");
    }

    @Test
    void aClientIdSelectsARealOrgAndSecretsFromTheEnvironmentReachConnectorsAsReferences() {
        QuickstartConfig config = QuickstartConfig.load(Map.of(
                "SFSYNC_SALESFORCE_LOGIN_URL", "https://acme.my.salesforce.com",
                "SFSYNC_SALESFORCE_CLIENT_ID", "3MVG9consumerKey",
                "SFSYNC_SALESFORCE_USERNAME", "sync@acme.com",
                "SFSYNC_SALESFORCE_JWT_PRIVATE_KEY", PEM), Optional.empty());

        assertThat(config.realOrg()).isTrue();
        assertThat(config.salesforceConnection()).containsExactly(
                Map.entry("salesforce.login.url", "https://acme.my.salesforce.com"),
                Map.entry("salesforce.auth.type", "JWT_BEARER"),
                Map.entry("salesforce.client.id", "3MVG9consumerKey"),
                Map.entry("salesforce.username", "sync@acme.com"),
                Map.entry("salesforce.jwt.private.key", "${env:SFSYNC_SALESFORCE_JWT_PRIVATE_KEY}"));
        assertThat(config.salesforceConnection().values()).noneMatch(value -> value.contains("MIIsecret"));
    }

    @Test
    void secretsFromTheFileReachConnectorsAsFileProviderReferences() throws IOException {
        Path file = write("salesforce.login.url=https://test.salesforce.com\nsalesforce.auth.type=CLIENT_CREDENTIALS\n"
                + "salesforce.client.id=3MVG9consumerKey\nsalesforce.client.secret=s3cr3t\n"
                + "postgres.writer.password=w-pass\n");

        QuickstartConfig config = QuickstartConfig.load(Map.of(), Optional.of(file));

        assertThat(config.salesforceConnection()).containsEntry("salesforce.client.secret",
                "${file:" + file.toAbsolutePath() + ":salesforce.client.secret}");
        assertThat(config.secretForConnector(QuickstartConfig.POSTGRES_WRITER_PASSWORD))
                .isEqualTo("${file:" + file.toAbsolutePath() + ":postgres.writer.password}");
        // A default has no source to refer to: the value itself (the embedded server trusts local connections).
        assertThat(config.secretForConnector(QuickstartConfig.POSTGRES_REPLICATION_PASSWORD))
                .isEqualTo("sfsync-replication");
        assertThat(config.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void theDataDirectoryIsReadTheSameWayBeforeLoggingStarts() throws IOException {
        Path file = write("quickstart.data.dir=" + folder.resolve("from-file") + "\n");

        assertThat(Quickstart.dataDirBeforeLogging(Map.of(), Optional.empty()))
                .isEqualTo(QuickstartConfig.load(Map.of(), Optional.empty()).dataDir());
        assertThat(Quickstart.dataDirBeforeLogging(Map.of(), Optional.of(file)))
                .isEqualTo(QuickstartConfig.load(Map.of(), Optional.of(file)).dataDir());
        Map<String, String> environment = Map.of("SFSYNC_QUICKSTART_DATA_DIR", folder.resolve("env").toString(),
                "SFSYNC_QUICKSTART_CONFIG", file.toString());
        assertThat(Quickstart.dataDirBeforeLogging(environment, Optional.empty()))
                .isEqualTo(QuickstartConfig.load(environment, Optional.empty()).dataDir())
                .isEqualTo(folder.resolve("env").toAbsolutePath());
    }

    @Test
    void everyKeyHasDocumentationAGroupAndADisplayName() {
        for (ConfigKey key : QuickstartConfig.CONFIG_DEF.configKeys().values()) {
            assertThat(key.documentation).as("doc of %s", key.name).isNotBlank();
            assertThat(key.group).as("group of %s", key.name).isNotBlank();
            assertThat(key.displayName).as("display name of %s", key.name).isNotBlank();
        }
    }

    private Path write(String properties) throws IOException {
        Path file = folder.resolve("quickstart.properties");
        Files.writeString(file, properties);
        return file;
    }
}
