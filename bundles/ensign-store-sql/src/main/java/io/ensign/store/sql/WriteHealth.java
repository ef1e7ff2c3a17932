package io.ensign.store.sql;

import io.ensign.api.store.StoreStatus;

/**
 * Whether a database's last write failed, and why: a dialect marks each failed and each committed write, and reports
 * {@link #status(Runnable)} for {@code /health/ready}. Safe for concurrent use.
 */
public final class WriteHealth {
    private static final System.Logger LOG = System.getLogger(WriteHealth.class.getName());

    private final String description;
    /** The reason the last write failed, null after a write succeeded. */
    private volatile String failing;

    /** @param description what the database is, for messages ("the embedded store") */
    public WriteHealth(String description) {
        this.description = description;
    }

    /** A write failed for {@code reason}. */
    public void failed(String reason) {
        failing = reason;
    }

    /** A write committed. */
    public void committed() {
        failing = null;
    }

    /**
     * Up, or down with the reason of the last failed write; while failing, runs {@code probe} (a tiny write through
     * the owner) first, so the status clears by itself once the condition has passed.
     */
    public StoreStatus status(Runnable probe) {
        if (failing != null) {
            try {
                probe.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "probe write of " + description + " failed", e);
            }
        }
        String reason = failing;
        return reason == null ? StoreStatus.UP : StoreStatus.down(reason);
    }
}
