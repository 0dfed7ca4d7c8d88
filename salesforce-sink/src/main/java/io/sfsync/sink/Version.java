package io.sfsync.sink;

import io.sfsync.connect.PluginVersion;

/** The build's version, from the filtered {@code salesforce-sink-version.properties}. */
final class Version {

    private static final String VERSION = PluginVersion.read(Version.class, "/salesforce-sink-version.properties");

    private Version() {
    }

    static String get() {
        return VERSION;
    }
}
