package io.ensign.plugins.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Keeps the {@link StartMarker} while bundles of the deploy directory start. A bundle's file is marked on
 * {@code STARTING}, which synchronous listeners get before the activator runs. It is unmarked only once every
 * synchronous listener is done with the {@code STARTED} (or, after a failed start, {@code STOPPED}) event, since
 * SCR activates the bundle's immediate components in its own listener of that event, and the framework calls
 * synchronous listeners in no set order; it queues the event for asynchronous listeners only after calling them
 * all. The asynchronous listener unmarks the file only when its event is the last end of a start seen for it, so a
 * late event of an earlier start never unmarks a start under way.
 */
final class MarkedStarts implements SynchronousBundleListener {
    /** How long a start may take before the log says it may hang. */
    static final Duration SLOW_START = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(MarkedStarts.class.getName());

    private final DeployDirectory deploy;
    private final StartMarker marker;
    /** Per file: the event that ended its latest start (or stop), until the next start begins. */
    private final Map<Path, BundleEvent> lastEnds = new ConcurrentHashMap<>();
    private final BundleListener afterSynchronousListeners = this::unmark;
    private final ScheduledExecutorService slowStarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ensign-plugins-slow-starts");
        thread.setDaemon(true);
        return thread;
    });

    MarkedStarts(DeployDirectory deploy, StartMarker marker) {
        this.deploy = deploy;
        this.marker = marker;
    }

    void open(BundleContext context) {
        context.addBundleListener(this);
        context.addBundleListener(afterSynchronousListeners);
    }

    void close(BundleContext context) {
        context.removeBundleListener(afterSynchronousListeners);
        context.removeBundleListener(this);
        slowStarts.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Path file = deploy.fileOf(event.getBundle().getLocation());
        if (file == null) {
            return;
        }
        switch (event.getType()) {
            case BundleEvent.STARTING -> {
                lastEnds.remove(file);
                marker.starting(file.getFileName().toString());
                reportIfStillStarting(event.getBundle(), file);
            }
            case BundleEvent.STARTED, BundleEvent.STOPPED, BundleEvent.UNINSTALLED -> lastEnds.put(file, event);
            default -> {
                // installs, updates and resolution run no code of the bundle
            }
        }
    }

    /** An activator that never returns holds up FileInstall's watcher of the directory; the operator should know. */
    private void reportIfStillStarting(Bundle bundle, Path file) {
        slowStarts.schedule(() -> {
            if (bundle.getState() == Bundle.STARTING) {
                LOG.log(System.Logger.Level.ERROR, "Bundle " + bundle.getSymbolicName() + " (" + file + ") has been "
                        + "starting for " + SLOW_START.toSeconds() + " s; changes of " + deploy.path() + " wait for "
                        + "it, and the next start of the server moves it to " + Quarantine.DIRECTORY + "/");
            }
        }, SLOW_START.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void unmark(BundleEvent event) {
        Path file = deploy.fileOf(event.getBundle().getLocation());
        if (file != null && lastEnds.remove(file, event)) {
            marker.done(file.getFileName().toString());
        }
    }
}
