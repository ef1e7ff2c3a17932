package io.ensign.store.internal;

import io.ensign.api.store.Store;
import io.ensign.testing.fakes.InMemoryStore;
import io.ensign.testing.store.StoreContract;

/** The selected store, in front of a store that meets the contract, meets it too: it changes nothing on the way. */
class SelectedStoreContractTest extends StoreContract {
    private InMemoryStore last;

    @Override
    protected Store openStore() {
        last = last == null ? new InMemoryStore() : last.reopen();
        return new SelectedStore(last);
    }

    @Override
    protected void closeStore(Store closing) {
        last.close();
    }
}
