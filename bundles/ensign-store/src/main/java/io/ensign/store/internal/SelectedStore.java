package io.ensign.store.internal;

import java.util.List;
import java.util.Optional;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.store.ChangeListener;
import io.ensign.api.store.Coordination;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.store.StoreStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The store the server uses: the one store plugin the selection's {@code store.target} names, registered again with
 * {@value #SELECTED_PROPERTY}{@code =true} so that every component references it by {@link Store#SELECTED}. Each
 * call goes straight to the selected store. Changing the selection, or the selected store going, unregisters this
 * one, and with it every component that uses a store stops until a store the selection names is there.
 */
@Component(service = Store.class, configurationPid = Store.SELECTION_PID,
        property = SelectedStore.SELECTED_PROPERTY + ":Boolean=true")
@Designate(ocd = Selection.class)
public final class SelectedStore implements Store {
    static final String SELECTED_PROPERTY = "ensign.store.selected";
    /** Any store but the selected one itself: the target until the selection names one. */
    static final String ANY_STORE = "(!(" + SELECTED_PROPERTY + "=true))";

    private final Store store;

    @Activate
    public SelectedStore(@Reference(name = "store", target = ANY_STORE) Store store) {
        this.store = store;
    }

    @Override
    public Optional<Document> get(String kind, String key) {
        return store.get(kind, key);
    }

    @Override
    public List<Document> list(String kind) {
        return store.list(kind);
    }

    @Override
    public List<Document> history(String kind, String key) {
        return store.history(kind, key);
    }

    @Override
    public List<Document> commit(List<Mutation> mutations) {
        return store.commit(mutations);
    }

    @Override
    public List<AuditRecord> changes(long afterSequence, int limit) {
        return store.changes(afterSequence, limit);
    }

    @Override
    public long lastSequence() {
        return store.lastSequence();
    }

    @Override
    public StoreStatus status() {
        return store.status();
    }

    @Override
    public AutoCloseable subscribe(ChangeListener listener) {
        return store.subscribe(listener);
    }

    @Override
    public Optional<Coordination> coordination() {
        return store.coordination();
    }
}
