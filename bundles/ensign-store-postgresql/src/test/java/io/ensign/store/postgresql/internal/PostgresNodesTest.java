package io.ensign.store.postgresql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExperimentEventStore.Outcome;
import io.ensign.api.experiment.ExposureEvent;
import io.ensign.api.experiment.MetricEvent;
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
 * once; a stopped server makes writes fail as unavailable and the stores work again once it is back.
 */
class PostgresNodesTest {
    private static final Instant T = Instant.parse("2026-12-03T12:00:00Z");
    @RegisterExtension
    static final PostgresClusterExtension POSTGRES = new PostgresClusterExtension();

    private static PostgresTarget newDatabase() {
        PostgresCluster cluster = POSTGRES.cluster();
        return PostgresTarget.parse(cluster.storeUrl(cluster.createDatabase()), cluster.password());
    }

    private static Mutation put(String key, String json, long expected) {
        return new Mutation("flag", key, "prod", json, expected, null, "alice", "because", "req");
    }

    @Test
    void racingIfMatchWritersOnTwoNodesHaveExactlyOneWinnerEveryRound() throws Exception {
        PostgresTarget target = newDatabase();
        try (PostgresStore a = new PostgresStore(target, 4, 5); PostgresStore b = new PostgresStore(target, 4, 5)) {
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
        try (PostgresStore a = new PostgresStore(target, 4, 5); PostgresStore b = new PostgresStore(target, 4, 5)) {
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
        try (PostgresStore store = new PostgresStore(target, 2, 2)) {
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
}
