package io.ensign.audit.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.store.ChangeListener;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;

/**
 * Just the change-log half of a Store, which is all the dispatcher reads: every mutation committed becomes the
 * next audit record. Objects are not kept. Notifications can be switched off to imitate lost ones.
 */
final class ChangeLogStore implements Store {
    private final List<AuditRecord> log = new ArrayList<>();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean notifying = true;

    /** Commits one change to {@code flag/<key>} and returns its sequence number. */
    long write(String key) {
        commit(List.of(new Mutation("flag", key, null, "{\"key\":\"" + key + "\"}", Mutation.ANY_VERSION, null,
                "tester", null, null)));
        return lastSequence();
    }

    void stopNotifying() {
        notifying = false;
    }

    @Override
    public Optional<Document> get(String kind, String key) {
        return Optional.empty();
    }

    @Override
    public List<Document> list(String kind) {
        return List.of();
    }

    @Override
    public List<Document> history(String kind, String key) {
        return List.of();
    }

    @Override
    public List<Document> commit(List<Mutation> mutations) {
        List<AuditRecord> added = new ArrayList<>();
        synchronized (this) {
            for (Mutation m : mutations) {
                AuditRecord record = new AuditRecord(log.size() + 1, Instant.now(), m.actor(), "update", m.kind(),
                        m.key(), m.environment(), 1, null, m.json(), m.reason(), m.requestId());
                log.add(record);
                added.add(record);
            }
        }
        if (notifying) {
            added.forEach(r -> listeners.forEach(l -> l.changed(r)));
        }
        return added.stream().map(r -> new Document(r.kind(), r.key(), r.version(), r.after(), r.time())).toList();
    }

    @Override
    public synchronized List<AuditRecord> changes(long afterSequence, int limit) {
        int from = (int) Math.min(afterSequence, log.size());
        return List.copyOf(log.subList(from, Math.min(log.size(), from + limit)));
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
}
