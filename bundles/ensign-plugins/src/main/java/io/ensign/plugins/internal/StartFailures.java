package io.ensign.plugins.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Which bundles failed their last start (the activator threw), so that a caller waiting for one stops waiting.
 * Synchronous, because the framework tells only synchronous listeners that a start begins.
 */
final class StartFailures implements SynchronousBundleListener {
    /** Per bundle id: true while a start is under way, false once it failed. */
    private final Map<Long, Boolean> starts = new ConcurrentHashMap<>();

    boolean failed(Bundle bundle) {
        return Boolean.FALSE.equals(starts.get(bundle.getBundleId()));
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        long id = event.getBundle().getBundleId();
        switch (event.getType()) {
            case BundleEvent.STARTING -> starts.put(id, Boolean.TRUE);
            // A stop without a start under way is an ordinary stop (an update, a refresh), not a failure.
            case BundleEvent.STOPPED -> starts.computeIfPresent(id, (bundle, starting) -> starting ? Boolean.FALSE : null);
            case BundleEvent.STARTED, BundleEvent.UPDATED, BundleEvent.UNINSTALLED -> starts.remove(id);
            default -> {
                // resolution changes nothing here
            }
        }
    }
}
