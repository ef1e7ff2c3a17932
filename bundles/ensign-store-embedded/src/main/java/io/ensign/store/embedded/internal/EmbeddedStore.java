package io.ensign.store.embedded.internal;

import java.nio.file.Path;
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
import io.ensign.api.store.StorePlugin;
import io.ensign.api.store.StoreStatus;
import io.ensign.api.store.VersionConflictException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The default store: every revision and the change log in one embedded SQLite database on local disk
 * ({@code ensign.db} in the data directory; see {@link SqliteDatabase} on durability). Writers are serialized by
 * one lock, which keeps change-log sequence numbers gap-free and listener order equal to commit order; readers
 * use their own read-only connections on SQLite's write-ahead log, so they never wait for that lock. Listeners
 * hear of a change only after its commit is on the device, so nothing downstream (audit sinks, the change
 * stream) ever sees a change that a crash could take back, and a sequence number once published is never
 * handed out again.
 */
@Component(service = Store.class, configurationPid = EmbeddedStore.PID)
@StorePlugin(name = "embedded", version = "2.0.0")
@Designate(ocd = EmbeddedStore.Config.class)
public final class EmbeddedStore implements Store, AutoCloseable {
    static final String PID = "io.ensign.store.embedded";
    /** Framework property naming Ensign's data directory, used when the configuration names none. */
    static final String DATA_PROPERTY = "ensign.data";
    private static final String DEFAULT_DATA_DIRECTORY = "./data";
    private static final int READ_CONNECTIONS = 8;
    private static final long PROBE_WAIT_MILLIS = 200;

    private static final String CURRENT_JOIN = " FROM current_revisions c JOIN revisions r ON r.kind = c.kind"
            + " AND r.object_key = c.object_key AND r.version = c.version";
    private static final String DOCUMENT_COLUMNS = "SELECT r.kind, r.object_key, r.version, r.json, r.updated";
    private static final String CHANGE_COLUMNS = "SELECT sequence, committed_at, actor, action, kind, object_key,"
            + " environment, version, json_before, json_after, reason, request_id FROM change_log";

    /** Configuration of the embedded store. */
    @ObjectClassDefinition(name = "Ensign embedded store", description = "Where and how the default store keeps data")
    public @interface Config {
        @AttributeDefinition(description = "Directory holding the database; empty means the framework property "
                + DATA_PROPERTY + ", else " + DEFAULT_DATA_DIRECTORY)
        String dataDirectory() default "";

        @AttributeDefinition(description = "Force every commit to the disk device (fsync) before acknowledging it;"
                + " without it a commit survives a crash of the process but not of the machine")
        boolean syncEachCommit() default true;

        @AttributeDefinition(description = "Writes are refused (HTTP 507) while the data directory's device has"
                + " fewer free bytes than this, so a commit never starts that a full disk would break off")
        long minimumFreeBytes() default DEFAULT_MINIMUM_FREE_BYTES;
    }

    /** 16 MiB: room for SQLite's write-ahead log to take a large commit and a checkpoint. */
    static final long DEFAULT_MINIMUM_FREE_BYTES = 16L << 20;

    private final SqliteDatabase database;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Taken before the write lock is released, so one commit's notifications cannot overtake another's. */
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private final ChangeFanout fanout = new ChangeFanout();
    /** Where commit times go; null while no metrics bundle is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerMetrics metrics;

    @Activate
    public EmbeddedStore(Config config, BundleContext context) {
        this(dataDirectory(config.dataDirectory(), context.getProperty(DATA_PROPERTY)), config.syncEachCommit(),
                config.minimumFreeBytes());
    }

    /** Opens the store in {@code directory} with the default free-space minimum. */
    public EmbeddedStore(Path directory, boolean syncEachCommit) {
        this(directory, syncEachCommit, DEFAULT_MINIMUM_FREE_BYTES);
    }

    /**
     * Opens (creating if needed) the database in {@code directory}, migrating an Ensign 1.0 H2 database found
     * there ({@link H2Migration}); throws rather than leave it half-open.
     */
    public EmbeddedStore(Path directory, boolean syncEachCommit, long minimumFreeBytes) {
        database = new SqliteDatabase(directory, Schema.STORE, syncEachCommit, READ_CONNECTIONS, minimumFreeBytes,
                "the embedded store");
        writer = database.writer();
    }

