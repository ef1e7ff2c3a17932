package io.ensign.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The framework properties of a server: what the bundles read through BundleContext.getProperty. */
final class FrameworkProperties {
    /** FileInstall looks at configuration files only; notes such as README.txt stay untouched. */
    static final String WATCHED_FILES = ".*\\.(cfg|config)";

    private FrameworkProperties() {
    }

    /**
     * The properties for a server in the distribution at {@code home}.
     *
     * @param interactive whether the Gogo shell may read the console
     */
    static Map<String, String> of(LaunchOptions options, Path home, boolean interactive) {
        Map<String, String> properties = new HashMap<>();
        properties.put("org.osgi.framework.storage", options.dataDir().resolve("felix-cache").toString());
        // The bundle set is the distribution's, so the cache must never carry bundles over from an earlier run.
        properties.put("org.osgi.framework.storage.clean", "onFirstInit");
        properties.put("org.osgi.service.http.port", Integer.toString(options.port()));
        // The port again under a name of Ensign's: conf/org.apache.felix.http.cfg can put HTTPS on it as
        // ${ensign.port} even where the file sets org.osgi.service.http.port itself (FileInstall looks there first).
        properties.put("ensign.port", Integer.toString(options.port()));
        properties.put("org.apache.felix.http.host", options.host());
        properties.put("ensign.data", options.dataDir().toString());
        properties.put("ensign.home", home.toString());
        options.adminToken().ifPresent(token -> properties.put("ensign.admin.token", token));
        // read by ensign-store-postgresql, which configures itself from them (the password never passes here)
        options.store().ifPresent(url -> properties.put("ensign.store.url", url));
        options.storePasswordFile().ifPresent(file -> properties.put("ensign.store.passwordFile", file.toString()));
        options.restore().ifPresent(file -> properties.put("ensign.restore", file.toString()));
        // conf/ only: ensign-plugins has deploy/ watched once its guard and safe start are in place, never before.
        properties.put("felix.fileinstall.dir", home.resolve("conf").toString());
        properties.put("felix.fileinstall.filter", WATCHED_FILES);
        properties.put("felix.fileinstall.poll", "1000");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.log.level", "3");
        if (!interactive) {
            // Without a terminal the shell would read end-of-file at once and stop the framework.
            properties.put("gosh.args", "--nointeractive");
        }
        return properties;
    }
}
