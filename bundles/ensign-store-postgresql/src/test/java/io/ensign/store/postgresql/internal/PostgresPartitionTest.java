package io.ensign.store.postgresql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.ensign.api.store.Mutation;
import io.ensign.api.store.StoreUnavailableException;
import io.ensign.testing.postgresql.NetworkPartition;
import io.ensign.testing.postgresql.PostgresCluster;
import io.ensign.testing.postgresql.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node cut off from PostgreSQL by a network partition ({@link NetworkPartition}: nothing passes, nothing is refused
 * or reset), beside a node that still reaches it: the cut-off node's writes answer unavailable within its time-outs
 * instead of hanging, the other node goes on writing — also when the cut-off node was inside its write transaction,
 * holding the lock every writer waits for, because PostgreSQL ends that session — and once the network is back the
 * cut-off node writes again and has heard every change made meanwhile.
 */
class PostgresPartitionTest {
    @RegisterExtension
    static final PostgresClusterExtension POSTGRES = new PostgresClusterExtension();

    private static Mutation put(String key) {
        return new Mutation("flag", key, "prod", "{}", Mutation.ABSENT, null, "alice", "because", "req");
    }

    /** {@code database} reached through {@code network}, with the driver's socket time-out set to {@code seconds}. */
    private static PostgresTarget through(NetworkPartition network, String database, int seconds) {
        PostgresCluster cluster = POSTGRES.cluster();
        String url = cluster.storeUrl(database).replace(":" + cluster.port() + "/", ":" + network.port() + "/");
        return PostgresTarget.parse(url + "?socketTimeout=" + seconds, cluster.password());
    }

    private static PostgresTarget direct(String database) {
        PostgresCluster cluster = POSTGRES.cluster();
        return PostgresTarget.parse(cluster.storeUrl(database), cluster.password());
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aCutOffNodesWritesAnswerUnavailableAndItCatchesUpOnceTheNetworkIsBack() throws Exception {
        String database = POSTGRES.cluster().createDatabase();
        try (NetworkPartition network = new NetworkPartition(POSTGRES.cluster().port());
             PostgresStore cut = new PostgresStore(through(network, database, 3), 2, 2, PostgresStore.CHANNEL, 1);
             PostgresStore other = new PostgresStore(direct(database), 2, 2, PostgresStore.CHANNEL, 1)) {
            HeardChanges heard = new HeardChanges(cut);
            cut.commit(List.of(put("before")));

            network.partition();
            long cutAt = System.nanoTime();
            StoreUnavailableException refused = assertThrows(StoreUnavailableException.class,
                    () -> cut.commit(List.of(put("during"))));
            long refusedAfter = millisSince(cutAt);
            assertEquals(StoreUnavailableException.Condition.UNAVAILABLE, refused.condition());
            assertTrue(refusedAfter < 15_000, "refused after " + refusedAfter + " ms");
            assertFalse(cut.status().up(), "the cut-off node reports its store down");

            long otherStart = System.nanoTime();
            other.commit(List.of(put("meanwhile")));
            long otherMillis = millisSince(otherStart);
            long meanwhile = other.lastSequence();

            network.heal();
            long healedAt = System.nanoTime();
            long deadline = healedAt + TimeUnit.SECONDS.toNanos(30);
            boolean written = false;
            while (!written && System.nanoTime() < deadline) {
                try {
                    cut.commit(List.of(put("after")));
                    written = true;
                } catch (StoreUnavailableException e) {
                    Thread.sleep(100);
                }
            }
            assertTrue(written, "the cut-off node writes again once the network is back");
            long writesAgainAfter = millisSince(healedAt);
            heard.awaitSequence(meanwhile, 10_000);
            assertTrue(cut.get("flag", "during").isEmpty(), "the refused write changed nothing");
            assertTrue(cut.get("flag", "meanwhile").isPresent());
            System.out.printf("partition: cut-off write refused after %d ms, the other node wrote in %d ms, the"
                    + " cut-off node wrote again %d ms after the network was back%n", refusedAfter, otherMillis,
                    writesAgainAfter);
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aNodeCutOffInsideItsWriteTransactionHoldsTheOtherNodesWritesForSecondsOnly() throws Exception {
        String database = POSTGRES.cluster().createDatabase();
        try (NetworkPartition network = new NetworkPartition(POSTGRES.cluster().port());
             PostgresStore other = new PostgresStore(direct(database), 2, 2, PostgresStore.CHANNEL, 1)) {
            PostgresDatabase stuck = new PostgresDatabase(through(network, database, 60), PostgresSchema.STORE, null,
                    1, 2, "a node cut off while writing");
            try {
                Connection writing = stuck.beginWrite();
                network.partition();
                long start = System.nanoTime();
                other.commit(List.of(put("waits")));
                long waited = millisSince(start);
                System.out.printf("partition: a write waited %d ms for the lock of a node cut off while writing%n",
                        waited);
                assertTrue(waited > 5_000, "the cut-off node held the write lock: " + waited + " ms");
                assertTrue(waited < 20_000, "PostgreSQL ended the cut-off session: " + waited + " ms");
                network.heal();
                stuck.endWrite(writing);
            } finally {
                stuck.shutdown();
            }
        }
    }
}
