package io.ensign.audit.internal;

import java.io.IOException;

/**
 * Where a feed keeps the sequence of the last record its sink acknowledged: a file on this node
 * ({@link CursorFile}), or the store's shared cursor that every node of a cluster feeds the sink from
 * ({@link SharedCursor}).
 */
interface FeedCursor {
    /**
     * The saved sequence; 0 when the sink never acknowledged anything.
     *
     * @throws IOException      when a saved cursor cannot be read (a node's file: the feed starts over from 0)
     * @throws RuntimeException when the store cannot be reached (the shared cursor: the feed waits and asks again)
     */
    long read() throws IOException;

    /** Saves the sequence. */
    void write(long sequence) throws IOException;

    /** Whether the cursor is saved after every record rather than once per batch. */
    boolean savedEachRecord();
}
