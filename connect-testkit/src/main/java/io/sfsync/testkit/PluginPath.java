package io.sfsync.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Connect {@code plugin.path} directory, laid out once per build under the module's {@code target/}.
 *
 * <p>Debezium's plugin archives are Maven dependencies of this kit (type {@code tar.gz}, classifier {@code plugin},
 * with every transitive dependency excluded), so Maven downloads them from Central into the local repository before
 * any test runs, in this module and in every module that uses the kit. At test time they are found in that local
 * repository ({@code maven.repo.local}, which the parent pom passes to surefire and failsafe, else
 * {@code ~/.m2/repository}) and unpacked here. Each archive is unpacked into its own sub-directory, which is one
 * plugin for Connect's isolating class loader; a marker file keyed by the archive's name, size and modification time
 * makes a second test (or a second fork) reuse the unpacked copy, and a file lock serialises forks.
 *
 * <p>Our own plugins are added as archives ({@code .zip}, {@code .tar.gz}) or directories produced by their module's
 * packaging.
 */
public final class PluginPath {

    private static final Logger log = LoggerFactory.getLogger(PluginPath.class);

    /** System property naming the build directory the kit works in; the parent pom sets it for tests. */
    public static final String WORK_DIR_PROPERTY = "sfsync.testkit.work";

    private static final String MARKER = ".sfsync-unpacked";

    private final Path directory;

    private PluginPath(Path directory) {
        this.directory = directory;
    }

