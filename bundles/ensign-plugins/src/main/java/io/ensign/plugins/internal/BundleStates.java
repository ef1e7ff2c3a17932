package io.ensign.plugins.internal;

import org.osgi.framework.Bundle;

/** Bundle states as the API writes them. */
final class BundleStates {
    private BundleStates() {
    }

    static String name(int state) {
        switch (state) {
            case Bundle.INSTALLED: return "installed";
            case Bundle.RESOLVED: return "resolved";
            case Bundle.STARTING: return "starting";
            case Bundle.STOPPING: return "stopping";
            case Bundle.ACTIVE: return "active";
            default: return "uninstalled";
        }
    }
}
