package io.ensign.store.postgresql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ensign.api.store.StoreStatus;
import io.ensign.api.store.StoreUnavailableException;
import io.ensign.store.sql.SqlDatabase;
import io.ensign.store.sql.WriteHealth;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One layout ({@link PostgresSchema}) in a PostgreSQL database, through a HikariCP pool of connections whose
 * {@code search_path} is the layout's schema. Opening it creates the schema and runs the migrations under the
 * layout's advisory lock, so nodes starting together migrate once. A write transaction takes the same lock
 * ({@code pg_advisory_xact_lock}, released by its commit or rollback), which serializes the writers of every node:
 * change-log sequences stay gap-free and an If-Match is checked against the newest revision of any node.
 *
 * <p>Durability is PostgreSQL's: with {@code synchronous_commit} on (its default) a commit is in the server's
 * write-ahead log on disk when it returns. Failures to reach the server (SQL states 08, 57P, 53, the pool's time-out)
 * become a {@link StoreUnavailableException} (503 with {@code Retry-After}) and mark the database as failing, which
 * {@link #status(Runnable)} reports until a write succeeds again.
 */
final class PostgresDatabase implements SqlDatabase {
    private static final System.Logger LOG = System.getLogger(PostgresDatabase.class.getName());
    private static final int RETRY_AFTER_SECONDS = 5;
    /**
     * Settings of every session, so that PostgreSQL itself ends the session of a node it can no longer reach: one
     * left in a transaction — holding the write lock every node's writers wait for — after 10 s without a statement
     * (Ensign's transactions never wait on anything but the database), and any other, such as the lead's advisory
     * lock, once 10 s of silence and three unanswered TCP keep-alive probes 2 s apart show the peer gone (the
     * operating system's default waits two hours).
     */
    static final String SESSION_SETTINGS = "SELECT set_config('idle_in_transaction_session_timeout', '10s', false),"
            + " set_config('tcp_keepalives_idle', '10', false), set_config('tcp_keepalives_interval', '2', false),"
            + " set_config('tcp_keepalives_count', '3', false)";

    private final String description;
    private final PostgresSchema schema;
    /** The channel every write transaction notifies at its commit; null for none. */
    private final String notifyChannel;
    private final PGSimpleDataSource source;
    private final HikariDataSource pool;
    private volatile boolean closed;
    private final WriteHealth health;

    /**
     * Connects, creates the schema if needed and migrates it; throws, leaving no pool open, when it cannot.
     *
     * @param notifyChannel the channel each write transaction notifies ({@code NOTIFY}, delivered at its commit),
     *                      null for none
     * @param description   what the database is, for messages ("the PostgreSQL store")
     */
    PostgresDatabase(PostgresTarget target, PostgresSchema schema, String notifyChannel, int poolSize,
                     int connectTimeoutSeconds, String description) {
        this.description = description;
        this.notifyChannel = notifyChannel;
        this.health = new WriteHealth(description);
        this.schema = schema;
        source = new PGSimpleDataSource();
        source.setURL(target.jdbcUrl());
        source.setUser(target.user());
        if (target.password() != null) {
            source.setPassword(target.password());
        }
        source.setCurrentSchema(schema.name());
        source.setApplicationName("ensign");
        source.setConnectTimeout(connectTimeoutSeconds);
        // connecting through a partition: the TCP connection may open and the start-up exchange hang
        source.setLoginTimeout(connectTimeoutSeconds);
        source.setTcpKeepAlive(true);
        HikariConfig config = new HikariConfig();
        config.setDataSource(source);
        config.setPoolName("ensign-" + schema.name());
        config.setMaximumPoolSize(Math.max(1, poolSize));
        config.setMinimumIdle(1);
        config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(Math.max(1, connectTimeoutSeconds)));
        config.setAutoCommit(true);
        config.setConnectionInitSql(SESSION_SETTINGS);
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect " + description + " to " + target + ": "
                    + e.getMessage(), e);
        }
        try {
            migrate();
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot open " + description + " in " + target + ": "
                    + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            // a migration may build an index over a large table without a word from the server
            connection.setNetworkTimeout(Runnable::run, 0);
            connection.setAutoCommit(false);
            lock(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema.name());
            }
            schema.migrations().migrate(connection);
            connection.commit();
        }
    }

    /** Takes the layout's advisory lock until the end of the connection's transaction. */
    private void lock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            statement.setLong(1, schema.lockKey());
            statement.execute();
        }
    }

    @Override
    public Connection beginWrite() {
        ensureOpen();
        Connection connection;
        try {
            connection = pool.getConnection();
        } catch (SQLException e) {
            throw unavailable("write", e);
        }
        try {
            connection.setAutoCommit(false);
            lock(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            RuntimeException failure = failed(connection, "write", e);
            endWrite(connection);
            throw failure;
        }
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        if (notifyChannel != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("NOTIFY " + notifyChannel);
            }
        }
        connection.commit();
        health.committed();
    }

    /** Gives the connection back to the pool, which resets it to auto-commit. */
    @Override
    public void endWrite(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "giving a connection of " + description + " back failed", e);
        }
    }

    @Override
    public RuntimeException failed(Connection connection, String what, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "rollback after a failed write in " + description, e);
        }
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof SQLException sql && passing(sql)) {
            return unavailable(what, sql);
        }
        return new IllegalStateException(description + " could not " + what, failure);
    }

    /** A condition that passes by itself: the server unreachable, shutting down, or out of resources. */
    private static boolean passing(SQLException failure) {
        if (failure instanceof SQLTransientConnectionException) {
            return true;
        }
        String state = failure.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"));
    }

    private StoreUnavailableException unavailable(String what, SQLException failure) {
        StoreUnavailableException.Condition condition = "53100".equals(failure.getSQLState())
                ? StoreUnavailableException.Condition.DISK_FULL : StoreUnavailableException.Condition.UNAVAILABLE;
        String reason = "the PostgreSQL server cannot be used: " + failure.getMessage();
        health.failed(reason);
        LOG.log(System.Logger.Level.ERROR, description + " could not " + what + ": " + reason, failure);
        return new StoreUnavailableException(condition, description + " could not " + what + ": " + reason,
                RETRY_AFTER_SECONDS, failure);
    }

    /**
     * One query on a pooled connection in auto-commit mode: a read, or a write outside the change log (the shared
     * audit cursors).
     */
    @Override
    public <T> T read(Query<T> query) {
        ensureOpen();
        try (Connection connection = pool.getConnection()) {
            return query.run(connection);
        } catch (SQLException e) {
            if (passing(e)) {
                throw unavailable("read", e);
            }
            throw new IllegalStateException(description + " could not read", e);
        }
    }

    @Override
    public StoreStatus status(Runnable probe) {
        if (closed) {
            return StoreStatus.down(description + " is closed");
        }
        return health.status(probe);
    }

    /**
     * A new connection of its own, outside the pool, for work that holds a session: {@code LISTEN} (a pooled
     * connection would be handed to other work, and a transaction-mode PgBouncer would silently drop its
     * registrations) or the lead's advisory lock.
     *
     * @param applicationName what {@code pg_stat_activity} shows for it
     */
    Connection ownConnection(String applicationName) throws SQLException {
        ensureOpen();
        Connection connection = source.getConnection();
        connection.setAutoCommit(true);
        try (PreparedStatement statement = connection.prepareStatement(SESSION_SETTINGS
                + ", set_config('application_name', ?, false)")) {
            statement.setString(1, applicationName);
            statement.execute();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
    }

    /** Closes the pool, once; the owner has let every write under way finish. */
    @Override
    public void shutdown() {
        if (closed) {
            return;
        }
        closed = true;
        pool.close();
    }
}
