package io.ensign.store.embedded.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.ensign.api.store.StoreStatus;
import io.ensign.api.store.StoreUnavailableException;
import io.ensign.store.sql.SqlDatabase;
import io.ensign.store.sql.WriteHealth;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One SQLite database file in the data directory, opened the way both embedded stores use it: one writer
 * connection (its owner serializes writes with its own lock), a fixed set of read-only connections that never
 * wait for the writer, and commits that are on the device before they return.
 *
 * <p>Durability: the database runs in WAL mode with {@code synchronous=FULL}, so every commit appends its pages
 * to the write-ahead log and fsyncs it before {@code COMMIT} returns; a commit therefore survives {@code kill -9}
 * and a power cut. Without {@code syncEachCommit} the store uses {@code synchronous=NORMAL}: a commit still
 * survives {@code kill -9} (it is in the OS page cache) but not a power cut.
 *
 * <p>Failures to write are sorted here, in one place: a full device (SQLite's {@code SQLITE_FULL}, or any write
 * error while the device has less than the configured free space) and other I/O errors become a
 * {@link StoreUnavailableException} and mark the database as failing, which {@link #status(Runnable)} reports until a
 * write succeeds again; {@link #status(Runnable)} itself tries a tiny write while failing, so the store comes back by
 * itself once space is free, even when no client writes.
 */
final class SqliteDatabase implements SqlDatabase {
    private static final System.Logger LOG = System.getLogger(SqliteDatabase.class.getName());
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;
    private static final int RETRY_AFTER_SECONDS = 5;

    private final String description;
    private final Path directory;
    private final Path file;
    private final long minimumFreeBytes;
    private final Connection writer;
    private final BlockingQueue<Connection> readers;
    private final List<Connection> allReaders;
    private volatile boolean closed;
    private final WriteHealth health;

    /**
     * Opens (creating if needed) the schema's database in {@code directory}, brings it to the schema's latest
     * version and migrates an Ensign 1.0 H2 database of the same name found there ({@link H2Migration}); throws
     * rather than leave it half-open.
     *
     * @param minimumFreeBytes writes are refused as disk full while the device has less free space than this
     * @param description      what the database is, for messages ("the embedded store")
     */
    SqliteDatabase(Path directory, Schema schema, boolean syncEachCommit, int readConnections,
                   long minimumFreeBytes, String description) {
        this.description = description;
        this.health = new WriteHealth(description);
        this.directory = directory;
        this.file = directory.resolve(schema.name() + ".db");
        this.minimumFreeBytes = minimumFreeBytes;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + directory, e);
        }
        NativeLibraryDirectory.prepare(directory);
        Connection opened = null;
        List<Connection> opening = new ArrayList<>();
        try {
            opened = open(syncEachCommit, false);
            opened.setAutoCommit(false);
            schema.migrations().migrate(opened);
            opened.commit();
            for (int i = 0; i < readConnections; i++) {
                opening.add(open(syncEachCommit, true));
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(opened);
            opening.forEach(SqliteDatabase::closeQuietly);
            throw new IllegalStateException("cannot open " + description + " in " + directory + ": "
                    + e.getMessage(), e);
        }
        writer = opened;
        allReaders = List.copyOf(opening);
        readers = new ArrayBlockingQueue<>(Math.max(1, readConnections), false, allReaders);
        try {
            H2Migration.migrateIfPresent(this, directory, schema.name(), schema.tables());
        } catch (RuntimeException e) {
            shutdown();
            throw e;
        }
    }

    private Connection open(boolean syncEachCommit, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        if (!readOnly) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        }
        config.setSynchronous(syncEachCommit ? SQLiteConfig.SynchronousMode.FULL
                : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setReadOnly(readOnly);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return source.getConnection();
    }

    /** The writer connection, in manual-commit mode; only the holder of the owner's write lock uses it. */
    Connection writer() {
        ensureOpen();
        return writer;
    }

    /** The path of the database file. */
    Path file() {
        return file;
    }

    /**
     * Refuses a write up front while the device is nearly full, so a commit never starts that would most
     * likely fail half way; the caller holds the write lock.
     */
    void requireRoom() {
        ensureOpen();
        long free = freeBytes();
        if (free < minimumFreeBytes) {
            String reason = nearlyFull(free);
            health.failed(reason);
            throw new StoreUnavailableException(StoreUnavailableException.Condition.DISK_FULL,
                    description + " cannot write: " + reason, RETRY_AFTER_SECONDS, null);
        }
    }

    /** The writer, once there is room for a write ({@link #requireRoom()}); the owner's write lock serializes writers. */
    @Override
    public Connection beginWrite() {
        requireRoom();
        return writer;
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        commitDurably();
    }

    /** Nothing to release: the writer stays open for the next write. */
    @Override
    public void endWrite(Connection connection) {
    }

    @Override
    public RuntimeException failed(Connection connection, String what, Throwable failure) {
        return failed(what, failure);
    }

    /** Commits the writer's transaction; {@code synchronous=FULL} has it on the device when this returns. */
    void commitDurably() throws SQLException {
        writer.commit();
        health.committed();
    }

    /**
     * Rolls the writer's transaction back after {@code failure} and turns the failure into what the caller
     * throws: a {@link StoreUnavailableException} for a full device or an I/O error, else an
     * {@link IllegalStateException}.
     */
    RuntimeException failed(String what, Throwable failure) {
        rollbackQuietly();
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        StoreUnavailableException.Condition condition = condition(failure);
        if (condition == null) {
            return new IllegalStateException(description + " could not " + what, failure);
        }
        String reason = condition == StoreUnavailableException.Condition.DISK_FULL
                ? "the data directory's device is full" : "the database file could not be written: "
                + failure.getMessage();
        health.failed(reason);
        LOG.log(System.Logger.Level.ERROR, description + " could not " + what + ": " + reason, failure);
        return new StoreUnavailableException(condition, description + " could not " + what + ": " + reason,
                RETRY_AFTER_SECONDS, failure);
    }

    private StoreUnavailableException.Condition condition(Throwable failure) {
        if (!(failure instanceof SQLiteException sqlite)) {
            return null;
        }
        SQLiteErrorCode code = sqlite.getResultCode();
        int primary = code.code & 0xff;
        if (primary == SQLiteErrorCode.SQLITE_FULL.code) {
            return StoreUnavailableException.Condition.DISK_FULL;
        }
        if (primary == SQLiteErrorCode.SQLITE_IOERR.code || primary == SQLiteErrorCode.SQLITE_CANTOPEN.code
                || primary == SQLiteErrorCode.SQLITE_READONLY.code || primary == SQLiteErrorCode.SQLITE_BUSY.code) {
            // an I/O error while the device is (nearly) full is the full device, whatever SQLite calls it
            return freeBytes() < Math.max(minimumFreeBytes, 1)
                    ? StoreUnavailableException.Condition.DISK_FULL : StoreUnavailableException.Condition.UNAVAILABLE;
        }
        return null;
    }

    private String nearlyFull(long free) {
        return "the data directory's device is full: " + free + " bytes free, under the minimum of "
                + minimumFreeBytes;
    }

    private long freeBytes() {
        try {
            return Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public StoreStatus status(Runnable probe) {
        if (closed) {
            return StoreStatus.down(description + " is closed");
        }
        long free = freeBytes();
        if (free < minimumFreeBytes) {
            return StoreStatus.down(nearlyFull(free));
        }
        return health.status(probe);
    }

    private void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            // SQLite rolls a transaction back by itself after some errors (a full disk), and then the driver,
            // whose rollback failed, does not begin the next one: begin it here, as its rollback would have
            LOG.log(System.Logger.Level.DEBUG, "rollback after a failed write in " + description, e);
            try (Statement statement = writer.createStatement()) {
                statement.execute("BEGIN");
            } catch (SQLException stillOpen) {
                LOG.log(System.Logger.Level.DEBUG, "a transaction is still open in " + description, stillOpen);
            }
        }
    }

    /** Runs {@code query} on a read-only connection, which sees the last commit made before it started. */
    @Override
    public <T> T read(Query<T> query) {
        ensureOpen();
        Connection connection;
        try {
            connection = readers.poll(BUSY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a connection to " + description, e);
        }
        if (connection == null) {
            throw new StoreUnavailableException(StoreUnavailableException.Condition.UNAVAILABLE,
                    "every connection to " + description + " is busy", 1, null);
        }
        try {
            ensureOpen();
            return query.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(description + " could not read", e);
        } finally {
            readers.add(connection);
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
    }

    /**
     * Closes the database, once; the owner holds its write lock so no commit is under way. The last connection
     * to close checkpoints the log into the database file, so the next start opens it quickly.
     */
    @Override
    public void shutdown() {
        if (closed) {
            return;
        }
        closed = true;
        // readers in use come back to the queue when their query ends; wait for them briefly
        List<Connection> idle = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (idle.size() < allReaders.size() && System.nanoTime() < deadline) {
            try {
                Connection connection = readers.poll(100, TimeUnit.MILLISECONDS);
                if (connection != null) {
                    idle.add(connection);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        allReaders.forEach(SqliteDatabase::closeQuietly);
        try (Statement statement = writer.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, description + " could not checkpoint at shutdown", e);
        }
        closeQuietly(writer);
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "closing a connection failed", e);
        }
    }
}
