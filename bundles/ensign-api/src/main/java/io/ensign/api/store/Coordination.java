package io.ensign.api.store;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * How the nodes that share one store take turns at work that must happen once for all of them — delivering the
 * audit sinks whose records leave the cluster — and where that work's progress is kept. A store that several nodes
 * use at once offers it through {@link Store#coordination()}; a store of one node offers none, and its node does such
 * work alone, keeping its progress in its own data directory.
 *
 * <p>Leading is a lease, not a fence: a node that loses its connection to the store may still believe it leads for
 * as long as it takes to notice (the store says how long), so work done under it must tolerate being done twice
 * around a change of leader — as at-least-once audit delivery does, sinks deduplicating by sequence.
 */
@ConsumerType
public interface Coordination {
    /** Whether this node leads now. Answers from memory; never blocks and never throws. */
    boolean leads();

    /**
     * The shared cursor: the highest sequence saved under {@code name} by any node, 0 when none was.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    long cursor(String name);

    /**
     * Raises the shared cursor {@code name} to {@code sequence}; a lower value than the one saved leaves it as it is.
     * Writes no audit record.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    void saveCursor(String name, long sequence);
}
