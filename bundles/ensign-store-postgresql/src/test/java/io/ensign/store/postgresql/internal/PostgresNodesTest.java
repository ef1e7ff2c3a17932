package io.ensign.store.postgresql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExperimentEventStore.Outcome;
import io.ensign.api.experiment.ExposureEvent;
import io.ensign.api.experiment.MetricEvent;
import io.ensign.api.store.Coordination;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.StoreUnavailableException;
import io.ensign.api.store.VersionConflictException;
import io.ensign.testing.postgresql.PostgresCluster;
import io.ensign.testing.postgresql.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two stores on one database, as two nodes would have them: writes from both are serialized by the database, so
 * exactly one of two racing If-Match writers wins and the change log is gap-free; events posted to both nodes count
 * once; a stopped server makes writes fail as unavailable and the stores work again once it is back; every node's
 * listeners hear every node's changes in sequence order, also after their listening connection was cut, and through
 * the periodic check alone when no notification comes; exactly one node leads, the cursors are shared, and the lead
 * moves when the leader's session ends.
 */
class PostgresNodesTest {
    private static final Instant T = Instant.parse("2026-12-03T12:00:00Z");
    @RegisterExtension
    static final PostgresClusterExtension POSTGRES = new PostgresClusterExtension();

    private static PostgresTarget newDatabase() {
        PostgresCluster cluster = POSTGRES.cluster();
        return PostgresTarget.parse(cluster.storeUrl(cluster.createDatabase()), cluster.password());
    }

    /** A node's store, checking the change log every second without a notification. */
    private static PostgresStore node(PostgresTarget target) {
        return new PostgresStore(target, 4, 5, PostgresStore.CHANNEL, 1);
    }

    private static Mutation put(String key, String json, long expected) {
        return new Mutation("flag", key, "prod", json, expected, null, "alice", "because", "req");
    }

