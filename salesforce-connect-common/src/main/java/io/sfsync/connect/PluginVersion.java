package io.sfsync.connect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** A plugin's build version, from the {@code version} of a properties file the build filters. */
public final class PluginVersion {

    static final String UNKNOWN = "unknown";

    private PluginVersion() {
    }

    /**
     * The version in {@code resource} (an absolute class-path name such as
     * {@code /salesforce-sink-version.properties}), looked up through {@code anchor}'s class loader so that each
     * plugin reads its own file under plugin.path isolation; {@code "unknown"} when it is missing.
     */
    public static String read(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", UNKNOWN);
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
