package io.ensign.audit.internal;

import io.ensign.api.store.Coordination;

/**
 * A sink's cursor kept in the store every node shares, so the node that takes the lead continues where the last
 * leader stopped. Saved after every record: a change of leader then redelivers at most the record in flight.
 */
record SharedCursor(Coordination coordination, String name) implements FeedCursor {
    @Override
    public long read() {
        return coordination.cursor(name);
    }

    @Override
    public void write(long sequence) {
        coordination.saveCursor(name, sequence);
    }

    @Override
    public boolean savedEachRecord() {
        return true;
    }
}
