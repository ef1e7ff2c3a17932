package io.ensign.store.internal;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

import io.ensign.api.experiment.ExperimentEventStore;
import io.ensign.store.embedded.internal.EmbeddedExperimentEventStore;
import io.ensign.testing.store.ExperimentEventStoreContract;
import org.junit.jupiter.api.io.TempDir;

/** The selected experiment event store, in front of the embedded one, meets the contract the embedded one meets. */
class SelectedEventStoreContractTest extends ExperimentEventStoreContract {
    @TempDir
    Path directory;
    private final Map<ExperimentEventStore, EmbeddedExperimentEventStore> selected = new IdentityHashMap<>();

    @Override
    protected ExperimentEventStore openStore(String data) {
        EmbeddedExperimentEventStore embedded = new EmbeddedExperimentEventStore(directory.resolve(data), false);
        SelectedEventStore store = new SelectedEventStore(embedded);
        selected.put(store, embedded);
        return store;
    }

    @Override
    protected void closeStore(ExperimentEventStore closing) {
        selected.remove(closing).close();
    }
}
