package io.ensign.store.embedded.internal;

import java.nio.file.Path;

/**
 * Opens a real embedded store in a directory for ensign-config's tests. It lives in the store's package because the
 * store's directory constructor is package-private and its public one needs a BundleContext.
 */
public final class TemporaryEmbeddedStore {
    private TemporaryEmbeddedStore() {
    }

    /** A store in {@code directory} that skips the per-commit fsync, which tests do not need. */
    public static EmbeddedStore open(Path directory) {
        return new EmbeddedStore(directory, false);
    }
}
