package io.ensign.store.postgresql.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/** The sequences a store's listeners heard, in the order heard. */
final class HeardChanges {
    private final List<Long> sequences = new ArrayList<>();

    HeardChanges(PostgresStore store) {
        store.subscribe(record -> {
            synchronized (sequences) {
                sequences.add(record.sequence());
                sequences.notifyAll();
            }
        });
    }

    void awaitSequence(long sequence, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (sequences) {
            while (!sequences.contains(sequence)) {
                long left = deadline - System.currentTimeMillis();
                assertTrue(left > 0, "sequence " + sequence + " not heard; heard " + sequences);
                sequences.wait(left);
            }
        }
    }

    List<Long> sequences() {
        synchronized (sequences) {
            return List.copyOf(sequences);
        }
    }
}
