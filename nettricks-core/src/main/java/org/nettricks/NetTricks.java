package org.nettricks;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this build of NetTricks. */
public final class NetTricks {
    /** The version, from the build (e.g. {@code 0.1.0-SNAPSHOT}). */
    public static final String VERSION = readVersion();

    private NetTricks() {
    }

    private static String readVersion() {
        try (InputStream in = NetTricks.class.getResourceAsStream("/org/nettricks/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
