package io.ensign.store.postgresql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import io.ensign.api.store.Coordination;

/**
 * The lead among the nodes on one database: a session-level advisory lock ({@code pg_try_advisory_lock}) held on a
 * connection of this node's own. The node that holds it leads; every other asks for it every {@code checkMillis}.
 * The database releases it when the leader's session ends — the process killed, its connection closed or
 * terminated — so another node leads within one check after that. The leader checks its connection every
 * {@code checkMillis} (allowing the check {@value #VALID_TIMEOUT_SECONDS} s) and stops leading as soon as the
 * connection fails; a leader cut off from the database without
 * noticing (a partition the TCP connection has not yet seen) keeps believing it leads until the check fails, while
 * its lock stays held until the database drops the session, so two leaders overlap at most for that check.
 *
 * <p>The shared cursors live in table {@code audit_cursors}, written outside the change log (no audit record), and
 * only ever raised.
 */
final class PostgresCoordination implements Coordination, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PostgresCoordination.class.getName());
    /** The lead's advisory lock, apart from the layouts' write locks. */
    static final long LEAD_LOCK = 0x656e7369676e0003L;
    static final String APPLICATION_NAME = "ensign-lead";
    /** How long the leader's connection check may take before the connection counts as broken. */
    private static final int VALID_TIMEOUT_SECONDS = 5;

    private final PostgresDatabase database;
    private final long checkMillis;
    private final Thread thread;
    private volatile boolean leads;
    private volatile boolean closed;
    private volatile Connection connection;

    PostgresCoordination(PostgresDatabase database, long checkMillis) {
        this.database = database;
        this.checkMillis = Math.max(1, checkMillis);
        this.thread = new Thread(this::run, "ensign-store-lead");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public boolean leads() {
        return leads;
    }

    @Override
    public long cursor(String name) {
        return database.read(c -> {
            try (PreparedStatement statement = c.prepareStatement(
                    "SELECT sequence FROM audit_cursors WHERE sink = ?")) {
                statement.setString(1, name);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void saveCursor(String name, long sequence) {
        database.read(c -> {
            try (PreparedStatement statement = c.prepareStatement("INSERT INTO audit_cursors (sink, sequence)"
                    + " VALUES (?, ?) ON CONFLICT (sink) DO UPDATE"
                    + " SET sequence = GREATEST(audit_cursors.sequence, EXCLUDED.sequence)")) {
                statement.setString(1, name);
                statement.setLong(2, sequence);
                return statement.executeUpdate();
            }
        });
    }

    private void run() {
        while (!closed) {
            try (Connection own = database.ownConnection(APPLICATION_NAME)) {
                connection = own;
                while (!closed) {
                    if (!leads) {
                        leads = tryLock(own);
                        if (leads) {
                            LOG.log(System.Logger.Level.INFO, "this node leads the cluster's audit delivery");
                        }
                    } else if (!own.isValid(VALID_TIMEOUT_SECONDS)) {
                        throw new SQLException("the lead's connection is no longer valid");
                    }
                    TimeUnit.MILLISECONDS.sleep(checkMillis);
                }
            } catch (SQLException | RuntimeException e) {
                if (leads) {
                    LOG.log(System.Logger.Level.WARNING, "this node stops leading: " + e.getMessage());
                }
                leads = false;
                if (!closed) {
                    pause();
                }
            } catch (InterruptedException e) {
                closed = true;
            } finally {
                leads = false;
                connection = null;
            }
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, LEAD_LOCK);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    private void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(checkMillis);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    /** Stops: closes the connection, which releases the lock, and waits for the thread. */
    @Override
    public void close() {
        closed = true;
        leads = false;
        thread.interrupt();
        Connection own = connection;
        if (own != null) {
            try {
                own.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the lead's connection", e);
            }
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
