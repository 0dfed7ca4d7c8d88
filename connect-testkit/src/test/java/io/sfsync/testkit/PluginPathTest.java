package io.sfsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginPathTest {

    @TempDir
    Path temp;

    @Test
    void zipWithOneRootDirectoryBecomesOnePluginDirectoryNamedAfterTheArchive() throws IOException {
        Path archive = zip(temp.resolve("our-plugin-1.0.zip"), "our-plugin/lib/a.jar", "our-plugin/manifest.json");

        PluginPath path = PluginPath.builder().directory(temp.resolve("plugins")).addArchive(archive).build();

        Path plugin = temp.resolve("plugins").resolve("our-plugin-1.0");
        assertThat(path.plugins()).containsExactly(plugin);
        assertThat(plugin.resolve("lib/a.jar")).hasContent("lib/a.jar");
        assertThat(plugin.resolve("manifest.json")).exists();
    }

    @Test
    void unchangedArchiveIsNotUnpackedTwiceAndAChangedOneIsReplaced() throws IOException {
        Path archive = zip(temp.resolve("p.zip"), "a.jar");
        Path plugins = temp.resolve("plugins");
        PluginPath.builder().directory(plugins).addArchive(archive).build();
        Path stray = plugins.resolve("p/stray.txt");
        Files.writeString(stray, "left by a previous run");

        PluginPath.builder().directory(plugins).addArchive(archive).build();
        assertThat(stray).exists();

        zip(archive, "b.jar");
        Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        PluginPath.builder().directory(plugins).addArchive(archive).build();
        assertThat(stray).doesNotExist();
        assertThat(plugins.resolve("p/a.jar")).doesNotExist();
        assertThat(plugins.resolve("p/b.jar")).exists();
    }

    @Test
    void directoryIsCopiedAsOnePlugin() throws IOException {
        Path source = Files.createDirectories(temp.resolve("built/my-smt"));
        Files.writeString(source.resolve("my-smt.jar"), "jar");

        PluginPath path = PluginPath.builder().directory(temp.resolve("plugins")).addDirectory(source).build();

        assertThat(path.plugins()).containsExactly(temp.resolve("plugins/my-smt"));
        assertThat(temp.resolve("plugins/my-smt/my-smt.jar")).hasContent("jar");
    }

    @Test
    void pluginsOutsideTheSetAreRemovedAndEachSetHasItsOwnDefaultDirectory() throws IOException {
        Path a = zip(temp.resolve("a-1.zip"), "a.jar");
        Path b = zip(temp.resolve("b-1.zip"), "b.jar");
        Path shared = temp.resolve("plugins");
        PluginPath.builder().directory(shared).addArchive(a).addArchive(b).build();

        PluginPath onlyA = PluginPath.builder().directory(shared).addArchive(a).build();
        assertThat(onlyA.plugins()).containsExactly(shared.resolve("a-1"));

        PluginPath defaultA = PluginPath.builder().addArchive(a).build();
        PluginPath defaultAb = PluginPath.builder().addArchive(a).addArchive(b).build();
        assertThat(defaultA.directory()).isNotEqualTo(defaultAb.directory());
        assertThat(defaultA.directory().getParent()).isEqualTo(PluginPath.buildDirectory().resolve("plugin-paths"));
        assertThat(defaultAb.plugins()).hasSize(2);
    }

    @Test
    void entryEscapingThePluginDirectoryIsRefused() throws IOException {
        Path archive = zip(temp.resolve("evil.zip"), "../../escaped.jar");

        assertThatThrownBy(() -> PluginPath.builder().directory(temp.resolve("plugins")).addArchive(archive).build())
                .hasRootCauseMessage("Archive entry ../../escaped.jar escapes "
                        + temp.resolve("plugins/.evil.staging"));
        assertThat(temp.resolve("escaped.jar")).doesNotExist();
    }

    @Test
    void missingArchiveNamesWhatToBuild() {
        assertThatThrownBy(() -> PluginPath.builder().addArchive(temp.resolve("absent.zip")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absent.zip");
    }

    @Test
    void mavenCoordinatesNameTheLocalRepositoryFile() {
        PluginPath.MavenArtifact artifact =
                PluginPath.MavenArtifact.parse("io.debezium:debezium-connector-jdbc:3.6.0.Final:plugin:tar.gz");

        assertThat(artifact.fileName()).isEqualTo("debezium-connector-jdbc-3.6.0.Final-plugin.tar.gz");
        assertThat(artifact.baseName()).isEqualTo("debezium-connector-jdbc-3.6.0.Final");
        assertThat(PluginPath.MavenArtifact.parse("g:a:1").fileName()).isEqualTo("a-1.jar");
        assertThatThrownBy(() -> PluginPath.MavenArtifact.parse("g:a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pinnedDebeziumVersionsComeFromTheBuild() {
        assertThat(PluginPath.KitVersions.debeziumPostgres())
                .startsWith("io.debezium:debezium-connector-postgres:3.").endsWith(":plugin:tar.gz");
        assertThat(PluginPath.KitVersions.debeziumJdbc())
                .startsWith("io.debezium:debezium-connector-jdbc:3.").endsWith(":plugin:tar.gz");
    }

    private static Path zip(Path file, String... entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(entry.replaceFirst("^[^/]*/", "").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }
}
