package io.ensign.store.embedded.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;

/**
 * One H2 database file in the data directory, opened the way both embedded stores use it: one writer
 * connection (its owner serializes writes with its own lock), a pool of reader connections that never wait
 * for the writer, commits that are in the file before they return, and a shutdown that compacts the file.
 *
 * <p>Durability: H2 delays writing a commit by 500 ms by default; {@code WRITE_DELAY=0} makes every commit
 * write its chunk to the file before returning, which survives {@code kill -9} (the data is in the OS page
 * cache). Surviving a power cut needs an fsync as well ({@code CHECKPOINT SYNC}), done per commit when
 * {@code syncEachCommit}. Every commit writes a new MVStore chunk, so under a burst of writes the file grows
 * faster than the data; {@code SHUTDOWN} at {@link #shutdown()} compacts it again.
 */
final class H2Database {
    /** Creates or migrates the schema on the writer connection. */
    @FunctionalInterface
    interface SchemaSetup {
        void apply(Connection writer) throws SQLException;
    }

    private static final System.Logger LOG = System.getLogger(H2Database.class.getName());

    private final String description;
    private final boolean syncEachCommit;
    private final Connection writer;
    private final JdbcConnectionPool readers;
    private volatile boolean closed;

    /**
     * Opens (creating if needed) the database {@code file} in {@code directory}; throws rather than leave it
     * half-open.
     *
     * @param options     extra H2 URL settings, each starting with {@code ;}, or ""
     * @param description what the database is, for messages ("the embedded store")
     */
    H2Database(Path directory, String file, String options, boolean syncEachCommit, int readConnections,
               SchemaSetup schema, String description) {
        this.description = description;
        this.syncEachCommit = syncEachCommit;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + directory, e);
        }
        JdbcDataSource source = new JdbcDataSource();
        // DB_CLOSE_ON_EXIT=FALSE: the owning component closes the database at deactivation, not H2's hook.
        source.setURL("jdbc:h2:file:" + directory.toAbsolutePath().resolve(file)
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE" + options);
        source.setUser("ensign");
        Connection opened = null;
        try {
            opened = source.getConnection();
            schema.apply(opened);
            opened.setAutoCommit(false);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(opened);
            throw new IllegalStateException("cannot open " + description + " in " + directory, e);
        }
        writer = opened;
        readers = JdbcConnectionPool.create(source);
        readers.setMaxConnections(readConnections);
    }

    /** The writer connection; only the holder of the owner's write lock uses it. */
    Connection writer() {
        return writer;
    }

    /** A pooled reader connection, to be closed after use. */
    Connection reader() throws SQLException {
        ensureOpen();
        return readers.getConnection();
    }

    /** Commits the writer's transaction and, when configured, forces it to the device. */
    void commitDurably() throws SQLException {
        writer.commit();
        if (syncEachCommit) {
            try (Statement statement = writer.createStatement()) {
                statement.execute("CHECKPOINT SYNC");
            }
        }
    }

    void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.ERROR, "rollback failed after a failed commit in " + description, e);
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
    }

    /** Shuts the database down, once; the owner holds its write lock so no commit is under way. */
    void shutdown() {
        if (closed) {
            return;
        }
        closed = true;
        try (Statement statement = writer.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException(description + " did not shut down cleanly", e);
        } finally {
            readers.dispose();
            closeQuietly(writer);
        }
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
