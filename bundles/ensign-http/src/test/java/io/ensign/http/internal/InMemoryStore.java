package io.ensign.http.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.store.ChangeListener;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.store.StoreStatus;
import io.ensign.api.store.VersionConflictException;

/** A store in memory for tests: versions, conflicts and change notifications as the SPI describes them. */
public final class InMemoryStore implements Store {
    private final Map<String, List<Document>> revisions = new TreeMap<>();
    private final List<AuditRecord> log = new ArrayList<>();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    /** When set, every commit throws it and writes nothing, as a store with a full disk or no database would. */
    public volatile RuntimeException commitFailure;
    /** What {@link #status()} reports. */
    public volatile StoreStatus status = StoreStatus.UP;

    private static String id(String kind, String key) {
        return kind + "\u0000" + key;
    }

    @Override
    public synchronized Optional<Document> get(String kind, String key) {
        List<Document> history = revisions.get(id(kind, key));
        return history == null ? Optional.empty()
                : Optional.of(history.get(history.size() - 1)).filter(d -> !d.deleted());
    }

    @Override
    public synchronized List<Document> list(String kind) {
        List<Document> live = new ArrayList<>();
        revisions.forEach((id, history) -> {
            Document last = history.get(history.size() - 1);
            if (last.kind().equals(kind) && !last.deleted()) {
                live.add(last);
            }
        });
        return live;
    }

    @Override
    public synchronized List<Document> history(String kind, String key) {
        return List.copyOf(revisions.getOrDefault(id(kind, key), List.of()));
    }

    @Override
    public List<Document> commit(List<Mutation> mutations) {
        RuntimeException failure = commitFailure;
        if (failure != null) {
            throw failure;
        }
        List<Document> written = new ArrayList<>();
        List<AuditRecord> records = new ArrayList<>();
        Instant now = Instant.now();
        synchronized (this) {
            for (Mutation m : mutations) {
                Optional<Document> current = get(m.kind(), m.key());
                long actual = current.map(Document::version).orElse(0L);
                if (m.expectedVersion() != Mutation.ANY_VERSION && m.expectedVersion() != actual) {
                    throw new VersionConflictException(m.kind(), m.key(), m.expectedVersion(), actual);
                }
            }
            for (Mutation m : mutations) {
                List<Document> history = revisions.computeIfAbsent(id(m.kind(), m.key()), k -> new ArrayList<>());
                long version = history.isEmpty() ? 1 : history.get(history.size() - 1).version() + 1;
                String before = history.isEmpty() ? null : history.get(history.size() - 1).json();
                Document document = new Document(m.kind(), m.key(), version, m.json(), now);
                history.add(document);
                written.add(document);
                String action = m.action() != null ? m.action()
                        : m.json() == null ? "delete" : before == null ? "create" : "update";
                AuditRecord record = new AuditRecord(log.size() + 1, document.updated(), m.actor(), action, m.kind(), m.key(),
                        m.environment(), version, before, m.json(), m.reason(), m.requestId());
                log.add(record);
                records.add(record);
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
    public StoreStatus status() {
        return status;
    }

    @Override
    public AutoCloseable subscribe(ChangeListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