    @Test
    void racingIfMatchWritersOnTwoNodesHaveExactlyOneWinnerEveryRound() throws Exception {
        PostgresTarget target = newDatabase();
        try (PostgresStore a = node(target); PostgresStore b = node(target)) {
            a.commit(List.of(put("f", "{\"v\":0}", Mutation.ABSENT)));
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                for (long version = 1; version <= 30; version++) {
                    long expected = version;
                    CountDownLatch start = new CountDownLatch(1);
                    Future<Throwable> fromA = threads.submit(writer(a, start, expected, "a"));
                    Future<Throwable> fromB = threads.submit(writer(b, start, expected, "b"));
                    start.countDown();
                    Throwable resultA = fromA.get();
                    Throwable resultB = fromB.get();
                    assertTrue((resultA == null) != (resultB == null), "round " + version + ": " + resultA
                            + " / " + resultB);
                    assertInstanceOf(VersionConflictException.class, resultA == null ? resultB : resultA);
                }
            } finally {
                threads.shutdown();
            }
            assertEquals(31, b.get("flag", "f").orElseThrow().version());
            assertEquals(31, a.history("flag", "f").size());
        }
    }

    private static Callable<Throwable> writer(PostgresStore store, CountDownLatch start, long expected, String who) {
        return () -> {
            start.await();
            try {
                store.commit(List.of(put("f", "{\"by\":\"" + who + "\"}", expected)));
                return null;
            } catch (VersionConflictException e) {
                return e;
            }
        };
    }

    @Test
    void concurrentWritesFromTwoNodesGiveOneGapFreeChangeLog() throws Exception {
        PostgresTarget target = newDatabase();
        try (PostgresStore a = node(target); PostgresStore b = node(target)) {
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                PostgresStore node = i % 2 == 0 ? a : b;
                String key = "k" + (i % 7);
                writes.add(threads.submit(() -> node.commit(List.of(put(key, "{}", Mutation.ANY_VERSION)))));
            }
            for (Future<?> write : writes) {
                write.get();
            }
            threads.shutdown();
            List<AuditRecord> log = a.changes(0, 1000);
            assertEquals(LongStream.rangeClosed(1, 200).boxed().toList(),
                    log.stream().map(AuditRecord::sequence).toList());
            assertEquals(200, b.lastSequence());
        }
    }

    @Test
    void eventsPostedToTwoNodesCountOnce() throws Exception {
        PostgresTarget target = newDatabase();
        try (PostgresExperimentEventStore a = new PostgresExperimentEventStore(target, 2, 5);
             PostgresExperimentEventStore b = new PostgresExperimentEventStore(target, 2, 5)) {
            List<ExperimentEvent> batch = new ArrayList<>();
            for (int unit = 0; unit < 300; unit++) {
                batch.add(new ExposureEvent("x" + unit, "exp", "u" + unit, unit % 2 == 0 ? "control" : "treatment",
                        T));
                batch.add(new MetricEvent("m" + unit, "exp", "revenue", "u" + unit, 2.5, T));
            }
            ExecutorService threads = Executors.newFixedThreadPool(2);
            Future<List<Outcome>> fromA = threads.submit(() -> a.append(batch));
            Future<List<Outcome>> fromB = threads.submit(() -> b.append(batch));
            long accepted = countAccepted(fromA) + countAccepted(fromB);
            threads.shutdown();
            assertEquals(batch.size(), accepted);
            var aggregates = a.aggregates("exp");
            assertEquals(150, aggregates.get("control").units());
            assertEquals(150, aggregates.get("treatment").units());
            assertEquals(150 * 2.5, aggregates.get("control").metrics().get("revenue").sum(), 1e-9);
            assertEquals(aggregates, b.aggregates("exp"));
        }
    }

    private static long countAccepted(Future<List<Outcome>> outcomes) throws InterruptedException,
            ExecutionException {
        return outcomes.get().stream().filter(outcome -> outcome == Outcome.ACCEPTED).count();
    }

    @Test
    void aStoppedServerMakesWritesUnavailableAndTheyResumeWhenItIsBack() throws InterruptedException {
        PostgresCluster cluster = POSTGRES.cluster();
        PostgresTarget target = newDatabase();
        try (PostgresStore store = new PostgresStore(target, 2, 2, PostgresStore.CHANNEL, 5)) {
            store.commit(List.of(put("f", "{}", Mutation.ABSENT)));
            cluster.stopImmediately();
            try {
                StoreUnavailableException refused = assertThrows(StoreUnavailableException.class,
                        () -> store.commit(List.of(put("f", "{\"v\":2}", 1))));
                assertEquals(StoreUnavailableException.Condition.UNAVAILABLE, refused.condition());
                assertFalse(store.status().up(), "down while the server is stopped");
            } finally {
                cluster.restart();
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!store.status().up() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(store.status().up(), store.status().reason());
            assertEquals(2, store.commit(List.of(put("f", "{\"v\":2}", 1))).get(0).version());
        }
    }

    @Test
    void everyChangeCommittedOnOneNodeReachesTheOtherNodesListenersInOrder() throws Exception {
        PostgresTarget target = newDatabase();
        try (PostgresStore a = node(target); PostgresStore b = node(target); PostgresStore c = node(target)) {
            HeardChanges onB = new HeardChanges(b);
            HeardChanges onC = new HeardChanges(c);
            int writes = 300;
            long[] latencies = new long[writes];
            for (int i = 0; i < writes; i++) {
                PostgresStore writer = i % 3 == 0 ? a : i % 3 == 1 ? b : c;
                writer.commit(List.of(put("k" + (i % 10), "{\"i\":" + i + "}", Mutation.ANY_VERSION)));
                long start = System.nanoTime();
                long sequence = i + 1;
                HeardChanges other = writer == b ? onC : onB;
                other.awaitSequence(sequence, 5_000);
                latencies[i] = System.nanoTime() - start;
            }
            onB.awaitSequence(writes, 5_000);
            onC.awaitSequence(writes, 5_000);
            List<Long> all = LongStream.rangeClosed(1, writes).boxed().toList();
            assertEquals(all, onB.sequences());
            assertEquals(all, onC.sequences());
            Arrays.sort(latencies);
            System.out.printf("propagation to another node over %d writes: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    writes, latencies[writes / 2] / 1e6, latencies[writes * 99 / 100] / 1e6,
                    latencies[writes - 1] / 1e6);
        }
    }

    @Test
    void oneNodeLeadsTheCursorsAreSharedAndAnotherTakesOverWhenTheLeadersSessionEnds() throws Exception {
        PostgresTarget target = newDatabase();
        try (PostgresStore a = node(target); PostgresStore b = node(target)) {
            Coordination onA = a.coordination().orElseThrow();
            Coordination onB = b.coordination().orElseThrow();
            awaitTrue(() -> onA.leads() || onB.leads(), 5_000, "a node leads");
            Thread.sleep(3 * PostgresStore.LEAD_CHECK_MILLIS);
            assertTrue(onA.leads() ^ onB.leads(), "exactly one node leads after both asked several times");
            Coordination leader = onA.leads() ? onA : onB;
            Coordination follower = leader == onA ? onB : onA;
            leader.saveCursor("siem", 7);
            leader.saveCursor("siem", 5);
            assertEquals(7, follower.cursor("siem"), "one cursor for the cluster, never lowered");
            assertEquals(0, follower.cursor("elsewhere"));
            assertEquals(0, a.lastSequence(), "saving a cursor writes no audit record");

            POSTGRES.cluster().psql("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND granted AND ((classid::bigint << 32) | objid::bigint) = " + PostgresCoordination.LEAD_LOCK);
            awaitTrue(follower::leads, 5_000, "the other node takes the lead");
            awaitTrue(() -> !leader.leads(), 5_000, "the node whose session ended stops leading");
            Thread.sleep(3 * PostgresStore.LEAD_CHECK_MILLIS);
            assertTrue(follower.leads() && !leader.leads(), "the lead stays where it went");
        }
    }

    private static void awaitTrue(BooleanSupplier condition, long timeoutMillis, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within " + timeoutMillis + " ms");
            Thread.sleep(20);
        }
    }

    @Test
    void aNodeWhoseListenConnectionWasCutCatchesUpFromTheChangeLog() throws Exception {
        PostgresTarget target = newDatabase();
        try (PostgresStore a = node(target); PostgresStore b = node(target)) {
            HeardChanges onB = new HeardChanges(b);
            a.commit(List.of(put("f", "{}", Mutation.ANY_VERSION)));
            onB.awaitSequence(1, 5_000);
            POSTGRES.cluster().psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = 'ensign-listen'");
            for (int i = 0; i < 20; i++) {
                a.commit(List.of(put("f", "{\"i\":" + i + "}", Mutation.ANY_VERSION)));
            }
            onB.awaitSequence(21, 10_000);
            assertEquals(LongStream.rangeClosed(1, 21).boxed().toList(), onB.sequences());
        }
    }

    @Test
    void withoutAnyNotificationThePeriodicCheckBringsTheChanges() throws Exception {
        PostgresTarget target = newDatabase();
        try (PostgresStore a = node(target);
             PostgresStore deaf = new PostgresStore(target, 2, 5, "nobody_notifies_this", 1)) {
            HeardChanges heard = new HeardChanges(deaf);
            long start = System.nanoTime();
            a.commit(List.of(put("f", "{}", Mutation.ANY_VERSION)));
            heard.awaitSequence(1, 5_000);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 2_500, "heard after " + millis + " ms with a check every second");
        }
    }
}
