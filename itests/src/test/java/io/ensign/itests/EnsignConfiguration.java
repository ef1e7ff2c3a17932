package io.ensign.itests;

import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.ensign.launcher.Feature;
import io.ensign.launcher.FeatureBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The container every Pax Exam test boots: Felix with exactly the bundles of the runtime and core features,
 * read from the same lists the distribution uses, and the framework properties the launcher would set.
 */
public final class EnsignConfiguration {
    /** The admin token the tests' servers accept. */
    public static final String ADMIN_TOKEN = "test-admin-token";
    /** The features a server is made of, in start order. */
    public static final List<String> FEATURES = List.of("runtime", "core");

    private EnsignConfiguration() {
    }

    /** Options for a server on 127.0.0.1:{@code port} keeping its data in {@code dataDir}. */
    public static Option[] options(int port, Path dataDir) {
        List<Option> options = new ArrayList<>();
        options.add(frameworkProperty("org.osgi.service.http.port").value(Integer.toString(port)));
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        options.add(frameworkProperty("ensign.data").value(dataDir.toAbsolutePath().toString()));
        options.add(frameworkProperty("ensign.admin.token").value(ADMIN_TOKEN));
        // The shell bundle is part of the runtime feature; in a test it must never read stdin.
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        options.add(systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"));
        options.add(junitBundles());
        for (String feature : FEATURES) {
            feature(feature).bundles().forEach(bundle ->
                    options.add(mavenBundle(bundle.groupId(), bundle.artifactId(), bundle.version())));
        }
        // The tests' HTTP client, which the probe uses inside the framework; of the build's version, as ensign-api.
        FeatureBundle api = feature("core").bundles().stream().filter(b -> b.artifactId().equals("ensign-api"))
                .findFirst().orElseThrow();
        options.add(mavenBundle(api.groupId(), "ensign-test-support", api.version()));
        return options.toArray(Option[]::new);
    }

    /**
     * FileInstall watching {@code home/conf}, and ensign-plugins {@code home/deploy}, as the launcher sets them up,
     * polling every 100 ms so tests of hot deployment stay short.
     */
    public static Option[] fileInstall(Path home) {
        return new Option[] {
            frameworkProperty("ensign.home").value(home.toString()),
            frameworkProperty("felix.fileinstall.dir").value(home.resolve("conf").toString()),
            frameworkProperty("felix.fileinstall.filter").value(".*\\.(cfg|config)"),
            frameworkProperty("felix.fileinstall.poll").value("100"),
            frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
        };
    }

    /**
     * Sets a configuration through Configuration Admin and waits until it holds the values, then gives SCR a
     * moment to hand it to the component. Tests configure this way rather than through conf/ files, whose pick-up
     * by FileInstall is asynchronous and, on a loaded machine, late.
     */
    public static void configure(BundleContext context, String pid, Map<String, Object> values) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        String seen = "no ConfigurationAdmin service";
        while (System.currentTimeMillis() < deadline) {
            ServiceReference<ConfigurationAdmin> reference = context.getServiceReference(ConfigurationAdmin.class);
            if (reference != null) {
                ConfigurationAdmin admin = context.getService(reference);
                try {
                    Configuration configuration = admin.getConfiguration(pid, "?");
                    Dictionary<String, Object> current = configuration.getProperties();
                    if (current != null && values.entrySet().stream()
                            .allMatch(e -> e.getValue().equals(current.get(e.getKey())))) {
                        Thread.sleep(500);
                        return;
                    }
                    seen = String.valueOf(current);
                    configuration.update(new Hashtable<>(values));
                } finally {
                    context.ungetService(reference);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("configuration " + pid + " never held " + values + "; last seen: " + seen);
    }

    /** A feature's bundle list, from the feature's jar on the test class path. */
    public static Feature feature(String name) {
        try (InputStream list = EnsignConfiguration.class.getClassLoader().getResourceAsStream(Feature.listPath(name))) {
            if (list == null) {
                throw new IllegalStateException("no " + Feature.listPath(name) + " on the class path");
            }
            return Feature.read(name, list);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A loopback port nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
