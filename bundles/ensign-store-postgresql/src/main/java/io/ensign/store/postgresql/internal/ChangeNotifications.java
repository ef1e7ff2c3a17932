package io.ensign.store.postgresql.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.postgresql.PGConnection;

/**
 * How a node learns of the changes other nodes commit: {@code LISTEN} on a connection of its own, and after every
 * notification, and every {@code checkMillis} without one, a catch-up from the change log ({@code catchUp}), which is
 * the source of truth. A notification only says "look": a node that missed some (its connection broke, a PgBouncer in
 * transaction mode dropped the registration, the notification queue overflowed) still finds every change in the
 * change log, at the latest at the next periodic check; after a reconnect it catches up at once. One daemon thread.
 */
final class ChangeNotifications implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChangeNotifications.class.getName());
    private static final long RECONNECT_MILLIS = 1_000;

    private final PostgresDatabase database;
    private final String channel;
    private final int checkMillis;
    private final Runnable catchUp;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    /**
     * Starts listening.
     *
     * @param catchUp hands the listeners what the change log holds beyond what they heard; may throw while the
     *                database is away
     */
    ChangeNotifications(PostgresDatabase database, String channel, int checkMillis, Runnable catchUp) {
        this.database = database;
        this.channel = channel;
        this.checkMillis = Math.max(1, checkMillis);
        this.catchUp = catchUp;
        this.thread = new Thread(this::run, "ensign-store-notifications");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!closed) {
            try (Connection listening = database.ownConnection("ensign-listen")) {
                connection = listening;
                try (Statement statement = listening.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                PGConnection notifications = listening.unwrap(PGConnection.class);
                while (!closed) {
                    // what was committed while no LISTEN was registered, then after each wake-up
                    catchUp.run();
                    notifications.getNotifications(checkMillis);
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "listening for other nodes' changes failed, again in "
                        + RECONNECT_MILLIS + " ms: " + e.getMessage());
                pause();
            } finally {
                connection = null;
            }
        }
    }

    private void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops listening: closes the connection, which wakes the thread, and waits for it. */
    @Override
    public void close() {
        closed = true;
        Connection listening = connection;
        if (listening != null) {
            try {
                listening.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the listening connection", e);
            }
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
