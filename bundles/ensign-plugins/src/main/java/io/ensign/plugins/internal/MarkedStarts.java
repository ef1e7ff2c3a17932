package io.ensign.plugins.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    private final DeployDirectory deploy;
    private final StartMarker marker;
    /** Per file: the event that ended its latest start (or stop), until the next start begins. */
    private final Map<Path, BundleEvent> lastEnds = new ConcurrentHashMap<>();
    private final BundleListener afterSynchronousListeners = this::unmark;

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
            }
            case BundleEvent.STARTED, BundleEvent.STOPPED, BundleEvent.UNINSTALLED -> lastEnds.put(file, event);
            default -> {
                // installs, updates and resolution run no code of the bundle
            }
        }
    }

    private void unmark(BundleEvent event) {
        Path file = deploy.fileOf(event.getBundle().getLocation());
        if (file != null && lastEnds.remove(file, event)) {
            marker.done(file.getFileName().toString());
        }
    }
}
