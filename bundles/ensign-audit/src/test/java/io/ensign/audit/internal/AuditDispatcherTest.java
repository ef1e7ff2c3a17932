package io.ensign.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import io.ensign.api.audit.AuditSink;
import io.ensign.api.audit.SinkStatus;
import io.ensign.api.store.Mutation;
import io.ensign.testing.fakes.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditDispatcherTest {
    private static final DeliveryPolicy FAST = new DeliveryPolicy(Duration.ofMillis(20), Duration.ofMillis(160), 3,
            Duration.ofSeconds(30));

    @TempDir
    Path cursors;
    private final InMemoryStore store = new InMemoryStore();
    private final List<AuditDispatcher> dispatchers = new ArrayList<>();
    private final List<RecordingSink> sinks = new ArrayList<>();

    @AfterEach
    void closeAll() {
        sinks.forEach(RecordingSink::open);
        dispatchers.forEach(AuditDispatcher::close);
    }

    @Test
    void failingSinkIsRetriedWithDoublingBackoffAndThenGetsEveryRecordInOrder() {
        AuditDispatcher dispatcher = dispatcher(FAST);
        RecordingSink sink = sink().failNext(5);
        writes(4);
        dispatcher.addSink(sink, named("flaky"));

        await(() -> sink.acknowledged.size() == 4);
        assertEquals(List.of(1L, 2L, 3L, 4L), sink.acknowledged);
        List<RecordingSink.Attempt> firstSix = sink.attempts.subList(0, 6);
        assertTrue(firstSix.stream().allMatch(a -> a.sequence() == 1), "retries repeat the same record");
        long[] expectedMinimumGapsMillis = {20, 40, 80, 160, 160};
        for (int i = 0; i < expectedMinimumGapsMillis.length; i++) {
            long gapMillis = (firstSix.get(i + 1).nanoTime() - firstSix.get(i).nanoTime()) / 1_000_000;
            assertTrue(gapMillis >= expectedMinimumGapsMillis[i],
                    "pause " + (i + 1) + " lasted " + gapMillis + " ms, expected at least " + expectedMinimumGapsMillis[i]);
        }
        SinkStatus status = dispatcher.sinks().get(0);
        assertEquals(new SinkStatus("flaky", 4, 0, 5, null), status);
    }

    @Test
    void failingSinkReportsItsErrorAndLag() {
        AuditDispatcher dispatcher = dispatcher(FAST);
        RecordingSink sink = sink().failFrom(3);
        writes(5);
        dispatcher.addSink(sink, named("stuck"));

        await(() -> dispatcher.sinks().get(0).failures() >= 2);
        SinkStatus status = dispatcher.sinks().get(0);
        assertEquals(2, status.cursor());
        assertEquals(3, status.lag());
        assertEquals("IllegalStateException: refused 3", status.lastError());
    }

    @Test
    void slowSinkDelaysNeitherOtherSinksNorCommits() {
        AuditDispatcher dispatcher = dispatcher(FAST);
        RecordingSink slow = sink().hold();
        RecordingSink fast = sink();
        dispatcher.addSink(slow, named("slow"));
        dispatcher.addSink(fast, named("fast"));

        long started = System.nanoTime();
        writes(20);
        long commitMillis = (System.nanoTime() - started) / 1_000_000;
        await(() -> fast.acknowledged.size() == 20);

        assertTrue(commitMillis < 1_000, "20 commits took " + commitMillis + " ms while a sink was stuck");
        assertEquals(sequences(1, 20), fast.acknowledged);
        assertEquals(List.of(), slow.acknowledged);
        slow.open();
        await(() -> slow.acknowledged.size() == 20);
        assertEquals(sequences(1, 20), slow.acknowledged);
    }

    @Test
    void cursorSurvivesARestartSoNothingAcknowledgedIsRedelivered() throws Exception {
        AuditDispatcher first = dispatcher(FAST);
        RecordingSink before = sink();
        first.addSink(before, named("journal"));
        writes(5);
        await(() -> before.acknowledged.size() == 5);
        first.close();
        assertEquals("5", Files.readString(cursors.resolve("journal")).trim());

        writes(3);
        RecordingSink after = sink();
        dispatcher(FAST).addSink(after, named("journal"));
        await(() -> after.acknowledged.size() == 3);
        Thread.sleep(100);
        assertEquals(List.of(6L, 7L, 8L), after.acknowledged);
        assertEquals(6L, after.attempts.get(0).sequence());
    }

    @Test
    void restartRedeliversFromTheFirstUnacknowledgedRecord() {
        AuditDispatcher first = dispatcher(FAST);
        RecordingSink refusing = sink().failFrom(4);
        first.addSink(refusing, named("webhook"));
        writes(6);
        await(() -> refusing.attempts.size() >= 5);
        first.close();

        RecordingSink recovered = sink();
        dispatcher(FAST).addSink(recovered, named("webhook"));
        await(() -> recovered.acknowledged.size() == 3);
        assertEquals(List.of(1L, 2L, 3L), refusing.acknowledged);
        assertEquals(List.of(4L, 5L, 6L), recovered.acknowledged);
    }

    @Test
    void sinkThatComesLaterGetsTheWholeBacklogInBatches() {
        AuditDispatcher dispatcher = dispatcher(FAST);
        writes(10);
        RecordingSink late = sink();
        dispatcher.addSink(late, named("late"));
        await(() -> late.acknowledged.size() == 10);
        assertEquals(sequences(1, 10), late.acknowledged);
    }

    @Test
    void pollingDeliversChangesWhoseNotificationWasLost() {
        AuditDispatcher dispatcher = dispatcher(new DeliveryPolicy(Duration.ofMillis(20), Duration.ofMillis(40), 10,
                Duration.ofMillis(50)));
        RecordingSink sink = sink();
        dispatcher.addSink(sink, named("polled"));
        store.notifying = false;
        writes(2);
        await(() -> sink.acknowledged.size() == 2);
        assertEquals(List.of(1L, 2L), sink.acknowledged);
    }

    @Test
    void removedSinkIsNoLongerFedAndAWaitingSinkOfTheSameNameTakesOverItsCursor() {
        AuditDispatcher dispatcher = dispatcher(FAST);
        RecordingSink first = sink();
        RecordingSink second = sink();
        dispatcher.addSink(first, named("mirror"));
        dispatcher.addSink(second, named("mirror"));
        writes(2);
        await(() -> first.acknowledged.size() == 2);

        dispatcher.removeSink(first, Map.of());
        writes(2);
        await(() -> second.acknowledged.size() == 2);
        assertEquals(List.of(1L, 2L), first.acknowledged);
        assertEquals(List.of(3L, 4L), second.acknowledged);
        assertEquals(List.of("mirror"), dispatcher.sinks().stream().map(SinkStatus::name).toList());
    }

    @Test
    void sinkWithoutANameIsIgnored() {
        AuditDispatcher dispatcher = dispatcher(FAST);
        dispatcher.addSink(sink(), Map.of());
        assertEquals(List.of(), dispatcher.sinks());
    }

    @Test
    void cursorFileNamesCannotEscapeTheDirectory() {
        assertEquals("journal", CursorFile.fileName("journal"));
        assertEquals("%2E%2E%2Fetc", CursorFile.fileName("../etc"));
    }

    @Test
    void errorDescriptionNamesTheCausesWhenTheErrorSaysNothing() {
        assertEquals("ConnectException <- ClosedChannelException",
                SinkFeed.describe(new ConnectException().initCause(new ClosedChannelException())));
        assertEquals("IllegalStateException: refused 3", SinkFeed.describe(new IllegalStateException("refused 3")));
    }

    /** Two nodes on one store: a store view per node that names its node's coordination. */
    private final SharedLead lead = new SharedLead();

    @Test
    void aClusterSinkIsFedOnTheLeadingNodeOnlyAndTheNextLeaderContinuesFromTheSharedCursor() {
        AuditDispatcher a = node("a");
        AuditDispatcher b = node("b");
        RecordingSink onA = sink();
        RecordingSink onB = sink();
        lead.leader = "a";
        a.addSink(onA, named("siem"));
        b.addSink(onB, named("siem"));
        writes(5);
        await(() -> onA.acknowledged.size() == 5);
        await(() -> lead.cursors.getOrDefault("siem", 0L) == 5);
        assertEquals(List.of(), onB.acknowledged, "the other node does not deliver");

        lead.leader = "b";
        writes(3);
        await(() -> onB.acknowledged.size() == 3);
        assertEquals(List.of(6L, 7L, 8L), onB.acknowledged, "the new leader continues where the last one stopped");
        assertEquals(sequences(1, 5), onA.acknowledged);
        await(() -> b.sinks().get(0).cursor() == 8 && a.sinks().get(0).cursor() == 8);
        assertTrue(Files.notExists(cursors.resolve("a").resolve("siem")), "no cursor file for a cluster's sink");
    }

    @Test
    void aNodesSinkIsFedOnEveryNodeFromItsOwnCursor() {
        AuditDispatcher a = node("a");
        AuditDispatcher b = node("b");
        lead.leader = "a";
        RecordingSink onA = sink();
        RecordingSink onB = sink();
        a.addSink(onA, Map.of(AuditSink.NAME, "journal", AuditSink.DELIVERY, AuditSink.DELIVERY_NODE));
        b.addSink(onB, Map.of(AuditSink.NAME, "journal", AuditSink.DELIVERY, AuditSink.DELIVERY_NODE));
        writes(4);
        await(() -> onA.acknowledged.size() == 4 && onB.acknowledged.size() == 4);
        assertEquals(onA.acknowledged, onB.acknowledged);
        assertTrue(lead.cursors.isEmpty(), "a node's sink keeps no shared cursor");
    }

    @Test
    void aSharedCursorThatCannotBeReadIsAskedAgainNeverTakenAsZero() {
        AuditDispatcher a = node("a");
        lead.leader = "a";
        lead.cursors.put("siem", 3L);
        lead.unreachable = true;
        writes(5);
        RecordingSink sink = sink();
        a.addSink(sink, named("siem"));
        await(() -> a.sinks().get(0).lastError() != null);
        assertEquals(List.of(), sink.attempts, "nothing delivered while the cursor is unknown");
        lead.unreachable = false;
        await(() -> sink.acknowledged.size() == 2);
        assertEquals(List.of(4L, 5L), sink.acknowledged);
    }

    private AuditDispatcher node(String name) {
        AuditDispatcher dispatcher = new AuditDispatcher(new NodeStore(store, lead.of(name)), cursors.resolve(name),
                FAST);
        dispatchers.add(dispatcher);
        return dispatcher;
    }

    private AuditDispatcher dispatcher(DeliveryPolicy policy) {
        AuditDispatcher dispatcher = new AuditDispatcher(store, cursors, policy);
        dispatchers.add(dispatcher);
        return dispatcher;
    }

    private RecordingSink sink() {
        RecordingSink sink = new RecordingSink();
        sinks.add(sink);
        return sink;
    }

    private void writes(int count) {
        for (int i = 0; i < count; i++) {
            store.commit(List.of(new Mutation("flag", "k" + i, null, "{}", Mutation.ANY_VERSION, null, "tester", null,
                    null)));
        }
    }

    private static Map<String, Object> named(String name) {
        return Map.of(AuditSink.NAME, name);
    }

    private static List<Long> sequences(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void anInvalidConfigurationIsRefusedAndThePolicyInForceKept() {
        assertEquals(FAST, AuditDispatcher.policyOr(config(-5, 100, 10, 100, null), FAST), "negative backoff");
        assertEquals(FAST, AuditDispatcher.policyOr(config(50, 100, 10, 100,
                new IllegalArgumentException("cannot coerce 'many' to int")), FAST), "a value that is no number");

        DeliveryPolicy edited = AuditDispatcher.policyOr(config(50, 400, 7, 900, null), FAST);

        assertEquals(new DeliveryPolicy(Duration.ofMillis(50), Duration.ofMillis(400), 7, Duration.ofMillis(900)), edited);
    }

    /** A configuration as DS hands it over; {@code unconvertible} is what DS throws for a value that does not convert. */
    private static AuditDispatcher.Config config(long initial, long max, int batch, long poll,
                                                 RuntimeException unconvertible) {
        return new AuditDispatcher.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AuditDispatcher.Config.class;
            }

            @Override
            public long initialBackoffMillis() {
                return initial;
            }

            @Override
            public long maxBackoffMillis() {
                return max;
            }

            @Override
            public int batchSize() {
                if (unconvertible != null) {
                    throw unconvertible;
                }
                return batch;
            }

            @Override
            public long pollIntervalMillis() {
                return poll;
            }
        };
    }
}
