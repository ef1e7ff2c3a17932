package io.ensign.engine.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.store.ChangeListener;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.store.VersionConflictException;

/**
 * A Store that keeps revisions in memory, for unit tests of the engine alone. The real stores are
 * exercised against the engine in the itests.
 */
final class InMemoryStore implements Store {
    private final Map<String, List<Document>> revisions = new TreeMap<>();
    private final List<AuditRecord> log = new ArrayList<>();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public synchronized Optional<Document> get(String kind, String key) {
        return latest(kind, key).filter(d -> !d.deleted());
    }

    @Override
    public synchronized List<Document> list(String kind) {
        List<Document> result = new ArrayList<>();
        revisions.forEach((k, revs) -> {
            Document d = revs.get(revs.size() - 1);
            if (d.kind().equals(kind) && !d.deleted()) {
                result.add(d);
            }
        });
        return result;
    }

    @Override
    public synchronized List<Document> history(String kind, String key) {
        return List.copyOf(revisions.getOrDefault(kind + "/" + key, List.of()));
    }

    @Override
    public List<Document> commit(List<Mutation> mutations) {
        List<AuditRecord> records = new ArrayList<>();
        List<Document> written = new ArrayList<>();
        synchronized (this) {
            for (Mutation m : mutations) {
                Optional<Document> current = latest(m.kind(), m.key());
                long version = current.map(Document::version).orElse(0L);
                boolean live = current.isPresent() && !current.get().deleted();
                if (m.json() == null && !live) {
                    throw new NotFoundException(m.kind(), m.key());
                }
                boolean ok = m.expectedVersion() == Mutation.ANY_VERSION
                        || (m.expectedVersion() == Mutation.ABSENT ? !live : live && m.expectedVersion() == version);
                if (!ok) {
                    throw new VersionConflictException(m.kind(), m.key(), m.expectedVersion(), live ? version : 0);
                }
            }
            for (Mutation m : mutations) {
                Optional<Document> current = latest(m.kind(), m.key());
                Document d = new Document(m.kind(), m.key(), current.map(Document::version).orElse(0L) + 1, m.json(),
                        Instant.now());
                revisions.computeIfAbsent(m.kind() + "/" + m.key(), k -> new ArrayList<>()).add(d);
                String before = current.map(Document::json).orElse(null);
                AuditRecord r = new AuditRecord(log.size() + 1, d.updated(), m.actor(),
                        m.json() == null ? "delete" : before == null ? "create" : "update", m.kind(), m.key(),
                        m.environment(), d.version(), before, m.json(), m.reason(), m.requestId());
                log.add(r);
                records.add(r);
                written.add(d);
            }
        }
        records.forEach(r -> listeners.forEach(l -> l.changed(r)));
        return written;
    }

    @Override
    public synchronized List<AuditRecord> changes(long afterSequence, int limit) {
        return log.stream().filter(r -> r.sequence() > afterSequence).limit(limit).toList();
    }

    @Override
    public synchronized long lastSequence() {
        return log.size();
    }

    @Override
    public AutoCloseable subscribe(ChangeListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private Optional<Document> latest(String kind, String key) {
        List<Document> revs = revisions.get(kind + "/" + key);
        return revs == null ? Optional.empty() : Optional.of(revs.get(revs.size() - 1));
    }
}
