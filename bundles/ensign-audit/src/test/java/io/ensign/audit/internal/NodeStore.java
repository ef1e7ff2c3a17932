package io.ensign.audit.internal;

import java.util.List;
import java.util.Optional;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.store.ChangeListener;
import io.ensign.api.store.Coordination;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;

/** One node's view of a store that several nodes share: the same data, this node's coordination. */
record NodeStore(Store shared, Coordination lead) implements Store {
    @Override
    public Optional<Coordination> coordination() {
        return Optional.of(lead);
    }

    @Override
    public Optional<Document> get(String kind, String key) {
        return shared.get(kind, key);
    }

    @Override
    public List<Document> list(String kind) {
        return shared.list(kind);
    }

    @Override
    public List<Document> history(String kind, String key) {
        return shared.history(kind, key);
    }

    @Override
    public List<Document> commit(List<Mutation> mutations) {
        return shared.commit(mutations);
    }

    @Override
    public List<AuditRecord> changes(long afterSequence, int limit) {
        return shared.changes(afterSequence, limit);
    }

    @Override
    public long lastSequence() {
        return shared.lastSequence();
    }

    @Override
    public AutoCloseable subscribe(ChangeListener listener) {
        return shared.subscribe(listener);
    }
}
