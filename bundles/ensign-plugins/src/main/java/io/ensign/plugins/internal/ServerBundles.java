package io.ensign.plugins.internal;

import java.util.Arrays;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * The bundles that make up the server, which no plugin may replace, remove or attach to: the framework and every
 * bundle installed from anywhere but the deploy directory (what the launcher installed from the runtime and core
 * features), read from the framework when asked, and any name in the server's own namespace {@value #RESERVED}.
 */
final class ServerBundles {
    /** Symbolic names starting so belong to the server even before a bundle of that name is installed. */
    static final String RESERVED = "io.ensign.";

    private final BundleContext context;
    private final DeployDirectory deploy;

    ServerBundles(BundleContext context, DeployDirectory deploy) {
        this.context = context;
        this.deploy = deploy;
    }

    /** Whether the name is the framework's ({@code system.bundle} or its own symbolic name). */
    boolean isFramework(String symbolicName) {
        return symbolicName.equals(Constants.SYSTEM_BUNDLE_SYMBOLICNAME)
                || symbolicName.equals(context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getSymbolicName());
    }

    boolean isServer(String symbolicName) {
        return symbolicName.startsWith(RESERVED) || isFramework(symbolicName)
                || Arrays.stream(context.getBundles()).anyMatch(b -> symbolicName.equals(b.getSymbolicName())
                        && isServer(b));
    }

    private boolean isServer(Bundle bundle) {
        return deploy.fileOf(bundle.getLocation()) == null
                && !bundle.getLocation().startsWith(BundleValidation.TRIAL_LOCATION);
    }

    /** Refuses a name of the server's. */
    void refuse(String symbolicName, String field) {
        if (isServer(symbolicName)) {
            throw new UnsafeBundleException("bundle " + symbolicName + " is part of the server, not a plugin of "
                    + deploy.path() + "; only bundles deployed there can be installed, replaced or removed", field);
        }
    }
}
