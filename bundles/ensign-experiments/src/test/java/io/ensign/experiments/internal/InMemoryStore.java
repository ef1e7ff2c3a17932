package io.ensign.experiments.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.store.ChangeListener;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.store.VersionConflictException;

/** A store in memory with the real version rules, keeping every mutation as its audit trail. */
final class InMemoryStore implements Store {
    private final TreeMap<String, Document> current = new TreeMap<>();
    final List<Mutation> audit = new ArrayList<>();

    @Override
    public synchronized Optional<Document> get(String kind, String key) {
        return Optional.ofNullable(current.get(kind + "/" + key)).filter(d -> !d.deleted());
    }

    @Override
    public synchronized List<Document> list(String kind) {
        return current.values().stream().filter(d -> d.kind().equals(kind) && !d.deleted()).toList();
    }

    @Override
    public List<Document> history(String kind, String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized List<Document> commit(List<Mutation> mutations) {
        List<Document> written = new ArrayList<>();
        for (Mutation m : mutations) {
            Document before = current.get(m.kind() + "/" + m.key());
            long version = before == null ? 0 : before.version();
            boolean live = before != null && !before.deleted();
            boolean ok = m.expectedVersion() == Mutation.ANY_VERSION
                    || (m.expectedVersion() == Mutation.ABSENT ? !live : m.expectedVersion() == version);
            if (!ok) {
                throw new VersionConflictException(m.kind(), m.key(), m.expectedVersion(), version);
            }
            if (m.json() == null && !live) {
                throw new NotFoundException(m.kind(), m.key());
            }
            Document document = new Document(m.kind(), m.key(), version + 1, m.json(), Instant.now());
            current.put(m.kind() + "/" + m.key(), document);
            audit.add(m);
            written.add(document);
        }
        return written;
    }

    @Override
    public List<AuditRecord> changes(long afterSequence, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long lastSequence() {
        return audit.size();
    }

    @Override
    public AutoCloseable subscribe(ChangeListener listener) {
        return () -> { };
    }
}
