package io.ensign.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.metrics.ServerMetrics;
import io.ensign.api.store.ChangeListener;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.store.StoreStatus;
import io.ensign.api.store.VersionConflictException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link Store} on SQL tables, for any {@link SqlDatabase}: {@code revisions} keeps every revision (json null for a
 * deletion), {@code current_revisions} points at the newest one of each object, {@code change_log} is the audit trail
 * whose {@code sequence} grows by exactly one per record, and {@code meta} holds facts about the database (the health
 * probe). The dialect creates these tables with its own types.
 *
 * <p>Writers in this process are serialized by one lock, and across processes by the database
 * ({@link SqlDatabase#beginWrite()}), so change-log sequence numbers are gap-free. Listeners hear of every change in
 * sequence order, each once, whichever process committed it: this process's commits right after they return, the
 * others' from the change log ({@link #catchUp()}), which is the source of truth. Nothing downstream (audit sinks, the
 * change stream) ever sees a change that a crash could take back, and a sequence number once published is never
 * handed out again.
 */
@ConsumerType
public abstract class SqlStore implements Store, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SqlStore.class.getName());
    private static final long PROBE_WAIT_MILLIS = 200;
    /** Change-log records read per query when listeners catch up. */
    private static final int CATCH_UP_PAGE = 500;

    private static final String CURRENT_JOIN = " FROM current_revisions c JOIN revisions r ON r.kind = c.kind"
            + " AND r.object_key = c.object_key AND r.version = c.version";
    private static final String DOCUMENT_COLUMNS = "SELECT r.kind, r.object_key, r.version, r.json, r.updated";
    private static final String CHANGE_COLUMNS = "SELECT sequence, committed_at, actor, action, kind, object_key,"
            + " environment, version, json_before, json_after, reason, request_id FROM change_log";

    private final SqlDatabase database;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Taken before the write lock is released, so one commit's notifications cannot overtake another's. */
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private final ChangeFanout fanout = new ChangeFanout();
    /** The sequence of the last change handed to the listeners; guarded by the delivery lock. */
    private long delivered;

    /**
     * @param database opened, with the store's tables migrated to the latest version; listeners hear of the changes
     *                 committed after this
     */
    protected SqlStore(SqlDatabase database) {
        this.database = database;
        this.delivered = database.read(SqlStore::lastSequence);
    }

    /** The database, for a backup ({@link SqlBackup}). */
    SqlDatabase database() {
        return database;
    }

    /** Where commit times go; null while no metrics service is there. */
    protected abstract ServerMetrics metrics();

    @Override
    public Optional<Document> get(String kind, String key) {
        return database.read(connection -> {
            List<Document> found = documents(connection, DOCUMENT_COLUMNS + CURRENT_JOIN
                    + " WHERE c.kind = ? AND c.object_key = ? AND r.json IS NOT NULL", kind, key);
            return found.stream().findFirst();
        });
    }

    @Override
    public List<Document> list(String kind) {
        return database.read(connection -> documents(connection, DOCUMENT_COLUMNS + CURRENT_JOIN
                + " WHERE c.kind = ? AND r.json IS NOT NULL ORDER BY c.object_key", kind));
    }

    @Override
    public List<Document> history(String kind, String key) {
        return database.read(connection -> documents(connection, DOCUMENT_COLUMNS
                + " FROM revisions r WHERE r.kind = ? AND r.object_key = ? ORDER BY r.version", kind, key));
    }

    @Override
    public List<AuditRecord> changes(long afterSequence, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return database.read(connection -> {
            try (PreparedStatement query = prepare(connection,
                    CHANGE_COLUMNS + " WHERE sequence > ? ORDER BY sequence LIMIT ?", afterSequence, limit);
                 ResultSet rows = query.executeQuery()) {
                List<AuditRecord> records = new ArrayList<>();
                while (rows.next()) {
                    records.add(new AuditRecord(rows.getLong(1), instant(rows, 2), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                            rows.getLong(8), rows.getString(9), rows.getString(10), rows.getString(11),
                            rows.getString(12)));
                }
                return records;
            }
        });
    }

    @Override
    public long lastSequence() {
        return database.read(SqlStore::lastSequence);
    }

    @Override
    public List<Document> commit(List<Mutation> mutations) {
        if (mutations.isEmpty()) {
            return List.of();
        }
        Committed committed;
        writeLock.lock();
        try {
            committed = writeAll(mutations);
            deliveryLock.lock();
        } finally {
            writeLock.unlock();
        }
        try {
            deliver(committed.records());
        } finally {
            deliveryLock.unlock();
        }
        return committed.documents();
    }

    /**
     * Hands this process's committed records to the listeners in sequence order, each once: the changes other
     * processes committed to the same database before them are read from the change log and handed over first. When
     * that read fails, the records wait for the next {@link #catchUp()}; the commit stands. The caller holds the
     * delivery lock.
     */
    private void deliver(List<AuditRecord> records) {
        for (AuditRecord record : records) {
            if (record.sequence() <= delivered) {
                continue;
            }
            if (record.sequence() > delivered + 1) {
                try {
                    deliverFromLog(record.sequence() - 1);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "change " + record.sequence() + " waits for the changes"
                            + " before it, which could not be read: " + e.getMessage());
                    return;
                }
            }
            hand(record);
        }
    }

    /** Hands the change log's records after the last one delivered, up to {@code upTo}, to the listeners. */
    private void deliverFromLog(long upTo) {
        while (delivered < upTo) {
            List<AuditRecord> page = changes(delivered, (int) Math.min(CATCH_UP_PAGE, upTo - delivered));
            if (page.isEmpty()) {
                return;
            }
            page.forEach(this::hand);
        }
    }

    /** Counts the record as delivered before the listeners run, so that a commit one of them makes is no gap. */
    private void hand(AuditRecord record) {
        delivered = record.sequence();
        fanout.deliver(record);
    }

    /**
     * Tells the listeners, in sequence order, of every change in the change log they have not heard of: the changes
     * that other processes (nodes) committed to the same database. A dialect whose database several processes share
     * calls it when it learns of their commits, and now and then in any case.
     *
     * @throws io.ensign.api.store.StoreUnavailableException when the change log cannot be read now
     */
    protected void catchUp() {
        deliveryLock.lock();
        try {
            deliverFromLog(Long.MAX_VALUE);
        } finally {
            deliveryLock.unlock();
        }
    }

    @Override
    public StoreStatus status() {
        return database.status(this::probe);
    }

    /** Writes one row to {@code meta} when the write lock comes free within a moment. */
    private void probe() {
        try {
            if (writeLock.tryLock(PROBE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                try {
                    write("write", writer -> update(writer, "INSERT INTO meta (name, value) VALUES ('probe', ?)"
                            + " ON CONFLICT (name) DO UPDATE SET value = excluded.value", Instant.now().toString()));
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public AutoCloseable subscribe(ChangeListener listener) {
        return fanout.subscribe(listener);
    }

    /** Shuts the database down once any commit under way has finished, so the next start opens it quickly. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            database.shutdown();
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs the mutations in one transaction; the caller holds the write lock. */
    private Committed writeAll(List<Mutation> mutations) {
        Instant now = Instant.now();
        return write("commit", writer -> {
            long sequence = lastSequence(writer);
            List<Document> documents = new ArrayList<>(mutations.size());
            List<AuditRecord> records = new ArrayList<>(mutations.size());
            for (Mutation mutation : mutations) {
                AuditRecord record = write(writer, mutation, ++sequence, now);
                records.add(record);
                documents.add(new Document(mutation.kind(), mutation.key(), record.version(), mutation.json(), now));
            }
            return new Committed(documents, records);
        });
    }

    /**
     * Runs {@code transaction} on a write connection and commits it durably, timing the commit; the caller holds the
     * write lock.
     */
    private <T> T write(String what, SqlDatabase.Query<T> transaction) {
        Connection writer = database.beginWrite();
        try {
            T result = transaction.run(writer);
            long start = System.nanoTime();
            database.commit(writer);
            ServerMetrics recorder = metrics();
            if (recorder != null) {
                recorder.storeCommitted(System.nanoTime() - start);
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            throw database.failed(writer, what, e);
        } finally {
            database.endWrite(writer);
        }
    }

    /** Checks one mutation against the current revision and writes its revision and audit record. */
    private static AuditRecord write(Connection writer, Mutation mutation, long sequence, Instant now)
            throws SQLException {
        String kind = mutation.kind();
        String key = mutation.key();
        Current current = current(writer, kind, key);
        boolean live = current.json() != null;
        long expected = mutation.expectedVersion();
        boolean expectationMet = expected == Mutation.ANY_VERSION
                || (expected == Mutation.ABSENT ? !live : expected == current.version());
        if (!expectationMet) {
            throw new VersionConflictException(kind, key, expected, current.version());
        }
        if (mutation.json() == null && !live) {
            throw new NotFoundException(kind, key);
        }
        long version = current.version() + 1;
        String time = now.toString();
        update(writer, "INSERT INTO revisions VALUES (?, ?, ?, ?, ?)", kind, key, version, mutation.json(), time);
        update(writer, "INSERT INTO current_revisions VALUES (?, ?, ?) ON CONFLICT (kind, object_key)"
                + " DO UPDATE SET version = excluded.version", kind, key, version);
        String action = mutation.action() != null ? mutation.action()
                : mutation.json() == null ? "delete" : live ? "update" : "create";
        update(writer, "INSERT INTO change_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sequence, time,
                mutation.actor(), action, kind, key, mutation.environment(), version, current.json(),
                mutation.json(), mutation.reason(), mutation.requestId());
        return new AuditRecord(sequence, now, mutation.actor(), action, kind, key, mutation.environment(), version,
                current.json(), mutation.json(), mutation.reason(), mutation.requestId());
    }

    /** The newest revision's version and JSON as the writer's transaction sees it; version 0 when none. */
    private static Current current(Connection writer, String kind, String key) throws SQLException {
        try (PreparedStatement query = prepare(writer, "SELECT r.version, r.json" + CURRENT_JOIN
                + " WHERE c.kind = ? AND c.object_key = ?", kind, key);
             ResultSet rows = query.executeQuery()) {
            return rows.next() ? new Current(rows.getLong(1), rows.getString(2)) : new Current(0, null);
        }
    }

    private static int update(Connection writer, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(writer, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    private static long lastSequence(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(sequence), 0) FROM change_log")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<Document> documents(Connection connection, String sql, Object... parameters)
            throws SQLException {
        try (PreparedStatement query = prepare(connection, sql, parameters);
             ResultSet rows = query.executeQuery()) {
            List<Document> documents = new ArrayList<>();
            while (rows.next()) {
                documents.add(new Document(rows.getString(1), rows.getString(2), rows.getLong(3),
                        rows.getString(4), instant(rows, 5)));
            }
            return documents;
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        return Instant.parse(rows.getString(column));
    }

    private record Current(long version, String json) {
    }

    private record Committed(List<Document> documents, List<AuditRecord> records) {
    }
}
