package io.ensign.testing.fakes;

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
import io.ensign.api.store.StoreStatus;
import io.ensign.api.store.VersionConflictException;

/**
 * A store in memory for tests, held to the same Store contract suite as the real stores: versions, conflicts,
 * deletions, history, the change log and its listeners as the SPI describes them. {@link #reopen()} gives a new
 * store over the same data, as a restart would; three switches let a test make the store fail.
 */
public final class InMemoryStore implements Store {
    private static final System.Logger LOG = System.getLogger(InMemoryStore.class.getName());

    private final Data data;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** When set, every commit throws it and writes nothing, as a store with a full disk or no database would. */
    public volatile RuntimeException commitFailure;
    /** What {@link #status()} reports. */
    public volatile StoreStatus status = StoreStatus.UP;
    /** When false, commits tell no listener, as when change notifications are lost. */
    public volatile boolean notifying = true;

    /** What survives a reopen: every revision by kind and key, and the change log. */
    private static final class Data {
        final Map<String, Map<String, List<Document>>> revisions = new TreeMap<>();
        final List<AuditRecord> log = new ArrayList<>();
    }

    public InMemoryStore() {
        this(new Data());
    }

    private InMemoryStore(Data data) {
        this.data = data;
    }

    /** A new store over this one's objects and change log, without its listeners. */
    public InMemoryStore reopen() {
        return new InMemoryStore(data);
    }

    /** From now on every call fails with IllegalStateException. */
    public void close() {
        closed = true;
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }

    private List<Document> revisions(String kind, String key) {
        return data.revisions.getOrDefault(kind, Map.of()).getOrDefault(key, List.of());
    }

    private static Optional<Document> last(List<Document> history) {
        return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
    }

    @Override
    public Optional<Document> get(String kind, String key) {
        open();
        synchronized (data) {
            return last(revisions(kind, key)).filter(d -> !d.deleted());
        }
    }

    @Override
    public List<Document> list(String kind) {
        open();
        synchronized (data) {
            return data.revisions.getOrDefault(kind, Map.of()).values().stream()
                    .map(h -> h.get(h.size() - 1)).filter(d -> !d.deleted()).toList();
        }
    }

    @Override
    public List<Document> history(String kind, String key) {
        open();
        synchronized (data) {
            return List.copyOf(revisions(kind, key));
        }
    }

    /**
     * Checks every mutation against the versions as the earlier ones of the commit leave them, then writes all or
     * nothing. Listeners hear the records under the lock, so that they hear them in sequence order.
     */
    @Override
    public List<Document> commit(List<Mutation> mutations) {
        open();
        RuntimeException failure = commitFailure;
        if (failure != null) {
            throw failure;
        }
        synchronized (data) {
            Map<String, Document> pending = new TreeMap<>();
            List<Document> written = new ArrayList<>();
            List<AuditRecord> records = new ArrayList<>();
            Instant now = Instant.now();
            for (Mutation m : mutations) {
                String id = m.kind() + "\u0000" + m.key();
                Optional<Document> current = Optional.ofNullable(pending.get(id))
                        .or(() -> last(revisions(m.kind(), m.key())));
                long version = current.map(Document::version).orElse(0L);
                boolean live = current.isPresent() && !current.get().deleted();
                boolean expected = m.expectedVersion() == Mutation.ANY_VERSION
                        || (m.expectedVersion() == Mutation.ABSENT ? !live : m.expectedVersion() == version);
                if (!expected) {
                    throw new VersionConflictException(m.kind(), m.key(), m.expectedVersion(), version);
                }
                if (m.json() == null && !live) {
                    throw new NotFoundException(m.kind(), m.key());
                }
                Document document = new Document(m.kind(), m.key(), version + 1, m.json(), now);
                pending.put(id, document);
                written.add(document);
                String before = live ? current.get().json() : null;
                String action = m.action() != null ? m.action()
                        : m.json() == null ? "delete" : before == null ? "create" : "update";
                records.add(new AuditRecord(data.log.size() + records.size() + 1, now, m.actor(), action, m.kind(),
                        m.key(), m.environment(), document.version(), before, m.json(), m.reason(), m.requestId()));
            }
            for (Document document : written) {
                data.revisions.computeIfAbsent(document.kind(), k -> new TreeMap<>())
                        .computeIfAbsent(document.key(), k -> new ArrayList<>()).add(document);
            }
            data.log.addAll(records);
            records.forEach(this::tell);
            return written;
        }
    }

    private void tell(AuditRecord record) {
        if (!notifying) {
            return;
        }
        for (ChangeListener listener : listeners) {
            try {
                listener.changed(record);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a change listener failed on " + record.sequence(), e);
            }
        }
    }

    @Override
    public List<AuditRecord> changes(long afterSequence, int limit) {
        open();
        synchronized (data) {
            return data.log.stream().filter(r -> r.sequence() > afterSequence).limit(limit).toList();
        }
    }

    @Override
    public long lastSequence() {
        open();
        synchronized (data) {
            return data.log.size();
        }
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
