package io.ensign.audit.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ensign.api.store.Coordination;
import io.ensign.api.store.StoreUnavailableException;

/** The lead and shared cursors of nodes sharing one store, as a test decides them. */
final class SharedLead {
    volatile String leader;
    volatile boolean unreachable;
    final Map<String, Long> cursors = new ConcurrentHashMap<>();

    /** What node {@code node} sees. */
    Coordination of(String node) {
        return new Coordination() {
            @Override
            public boolean leads() {
                return node.equals(leader);
            }

            @Override
            public long cursor(String name) {
                reachable();
                return cursors.getOrDefault(name, 0L);
            }

            @Override
            public void saveCursor(String name, long sequence) {
                reachable();
                cursors.merge(name, sequence, Math::max);
            }
        };
    }

    private void reachable() {
        if (unreachable) {
            throw new StoreUnavailableException(StoreUnavailableException.Condition.UNAVAILABLE, "store away", 1, null);
        }
    }
}
