package io.sfsync.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real Salesforce payloads in {@code shared/samples}, which stands beside the repository (CI clones the
 * repository next to it). Found by walking up from the working directory; {@code -Dsfsync.samples=DIR} overrides.
 */
public final class Samples {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Samples() {
    }

    public static Path dir() {
        String override = System.getProperty("sfsync.samples");
        if (override != null) {
            return Path.of(override);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("samples");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/samples not found above " + Path.of("").toAbsolutePath()
                + "; set -Dsfsync.samples=<dir>");
    }

    public static JsonNode json(String fileName) {
        try {
            return MAPPER.readTree(Files.readString(dir().resolve(fileName)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
