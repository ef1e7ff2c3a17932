package io.ensign.testing.fakes;

import io.ensign.api.store.Store;
import io.ensign.testing.store.StoreContract;

/** The in-memory store the unit tests use meets the contract the real stores meet. */
class InMemoryStoreContractTest extends StoreContract {
    private InMemoryStore last;

    @Override
    protected Store openStore() {
        last = last == null ? new InMemoryStore() : last.reopen();
        return last;
    }

    @Override
    protected void closeStore(Store closing) {
        ((InMemoryStore) closing).close();
    }
}
