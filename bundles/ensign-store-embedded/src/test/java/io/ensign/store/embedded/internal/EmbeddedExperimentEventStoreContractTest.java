package io.ensign.store.embedded.internal;

import java.nio.file.Path;

import io.ensign.api.experiment.ExperimentEventStore;
import io.ensign.testing.store.ExperimentEventStoreContract;
import org.junit.jupiter.api.io.TempDir;

/** The embedded experiment event store against the contract every such store meets, without an fsync per batch. */
class EmbeddedExperimentEventStoreContractTest extends ExperimentEventStoreContract {
    @TempDir
    Path directory;

    @Override
    protected ExperimentEventStore openStore(String data) {
        return new EmbeddedExperimentEventStore(directory.resolve(data), false);
    }

    @Override
    protected void closeStore(ExperimentEventStore closing) {
        ((EmbeddedExperimentEventStore) closing).close();
    }
}