    static Path dataDirectory(String configured, String frameworkProperty) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (frameworkProperty != null && !frameworkProperty.isBlank()) {
            return Path.of(frameworkProperty);
        }
        return Path.of(DEFAULT_DATA_DIRECTORY);
    }

    @Override
    public Optional<Document> get(String kind, String key) {
        return read(connection -> {
            List<Document> found = documents(connection, DOCUMENT_COLUMNS + CURRENT_JOIN
                    + " WHERE c.kind = ? AND c.object_key = ? AND r.json IS NOT NULL", kind, key);
            return found.stream().findFirst();
        });
    }

    @Override
    public List<Document> list(String kind) {
        return read(connection -> documents(connection, DOCUMENT_COLUMNS + CURRENT_JOIN
                + " WHERE c.kind = ? AND r.json IS NOT NULL ORDER BY c.object_key", kind));
    }

    @Override
    public List<Document> history(String kind, String key) {
        return read(connection -> documents(connection, DOCUMENT_COLUMNS
                + " FROM revisions r WHERE r.kind = ? AND r.object_key = ? ORDER BY r.version", kind, key));
    }

    @Override
    public List<AuditRecord> changes(long afterSequence, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return read(connection -> {
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
        return read(EmbeddedStore::lastSequence);
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
            fanout.deliver(committed.records());
        } finally {
            deliveryLock.unlock();
        }
        return committed.documents();
    }

    @Override
    public StoreStatus status() {
        return database.status(this::probe);
    }

    private void probe() {
        try {
            if (writeLock.tryLock(PROBE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                try {
                    database.probe();
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
    @Deactivate
    @Override
    public void close() {
        writeLock.lock();
        try {
            database.shutdown();
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs the mutations in one transaction on the writer connection; the caller holds the write lock. */
    private Committed writeAll(List<Mutation> mutations) {
        database.requireRoom();
        Instant now = Instant.now();
        try {
            long sequence = lastSequence(writer);
            List<Document> documents = new ArrayList<>(mutations.size());
            List<AuditRecord> records = new ArrayList<>(mutations.size());
            for (Mutation mutation : mutations) {
                AuditRecord record = write(mutation, ++sequence, now);
                records.add(record);
                documents.add(new Document(mutation.kind(), mutation.key(), record.version(), mutation.json(), now));
            }
            long start = System.nanoTime();
            database.commitDurably();
            ServerMetrics recorder = metrics;
            if (recorder != null) {
                recorder.storeCommitted(System.nanoTime() - start);
            }
            return new Committed(documents, records);
        } catch (SQLException | RuntimeException e) {
            throw database.failed("commit", e);
        }
    }

    /** Checks one mutation against the current revision and writes its revision and audit record. */
    private AuditRecord write(Mutation mutation, long sequence, Instant now) throws SQLException {
        String kind = mutation.kind();
        String key = mutation.key();
        Current current = current(kind, key);
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
        update("INSERT INTO revisions VALUES (?, ?, ?, ?, ?)", kind, key, version, mutation.json(), time);
        update("INSERT INTO current_revisions VALUES (?, ?, ?) ON CONFLICT (kind, object_key)"
                + " DO UPDATE SET version = excluded.version", kind, key, version);
        String action = mutation.action() != null ? mutation.action()
                : mutation.json() == null ? "delete" : live ? "update" : "create";
        update("INSERT INTO change_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sequence, time,
                mutation.actor(), action, kind, key, mutation.environment(), version, current.json(),
                mutation.json(), mutation.reason(), mutation.requestId());
        return new AuditRecord(sequence, now, mutation.actor(), action, kind, key, mutation.environment(), version,
                current.json(), mutation.json(), mutation.reason(), mutation.requestId());
    }

    /** The newest revision's version and JSON as the writer's transaction sees it; version 0 when none. */
    private Current current(String kind, String key) throws SQLException {
        try (PreparedStatement query = prepare(writer, "SELECT r.version, r.json" + CURRENT_JOIN
                + " WHERE c.kind = ? AND c.object_key = ?", kind, key);
             ResultSet rows = query.executeQuery()) {
            return rows.next() ? new Current(rows.getLong(1), rows.getString(2)) : new Current(0, null);
        }
    }

    private void update(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(writer, sql, parameters)) {
            statement.executeUpdate();
        }
    }

    private <T> T read(SqliteDatabase.Query<T> query) {
        return database.read(query);
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
