package io.sfsync.source;

import io.sfsync.connect.PluginVersion;

/** The build's version, from the filtered {@code salesforce-source-version.properties}. */
public final class Version {

    private static final String VERSION = PluginVersion.read(Version.class, "/salesforce-source-version.properties");

    private Version() {
    }

    public static String get() {
        return VERSION;
    }
}
