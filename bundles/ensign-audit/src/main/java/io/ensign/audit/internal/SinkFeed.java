package io.ensign.audit.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.audit.AuditSink;
import io.ensign.api.audit.SinkStatus;
import io.ensign.api.store.Store;

/**
 * Feeds one sink the change log in sequence order on a thread of its own, from the sink's cursor. A record the
 * sink rejects is retried, with growing pauses, until it is acknowledged: nothing is ever skipped. The cursor is
 * saved after every batch (or every record, for a shared cursor), before every pause and when the feed stops, so a
 * restart redelivers at most the records acknowledged since the last save.
 *
 * <p>A feed of a cluster's sink delivers only while its node leads: it reads the shared cursor when it takes the
 * lead, checks the lead before each record, and while another node leads it follows that node's cursor.
 */
final class SinkFeed implements Runnable {
    private static final System.Logger LOG = System.getLogger(SinkFeed.class.getName());

    private final String name;
    private final AuditSink sink;
    private final Store store;
    /** How often a feed whose node does not lead checks whether it does now. */
    static final Duration FOLLOWER_CHECK = Duration.ofSeconds(1);

    private final FeedCursor cursorStore;
    /** Whether this node may deliver the sink now; always true for a sink of this node alone. */
    private final BooleanSupplier leads;
    /** Read at every use, so that a configuration change applies to the next batch or retry. */
    private final Supplier<DeliveryPolicy> policy;
    private final Thread thread;
    /** Guards {@link #woken}; the feed waits on it for new records, for the end of a pause, or for stop. */
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean stopped;
    private volatile long cursor;
    private long savedCursor = -1;
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastError;

    SinkFeed(String name, AuditSink sink, Store store, FeedCursor cursorStore, BooleanSupplier leads,
             Supplier<DeliveryPolicy> policy) {
        this.name = name;
        this.sink = sink;
        this.store = store;
        this.cursorStore = cursorStore;
        this.leads = leads;
        this.policy = policy;
        this.thread = new Thread(this, "ensign-audit-" + name);
        thread.setDaemon(true);
    }

    String name() {
        return name;
    }

    AuditSink sink() {
        return sink;
    }

    void start() {
        thread.start();
    }

    /** Tells the feed that records may be waiting; cheap, never blocks the committing thread. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * Asks the feed to stop after the delivery in progress. That delivery is not interrupted, because interrupting
     * a sink's file or socket I/O can break the sink itself.
     */
    void requestStop() {
        stopped = true;
        wake();
    }

    /** Waits up to {@code patience} for the feed to save its cursor and end. */
    void awaitStopped(Duration patience) {
        try {
            thread.join(patience.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "audit sink {0} is still delivering after {1}; its cursor is saved"
                    + " when that delivery returns", name, patience);
        }
    }

    SinkStatus status(long lastSequence) {
        long acknowledged = cursor;
        return new SinkStatus(name, acknowledged, Math.max(0, lastSequence - acknowledged), failures.get(), lastError);
    }

    @Override
    public void run() {
        boolean cursorRead = false;
        try {
            while (!stopped) {
                if (!leads.getAsBoolean()) {
                    cursorRead = false;
                    follow();
                    continue;
                }
                if (!cursorRead) {
                    cursorRead = readCursor();
                    if (!cursorRead) {
                        pause(policy.get().initialBackoff(), false);
                        continue;
                    }
                }
                List<AuditRecord> batch = readBatch();
                if (batch.isEmpty()) {
                    pause(policy.get().pollInterval(), true);
                    continue;
                }
                for (AuditRecord record : batch) {
                    if (!leads.getAsBoolean() || !deliverUntilAcknowledged(record)) {
                        break;
                    }
                    cursor = record.sequence();
                    if (cursorStore.savedEachRecord()) {
                        saveCursor();
                    }
                }
                saveCursor();
            }
        } finally {
            if (cursorRead) {
                saveCursor();
            }
        }
    }

    /** Reads the saved cursor; false when it cannot be read now and must be asked again. */
    private boolean readCursor() {
        try {
            cursor = cursorStore.read();
            savedCursor = cursor;
        } catch (IOException e) {
            // Starting from 0 redelivers history, which at-least-once allows; guessing a later start could skip.
            LOG.log(System.Logger.Level.WARNING, "cannot read the cursor of audit sink " + name + "; starting from 0", e);
            cursor = 0;
        } catch (RuntimeException e) {
            lastError = describe(e);
            LOG.log(System.Logger.Level.WARNING, "cannot read the shared cursor of audit sink " + name
                    + "; asking again: " + lastError);
            return false;
        }
        return true;
    }

    /** While another node leads: waits a little, and shows the cursor that node saved. */
    private void follow() {
        pause(FOLLOWER_CHECK, false);
        try {
            cursor = cursorStore.read();
            savedCursor = cursor;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot read the shared cursor of audit sink " + name, e);
        }
    }

    private List<AuditRecord> readBatch() {
        try {
            return store.changes(cursor, policy.get().batchSize());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the change log for audit sink " + name, e);
            return List.of();
        }
    }

    /** Returns whether the sink acknowledged the record; false only when the feed was stopped first. */
    private boolean deliverUntilAcknowledged(AuditRecord record) {
        Duration backoff = policy.get().initialBackoff();
        while (!stopped) {
            try {
                sink.deliver(record);
                lastError = null;
                return true;
            } catch (Exception | LinkageError e) {
                // A sink is plugin code: whatever it throws, including from a half-uninstalled bundle, is a failure.
                failures.incrementAndGet();
                lastError = describe(e);
                LOG.log(System.Logger.Level.WARNING, "audit sink {0} failed on record {1}; retrying in {2}: {3}",
                        name, record.sequence(), backoff, lastError);
                saveCursor();
                pause(backoff, false);
                backoff = policy.get().nextBackoff(backoff);
            }
        }
        return false;
    }

    /** The error and its causes in one line; some exceptions (e.g. a refused connection) say nothing themselves. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null && text.length() < 500; t = t.getCause()) {
            text.append(text.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }

    /** Waits for {@code duration}, or less when stopped or, if {@code wakeable}, when records arrive. */
    private void pause(Duration duration, boolean wakeable) {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (signal) {
            try {
                while (!stopped && !(wakeable && woken)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    signal.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                // Only this feed owns the thread, so an interrupt means stop; the flag is not kept because the
                // cursor is still to be saved and interruptible file channels refuse to write while it is set.
                stopped = true;
            }
            if (wakeable) {
                woken = false;
            }
        }
    }

    private void saveCursor() {
        long current = cursor;
        if (current == savedCursor) {
            return;
        }
        try {
            cursorStore.write(current);
            savedCursor = current;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot save the cursor of audit sink " + name
                    + "; a restart will redeliver from an older one", e);
        }
    }
}