    /** A plugin.path with Debezium's Postgres source and JDBC sink, under {@code target/plugin-paths/}. */
    public static PluginPath debezium() {
        return builder().withDebeziumPostgres().withDebeziumJdbc().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The directory to give Connect as {@code plugin.path}. */
    public Path directory() {
        return directory;
    }

    /** The plugin sub-directories, one per plugin, sorted by name. */
    public List<Path> plugins() {
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
    }

    @Override
    public String toString() {
        return directory.toString();
    }

    /** The build directory of the module under test: {@code sfsync.testkit.work}, else {@code ./target}. */
    static Path buildDirectory() {
        String configured = System.getProperty(WORK_DIR_PROPERTY);
        return (configured == null || configured.isBlank() ? Path.of("target") : Path.of(configured)).toAbsolutePath();
    }

    /** Builds a plugin.path from archives and directories. */
    public static final class Builder {
        private Path directory;
        /** plugin directory name to its source (an archive or a directory), in insertion order. */
        private final Map<String, Path> sources = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Where to lay the plugin.path out. By default each distinct set of plugins gets its own directory,
         * {@code target/plugin-paths/<hash of the plugin names>}, so tests with different sets never share one.
         * Sub-directories that are not plugins of this set are removed.
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
            return this;
        }

        /** Debezium's Postgres source connector (the version pinned in the parent pom). */
        public Builder withDebeziumPostgres() {
            return addMavenArtifact(KitVersions.debeziumPostgres());
        }

        /** Debezium's JDBC sink connector (the version pinned in the parent pom). */
        public Builder withDebeziumJdbc() {
            return addMavenArtifact(KitVersions.debeziumJdbc());
        }

        /**
         * A plugin archive from the local Maven repository, given as
         * {@code groupId:artifactId:version[:classifier[:type]]}; the type defaults to {@code jar}. The artifact
         * must be a dependency of the module under test, so that Maven has downloaded it. Archives built by another
         * module of this reactor are not in the local repository until installed: use {@link #addArchive(Path)}
         * with the file that module's build wrote.
         */
        public Builder addMavenArtifact(String coordinates) {
            MavenArtifact artifact = MavenArtifact.parse(coordinates);
            return add(artifact.baseName(), artifact.locate());
        }

        /**
         * A plugin archive ({@code .zip}, {@code .tar.gz} or {@code .tgz}, e.g. one built by a module's assembly);
         * it becomes one plugin directory named after the archive.
         */
        public Builder addArchive(Path archive) {
            if (!Files.isRegularFile(archive)) {
                throw new IllegalArgumentException("No plugin archive at " + archive.toAbsolutePath()
                        + " (is the module that builds it packaged before this test runs?)");
            }
            return add(Archives.baseName(archive.getFileName().toString()), archive);
        }

        /** A plugin directory (its jars, or jars in sub-directories), copied as one plugin. */
        public Builder addDirectory(Path pluginDirectory) {
            if (!Files.isDirectory(pluginDirectory)) {
                throw new IllegalArgumentException("No plugin directory at " + pluginDirectory.toAbsolutePath());
            }
            return add(pluginDirectory.getFileName().toString(), pluginDirectory);
        }

        private Builder add(String name, Path source) {
            Path previous = sources.put(name, source.toAbsolutePath());
            if (previous != null && !previous.equals(source.toAbsolutePath())) {
                throw new IllegalArgumentException("Two plugins named " + name + ": " + previous + " and " + source);
            }
            return this;
        }

        /** Lays the directory out (reusing plugins already unpacked by this build) and returns it. */
        public PluginPath build() {
            // The file lock serialises test JVMs; this monitor serialises threads of one JVM (a FileLock is per JVM).
            synchronized (PluginPath.class) {
                return layOut();
            }
        }

        private PluginPath layOut() {
            if (directory == null) {
                String key = String.join(",", new TreeSet<>(sources.keySet()));
                directory = buildDirectory().resolve("plugin-paths")
                        .resolve(String.format("%08x", key.hashCode()));
            }
            try {
                Files.createDirectories(directory);
                try (FileChannel lockFile = FileChannel.open(directory.resolve(".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    FileLock lock = lockFile.lock();
                    try {
                        removeOthers();
                        for (Map.Entry<String, Path> plugin : sources.entrySet()) {
                            install(plugin.getKey(), plugin.getValue());
                        }
                    } finally {
                        lock.release();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot lay out plugin.path " + directory, e);
            }
            return new PluginPath(directory);
        }

        /** Plugins left by an earlier build of another version would load beside the current one: remove them. */
        private void removeOthers() throws IOException {
            try (Stream<Path> children = Files.list(directory)) {
                for (Path child : children.toList()) {
                    String name = child.getFileName().toString();
                    if (!name.startsWith(".") && !sources.containsKey(name)) {
                        log.info("Removing {} from plugin.path {}: not a plugin of this set", name, directory);
                        Archives.deleteRecursively(child);
                    }
                }
            }
        }

        private void install(String name, Path source) throws IOException {
            Path target = directory.resolve(name);
            String stamp = Files.isDirectory(source)
                    ? source + "|dir|" + System.nanoTime() // directories may change within a build: always copy
                    : source + "|" + Files.size(source) + "|" + Files.getLastModifiedTime(source).toMillis();
            Path marker = target.resolve(MARKER);
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
                log.debug("Plugin {} already unpacked in {}", name, target);
                return;
            }
            long started = System.nanoTime();
            Path staging = directory.resolve("." + name + ".staging");
            Archives.deleteRecursively(staging);
            Files.createDirectories(staging);
            if (Files.isDirectory(source)) {
                Archives.copyDirectory(source, staging);
            } else {
                Archives.unpack(source, staging);
            }
            Archives.flattenSingleRoot(staging);
            Files.writeString(staging.resolve(MARKER), stamp);
            Archives.deleteRecursively(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            log.info("Plugin {} installed in {} ms from {}", name, (System.nanoTime() - started) / 1_000_000, source);
        }
    }

    /** Maven coordinates and where the local repository keeps the file. */
    record MavenArtifact(String groupId, String artifactId, String version, String classifier, String type) {

        static MavenArtifact parse(String coordinates) {
            String[] parts = coordinates.split(":");
            if (parts.length < 3 || parts.length > 5) {
                throw new IllegalArgumentException(
                        "Expected groupId:artifactId:version[:classifier[:type]], got " + coordinates);
            }
            return new MavenArtifact(parts[0], parts[1], parts[2],
                    parts.length > 3 && !parts[3].isEmpty() ? parts[3] : null,
                    parts.length > 4 ? parts[4] : "jar");
        }

        String fileName() {
            return artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + "." + type;
        }

        /** The plugin directory name: artifact and version, without classifier or extension. */
        String baseName() {
            return artifactId + "-" + version;
        }

        Path locate() {
            List<Path> repositories = new ArrayList<>();
            String configured = System.getProperty("maven.repo.local");
            if (configured != null && !configured.isBlank()) {
                repositories.add(Path.of(configured));
            }
            repositories.add(Path.of(System.getProperty("user.home"), ".m2", "repository"));
            for (Path repository : repositories) {
                Path file = repository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
                        .resolve(fileName());
                if (Files.isRegularFile(file)) {
                    return file;
                }
            }
            throw new IllegalStateException("Plugin archive " + this + " is not in the local Maven repository "
                    + repositories + ": run the tests through Maven with connect-testkit (or this artifact) as a "
                    + "dependency, so that Maven downloads it");
        }

        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + version + (classifier == null ? "" : ":" + classifier)
                    + ":" + type;
        }
    }

    /** The versions the build wrote into {@code testkit.properties}. */
    static final class KitVersions {
        private static final Properties PROPERTIES = load();

        private KitVersions() {
        }

        static String debeziumPostgres() {
            return get("debezium.postgres.coordinates");
        }

        static String debeziumJdbc() {
            return get("debezium.jdbc.coordinates");
        }

        private static String get(String key) {
            String value = PROPERTIES.getProperty(key);
            if (value == null || value.contains("${")) {
                throw new IllegalStateException("testkit.properties lacks a filtered " + key + ": " + value);
            }
            return value;
        }

        private static Properties load() {
            Properties properties = new Properties();
            try (InputStream in = PluginPath.class.getResourceAsStream("testkit.properties")) {
                if (in == null) {
                    throw new IllegalStateException("testkit.properties is missing from the connect-testkit jar");
                }
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return properties;
        }
    }

    /** Unpacking and copying, with no path escaping the target directory. */
    static final class Archives {
        private Archives() {
        }

        static String baseName(String fileName) {
            String lower = fileName.toLowerCase(Locale.ROOT);
            for (String suffix : List.of(".tar.gz", ".tgz", ".zip", ".tar")) {
                if (lower.endsWith(suffix)) {
                    return fileName.substring(0, fileName.length() - suffix.length());
                }
            }
            return fileName;
        }

        static void unpack(Path archive, Path target) throws IOException {
            String lower = archive.getFileName().toString().toLowerCase(Locale.ROOT);
            try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
                 ArchiveInputStream<? extends ArchiveEntry> entries = open(lower, file)) {
                ArchiveEntry entry;
                while ((entry = entries.getNextEntry()) != null) {
                    Path destination = target.resolve(entry.getName()).normalize();
                    if (!destination.startsWith(target)) {
                        throw new IOException("Archive entry " + entry.getName() + " escapes " + target);
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(destination);
                    } else if (isRegularFile(entry)) {
                        Files.createDirectories(destination.getParent());
                        Files.copy(entries, destination, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }

        private static boolean isRegularFile(ArchiveEntry entry) {
            // Links and devices in a tar are skipped: plugin archives hold plain jars and text files.
            return !(entry instanceof TarArchiveEntry tar) || tar.isFile();
        }

        private static ArchiveInputStream<? extends ArchiveEntry> open(String lowerName, InputStream in)
                throws IOException {
            if (lowerName.endsWith(".tar.gz") || lowerName.endsWith(".tgz")) {
                return new TarArchiveInputStream(new GzipCompressorInputStream(in));
            }
            if (lowerName.endsWith(".tar")) {
                return new TarArchiveInputStream(in);
            }
            if (lowerName.endsWith(".zip")) {
                return new ZipArchiveInputStream(in);
            }
            throw new IOException("Not a plugin archive (.zip, .tar.gz, .tgz, .tar): " + lowerName);
        }

        /** An archive holding one top-level directory (Debezium's do) becomes that directory's content. */
        static void flattenSingleRoot(Path staging) throws IOException {
            List<Path> children;
            try (Stream<Path> list = Files.list(staging)) {
                children = list.toList();
            }
            if (children.size() != 1 || !Files.isDirectory(children.get(0))) {
                return;
            }
            Path root = staging.resolve(".single-root");
            Files.move(children.get(0), root);
            try (Stream<Path> list = Files.list(root)) {
                for (Path child : list.toList()) {
                    Files.move(child, staging.resolve(child.getFileName().toString()));
                }
            }
            Files.delete(root);
        }

        static void copyDirectory(Path source, Path target) throws IOException {
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path path : walk.toList()) {
                    Path destination = target.resolve(source.relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(destination);
                    } else {
                        Files.copy(path, destination, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }

        static void deleteRecursively(Path path) throws IOException {
            if (!Files.exists(path)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(each);
                }
            }
        }
    }
}
