package io.ensign.auth.internal;

import java.nio.file.Path;

import io.ensign.api.store.Store;

/** Lets tests in other packages build a registry without a framework. */
public final class TokenRegistryAccess {
    private TokenRegistryAccess() {
    }

    public static TokenRegistry create(Store store, String adminSecret, Path dataDirectory) {
        return new TokenRegistry(store, adminSecret, dataDirectory);
    }
}
