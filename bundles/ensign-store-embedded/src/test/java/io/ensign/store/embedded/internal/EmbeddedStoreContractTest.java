package io.ensign.store.embedded.internal;

import java.nio.file.Path;

import io.ensign.api.store.Store;
import io.ensign.testing.store.StoreContract;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store against the contract every store meets; EmbeddedStoreDurabilityTest adds the fsync. */
class EmbeddedStoreContractTest extends StoreContract {
    @TempDir
    Path directory;

    @Override
    protected Store openStore() {
        return new EmbeddedStore(directory, false);
    }

    @Override
    protected void closeStore(Store closing) {
        ((EmbeddedStore) closing).close();
    }
}
