package io.ensign.store.sql;

import java.sql.Connection;
import java.sql.SQLException;

import io.ensign.api.store.StoreStatus;
import io.ensign.api.store.StoreUnavailableException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One database as a SQL store uses it, implemented by each dialect. The store serializes its own writes within the
 * process; a write runs as {@link #beginWrite()}, statements on the connection it returns, {@link #commit}, and
 * {@link #endWrite} in any case, with {@link #failed} turning a failure into what the store throws. A database that
 * several processes write must serialize their transactions itself, from {@link #beginWrite()} to the commit, so
 * that change-log sequences stay gap-free and an expected version is checked against the newest revision.
 */
@ConsumerType
public interface SqlDatabase {
    /**
     * A connection in manual-commit mode holding whatever lock serializes writers of this database across
     * processes, in a new transaction.
     *
     * @throws StoreUnavailableException when the database cannot take a write now
     */
    Connection beginWrite();

    /** Commits the write transaction; when this returns the commit survives a crash of the process. */
    void commit(Connection connection) throws SQLException;

    /** Releases the connection {@link #beginWrite()} returned, after a commit or a {@link #failed} rollback. */
    void endWrite(Connection connection);

    /**
     * Rolls the write transaction back after {@code failure} and turns the failure into what the caller throws: a
     * {@link StoreUnavailableException} for a passing condition (a full device, the database away), the failure
     * itself when it is a runtime exception, else an {@link IllegalStateException}.
     *
     * @param what what was being done, for messages ("commit")
     */
    RuntimeException failed(Connection connection, String what, Throwable failure);

    /** Runs {@code query} on a connection that sees the last commit made before it started. */
    <T> T read(Query<T> query);

    /**
     * Whether writes are expected to succeed. While the last write failed, the database runs {@code probe} (a tiny
     * write through the owner), so the status clears by itself once the condition has passed.
     */
    StoreStatus status(Runnable probe);

    /** Closes the database, once; the owner has let every write under way finish. */
    void shutdown();

    /** A query on one connection. */
    @FunctionalInterface
    interface Query<T> {
        T run(Connection connection) throws SQLException;
    }
}
