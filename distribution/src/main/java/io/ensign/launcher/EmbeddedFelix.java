package io.ensign.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;

/** Runs one server: a Felix framework with the distribution's features, until it stops. */
final class EmbeddedFelix {
    static final List<String> FEATURES = List.of("runtime", "core");
    /** The bundle of the default store, left out when --store names another. */
    static final String EMBEDDED_STORE = "ensign-store-embedded";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** The capability a servlet whiteboard implementation (here Felix HTTP on Jetty) declares. */
    private static final String HTTP_IMPLEMENTATION_NAMESPACE = "osgi.implementation";
    private static final String HTTP_IMPLEMENTATION = "osgi.http";

    private final LaunchOptions options;
    private final Path home;
    private final LauncherLog log;

    EmbeddedFelix(LaunchOptions options, Path home, LauncherLog log) {
        this.options = options;
        this.home = home;
        this.log = log;
    }

    /** Starts the server, blocks until the framework stops, and returns the process exit code. */
    int run(boolean interactive) {
        long startedAt = System.nanoTime();
        List<Path> jars;
        try {
            jars = bundleJars(home, options.store().isPresent());
            Files.createDirectories(options.dataDir());
            checkPortFree();
        } catch (IOException e) {
            log.error(e.getMessage());
            return 1;
        }
        Framework framework = newFramework(FrameworkProperties.of(options, home, interactive));
        try {
            framework.init();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework), "ensign-shutdown"));
            List<Bundle> bundles = install(framework.getBundleContext(), jars);
            framework.start();
            startAll(bundles);
            awaitHttp(framework);
        } catch (BundleException | IOException e) {
            log.error("Ensign failed to start: " + e.getMessage());
            stop(framework);
            return 1;
        }
        log.info(String.format("Ensign ready on http://%s:%d (data %s) in %d ms", options.host(), options.port(),
                options.dataDir(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt)));
        if (options.stopWhenReady()) {
            boolean ready = awaitHealthReady(framework);
            stop(framework);
            return ready ? 0 : 1;
        }
        try {
            FrameworkEvent stopped = framework.waitForStop(0);
            return stopped.getType() == FrameworkEvent.ERROR ? 1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * Starts the bundles in feature order, except the web server (the bundle implementing the servlet whiteboard),
     * which starts on a thread of its own: bringing Jetty up takes about a second of the start time on a small
     * machine, and nothing waits for it — servlets register through the whiteboard whenever it is up.
     */
    private static void startAll(List<Bundle> bundles) throws BundleException {
        AtomicReference<BundleException> webServerFailure = new AtomicReference<>();
        Thread webServer = null;
        for (Bundle bundle : bundles) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            if (webServer == null && implementsHttpWhiteboard(bundle)) {
                webServer = new Thread(() -> {
                    try {
                        bundle.start();
                    } catch (BundleException e) {
                        webServerFailure.set(e);
                    }
                }, "ensign-start-" + bundle.getSymbolicName());
                webServer.start();
            } else {
                bundle.start();
            }
        }
        if (webServer != null) {
            try {
                webServer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BundleException("interrupted while the web server started", e);
            }
        }
        if (webServerFailure.get() != null) {
            throw webServerFailure.get();
        }
    }

    private static boolean implementsHttpWhiteboard(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && revision.getDeclaredCapabilities(HTTP_IMPLEMENTATION_NAMESPACE).stream()
                .anyMatch(c -> HTTP_IMPLEMENTATION.equals(c.getAttributes().get(HTTP_IMPLEMENTATION_NAMESPACE)));
    }

    /** The framework on the class path (Felix), not yet initialised. */
    static Framework newFramework(Map<String, String> properties) {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        return factory.newFramework(properties);
    }

    /**
     * The jars of the distribution's features at {@code home}, in start order; without the embedded store when the
     * server keeps its state in PostgreSQL (--store), so that store is the one store there is.
     */
    static List<Path> bundleJars(Path home, boolean withoutEmbeddedStore) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String name : FEATURES) {
            Path list = home.resolve(Feature.listPath(name));
            if (!Files.isRegularFile(list)) {
                throw new IOException("the distribution at " + home + " has no " + list.getFileName()
                        + ": build it with ./ensign run or mvn install");
            }
            try (InputStream in = Files.newInputStream(list)) {
                for (FeatureBundle bundle : Feature.read(name, in).bundles()) {
                    if (withoutEmbeddedStore && bundle.artifactId().equals(EMBEDDED_STORE)) {
                        continue;
                    }
                    Path jar = home.resolve("bundles").resolve(bundle.fileName());
                    if (!Files.isRegularFile(jar)) {
                        throw new IOException("feature " + name + " needs " + jar + ", which is missing");
                    }
                    jars.add(jar);
                }
            }
        }
        return jars;
    }

    // Fails before any bundle starts, with a sentence an operator understands, instead of a Jetty stack trace.
    private void checkPortFree() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(options.host(), options.port()));
        } catch (IOException e) {
            throw new IOException("cannot listen on " + options.host() + ":" + options.port() + " (" + e.getMessage()
                    + "): is another server running there?", e);
        }
    }

    // Every bundle is installed before any starts, so start order is about activation, never resolution.
    static List<Bundle> install(BundleContext context, List<Path> jars) throws BundleException {
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            // reference: runs the jar in place; the cache is wiped on every start anyway.
            bundles.add(context.installBundle("reference:" + jar.toUri()));
        }
        return bundles;
    }

    /** A port nothing listens on at {@code host} now, for {@code --port 0}. */
    static int freePort(String host) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, 0));
            return probe.getLocalPort();
        }
    }

    // The address to probe the server at: the wildcard addresses are answered on loopback too.
    private String probeHost() {
        return options.host().equals("0.0.0.0") || options.host().equals("::") ? "127.0.0.1" : options.host();
    }

    private void awaitHttp(Framework framework) throws IOException {
        String probeHost = probeHost();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (framework.getState() != Bundle.ACTIVE) {
                throw new IOException("the framework stopped before HTTP was up");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(probeHost, options.port()), 200);
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        throw new IOException("nothing listens on port " + options.port() + " after " + READY_TIMEOUT.toSeconds()
                + " s; see the HTTP bundle's log above");
    }

    /** Whether {@code /health/ready} answered 200 (every component of the features satisfied) in time. */
    private boolean awaitHealthReady(Framework framework) {
        URI ready = URI.create("http://" + probeHost() + ":" + options.port() + "/health/ready");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && framework.getState() == Bundle.ACTIVE) {
            try {
                HttpURLConnection connection = (HttpURLConnection) ready.toURL().openConnection();
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(5000);
                int status = connection.getResponseCode();
                connection.disconnect();
                if (status == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // the probe is retried until the deadline, like the port probe
            }
            pause();
        }
        log.error("/health/ready did not answer 200 within " + READY_TIMEOUT.toSeconds() + " s");
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // Also the shutdown hook (SIGTERM, Ctrl-C): a clean stop lets the store close its files.
    private void stop(Framework framework) {
        if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
            return;
        }
        log.info("Stopping Ensign");
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT.toMillis());
            log.info(event.getType() == FrameworkEvent.WAIT_TIMEDOUT
                    ? "Ensign did not stop within " + STOP_TIMEOUT.toSeconds() + " s"
                    : "Ensign stopped");
        } catch (BundleException e) {
            log.error("Stopping failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
