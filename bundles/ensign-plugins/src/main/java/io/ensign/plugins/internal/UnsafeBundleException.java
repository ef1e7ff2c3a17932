package io.ensign.plugins.internal;

import io.ensign.api.plugin.InvalidBundleException;

/**
 * A jar refused because deploying it could harm the server (end its process, extend the framework, replace one of
 * its bundles, or escape the deploy directory), as opposed to one that is merely no bundle: the deploy directory
 * moves such a jar to its quarantine.
 */
final class UnsafeBundleException extends InvalidBundleException {
    private static final long serialVersionUID = 1L;

    UnsafeBundleException(String reason, String field) {
        super(reason, field);
    }
}
