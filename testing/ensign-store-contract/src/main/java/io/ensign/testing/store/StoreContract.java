package io.ensign.testing.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.api.store.VersionConflictException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do, as tests a store implementation runs against itself: extend this class in the
 * store's own tests and say how to open and close it. Versions and If-Match conflicts, atomic commits, history,
 * the change log's order and contents, no sequence reused, listeners, concurrent writers, and everything kept
 * across a close and reopen on the same data. The embedded store runs it ({@code EmbeddedStoreContractTest}); a
 * PostgreSQL store runs it the same way.
 *
 * <p>Each test opens a store on empty data with {@link #openStore()}, may close it and open it again on the same
 * data, and closes it at the end.
 */
public abstract class StoreContract {
    /** The store under test, opened before each test. */
    protected Store store;

    /** Opens the store on this test's data: empty the first time, what the last close left on later calls. */
    protected abstract Store openStore();

    /**
     * Closes a store opened by {@link #openStore()}; after it, its calls fail with IllegalStateException. Closing a
     * closed store does nothing.
     */
    protected abstract void closeStore(Store closing);

    @BeforeEach
    void openTheStore() {
        store = openStore();
    }

    @AfterEach
    void closeTheStore() {
        closeStore(store);
    }

    protected static Mutation put(String key, String json, long expectedVersion) {
        return new Mutation("flag", key, "prod", json, expectedVersion, null, "alice", "because", "req-" + key);
    }

    protected static Mutation delete(String key, long expectedVersion) {
        return put(key, null, expectedVersion);
    }

    protected long commitOne(Mutation mutation) {
        return store.commit(List.of(mutation)).get(0).version();
    }

    @Test
    void versionsGrowByOneWithEveryWrite() {
        assertEquals(1, commitOne(put("a", "{\"v\":1}", Mutation.ANY_VERSION)));
        assertEquals(2, commitOne(put("a", "{\"v\":2}", Mutation.ANY_VERSION)));
        assertEquals(3, commitOne(put("a", "{\"v\":3}", 2)));
        Document current = store.get("flag", "a").orElseThrow();
        assertEquals(3, current.version());
        assertEquals("{\"v\":3}", current.json());
    }

    @Test
    void staleExpectedVersionConflictsAndWritesNothing() {
        commitOne(put("a", "{\"v\":1}", Mutation.ABSENT));
        commitOne(put("a", "{\"v\":2}", 1));
        long sequenceBefore = store.lastSequence();

        VersionConflictException conflict = assertThrows(VersionConflictException.class,
                () -> store.commit(List.of(put("a", "{\"v\":3}", 1))));

        assertEquals(1, conflict.expected());
        assertEquals(2, conflict.actual());
        assertEquals("{\"v\":2}", store.get("flag", "a").orElseThrow().json());
        assertEquals(2, store.history("flag", "a").size());
        assertEquals(sequenceBefore, store.lastSequence());
    }

    @Test
    void conflictInSecondMutationWritesNeitherMutationNorAnyAuditRecord() {
        commitOne(put("b", "{\"v\":1}", Mutation.ABSENT));

        assertThrows(VersionConflictException.class, () -> store.commit(List.of(
                put("a", "{\"v\":1}", Mutation.ABSENT),
                put("b", "{\"v\":2}", 7))));

        assertTrue(store.get("flag", "a").isEmpty());
        assertTrue(store.history("flag", "a").isEmpty());
        assertEquals(1, store.get("flag", "b").orElseThrow().version());
        assertEquals(1, store.lastSequence());
        assertEquals(1, store.changes(0, 100).size());
        commitOne(put("c", "{}", Mutation.ABSENT));
        assertEquals(List.of(1L, 2L), store.changes(0, 100).stream().map(AuditRecord::sequence).toList());
    }

    @Test
    void absentExpectationCreatesOnlyWhenTheObjectDoesNotExist() {
        assertEquals(1, commitOne(put("a", "{}", Mutation.ABSENT)));

        VersionConflictException conflict = assertThrows(VersionConflictException.class,
                () -> store.commit(List.of(put("a", "{\"again\":true}", Mutation.ABSENT))));

        assertEquals(Mutation.ABSENT, conflict.expected());
        assertEquals(1, conflict.actual());
        assertEquals("{}", store.get("flag", "a").orElseThrow().json());
    }

    @Test
    void deletedObjectIsGoneAndCanBeRecreatedWithTheNextVersion() {
        commitOne(put("a", "{\"v\":1}", Mutation.ABSENT));
        Document deletion = store.commit(List.of(delete("a", 1))).get(0);
        assertTrue(deletion.deleted());
        assertEquals(2, deletion.version());
        assertTrue(store.get("flag", "a").isEmpty());
        assertTrue(store.list("flag").isEmpty());

        assertEquals(3, commitOne(put("a", "{\"v\":3}", Mutation.ABSENT)));
        assertEquals("{\"v\":3}", store.get("flag", "a").orElseThrow().json());
    }

    @Test
    void deletedObjectAcceptsItsDeletionVersionAsExpectedVersion() {
        commitOne(put("a", "{}", Mutation.ABSENT));
        commitOne(delete("a", 1));

        assertThrows(VersionConflictException.class, () -> store.commit(List.of(put("a", "{}", 1))));
        assertEquals(3, commitOne(put("a", "{\"back\":true}", 2)));
    }

    @Test
    void deletingAnObjectThatDoesNotExistThrowsNotFoundAndWritesNothing() {
        NotFoundException missing = assertThrows(NotFoundException.class,
                () -> store.commit(List.of(delete("ghost", Mutation.ANY_VERSION))));
        assertEquals("ghost", missing.key());

        commitOne(put("a", "{}", Mutation.ABSENT));
        commitOne(delete("a", Mutation.ANY_VERSION));
        assertThrows(NotFoundException.class, () -> store.commit(List.of(delete("a", Mutation.ANY_VERSION))));

        assertTrue(store.history("flag", "ghost").isEmpty());
        assertEquals(2, store.lastSequence());
    }

    @Test
    void historyHoldsEveryRevisionOldestFirstDeletionsIncluded() {
        commitOne(put("a", "{\"v\":1}", Mutation.ABSENT));
        commitOne(put("a", "{\"v\":2}", 1));
        commitOne(delete("a", 2));
        commitOne(put("a", "{\"v\":4}", Mutation.ABSENT));

        List<Document> history = store.history("flag", "a");

        assertEquals(List.of(1L, 2L, 3L, 4L), history.stream().map(Document::version).toList());
        assertEquals(List.of(false, false, true, false), history.stream().map(Document::deleted).toList());
        assertEquals("{\"v\":2}", history.get(1).json());
        assertFalse(history.get(3).updated().isBefore(history.get(0).updated()));
    }

    @Test
    void listGivesTheLiveObjectsOfOneKindOrderedByKey() {
        store.commit(List.of(put("c", "{\"c\":1}", Mutation.ABSENT), put("a", "{\"a\":1}", Mutation.ABSENT),
                put("b", "{\"b\":1}", Mutation.ABSENT)));
        commitOne(put("a", "{\"a\":2}", 1));
        commitOne(delete("b", 1));
        store.commit(List.of(new Mutation("segment", "a", null, "{}", Mutation.ABSENT, null, "bob", null, null)));

        List<Document> flags = store.list("flag");

        assertEquals(List.of("a", "c"), flags.stream().map(Document::key).toList());
        assertEquals("{\"a\":2}", flags.get(0).json());
        assertEquals(2, flags.get(0).version());
        assertEquals(1, store.list("segment").size());
    }

    @Test
    void severalMutationsOfOneObjectInOneCommitChainTheirVersions() {
        List<Document> written = store.commit(List.of(put("a", "{\"v\":1}", Mutation.ABSENT),
                put("a", "{\"v\":2}", 1)));

        assertEquals(List.of(1L, 2L), written.stream().map(Document::version).toList());
        assertEquals("update", store.changes(0, 10).get(1).action());
        assertEquals("{\"v\":1}", store.changes(0, 10).get(1).before());
    }

    @Test
    void changeLogRecordsWhoWhatBeforeAndAfterWithSequenceGrowingByOne() {
        commitOne(put("a", "{\"v\":1}", Mutation.ABSENT));
        commitOne(put("a", "{\"v\":2}", 1));
        commitOne(delete("a", 2));
        store.commit(List.of(new Mutation("flag", "b", null, "{}", Mutation.ABSENT, "import", "bob", null, null)));

        List<AuditRecord> changes = store.changes(0, 100);

        assertEquals(List.of(1L, 2L, 3L, 4L), changes.stream().map(AuditRecord::sequence).toList());
        assertEquals(List.of("create", "update", "delete", "import"),
                changes.stream().map(AuditRecord::action).toList());
        AuditRecord update = changes.get(1);
        assertEquals("alice", update.actor());
        assertEquals("prod", update.environment());
        assertEquals(2, update.version());
        assertEquals("{\"v\":1}", update.before());
        assertEquals("{\"v\":2}", update.after());
        assertEquals("because", update.reason());
        assertEquals("req-a", update.requestId());
        assertNull(changes.get(0).before());
        assertNull(changes.get(2).after());
        assertEquals("{\"v\":2}", changes.get(2).before());
        assertNull(changes.get(3).environment());
        assertEquals(store.history("flag", "a").get(1).updated(), update.time());
        assertEquals(4, store.lastSequence());
    }

    @Test
    void changesStartAfterTheGivenSequenceAndStopAtTheLimit() {
        for (int i = 0; i < 5; i++) {
            commitOne(put("k" + i, "{}", Mutation.ABSENT));
        }

        assertEquals(List.of(3L, 4L), store.changes(2, 2).stream().map(AuditRecord::sequence).toList());
        assertEquals(List.of(5L), store.changes(4, 10).stream().map(AuditRecord::sequence).toList());
        assertTrue(store.changes(5, 10).isEmpty());
        assertTrue(store.changes(0, 0).isEmpty());
    }

    @Test
    void emptyStoreHasLastSequenceZero() {
        assertEquals(0, store.lastSequence());
        assertTrue(store.get("flag", "a").isEmpty());
        assertTrue(store.commit(List.of()).isEmpty());
        assertEquals(0, store.lastSequence());
    }

    @Test
    void listenersHearEveryCommittedRecordInSequenceOrder() throws Exception {
        List<AuditRecord> heard = Collections.synchronizedList(new ArrayList<>());
        AutoCloseable subscription = store.subscribe(heard::add);

        store.commit(List.of(put("a", "{}", Mutation.ABSENT), put("b", "{}", Mutation.ABSENT)));
        commitOne(put("a", "{\"v\":2}", 1));
        assertThrows(VersionConflictException.class, () -> store.commit(List.of(put("a", "{}", 1))));

        assertEquals(List.of(1L, 2L, 3L), heard.stream().map(AuditRecord::sequence).toList());
        assertEquals(store.changes(0, 10), heard);

        subscription.close();
        commitOne(put("c", "{}", Mutation.ABSENT));
        assertEquals(3, heard.size());
    }

    @Test
    void throwingListenerNeitherStopsOtherListenersNorFailsTheWrite() {
        List<Long> heard = new ArrayList<>();
        store.subscribe(record -> {
            throw new IllegalStateException("listener bug");
        });
        store.subscribe(record -> heard.add(record.sequence()));

        assertEquals(1, commitOne(put("a", "{}", Mutation.ABSENT)));

        assertEquals(List.of(1L), heard);
        assertTrue(store.get("flag", "a").isPresent());
    }

    @Test
    void concurrentWritersGetDistinctGapFreeVersionsAndListenersHearThemInOrder() throws Exception {
        int threads = 4;
        int writesPerThread = 50;
        List<Long> heard = Collections.synchronizedList(new ArrayList<>());
        store.subscribe(record -> heard.add(record.sequence()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<Long> versions = new ArrayList<>();
                    for (int i = 0; i < writesPerThread; i++) {
                        versions.add(commitOne(put("shared", "{\"t\":" + thread + ",\"i\":" + i + "}",
                                Mutation.ANY_VERSION)));
                        store.list("flag");
                    }
                    return versions;
                }));
            }
            List<Long> versions = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                versions.addAll(result.get());
            }
            Collections.sort(versions);
            List<Long> expected = LongStream.rangeClosed(1, threads * writesPerThread).boxed().toList();
            assertEquals(expected, versions);
            assertEquals(expected, store.changes(0, 1000).stream().map(AuditRecord::sequence).toList());
            assertEquals(expected, heard);
            assertEquals(threads * writesPerThread, store.history("flag", "shared").size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reopenedStoreKeepsObjectsHistoryAndChangeLog() {
        commitOne(put("a", "{\"v\":1}", Mutation.ABSENT));
        commitOne(put("a", "{\"v\":2}", 1));
        commitOne(put("b", "{}", Mutation.ABSENT));
        commitOne(delete("b", 1));
        List<AuditRecord> changes = store.changes(0, 100);
        closeStore(store);

        store = openStore();

        assertEquals("{\"v\":2}", store.get("flag", "a").orElseThrow().json());
        assertEquals(2, store.history("flag", "b").size());
        assertTrue(store.get("flag", "b").isEmpty());
        assertEquals(changes, store.changes(0, 100));
        commitOne(put("c", "{}", Mutation.ABSENT));
        assertEquals(5, store.lastSequence());
    }

    @Test
    void closedStoreRefusesCalls() {
        closeStore(store);

        assertThrows(IllegalStateException.class, () -> store.get("flag", "a"));
        assertThrows(IllegalStateException.class, () -> store.commit(List.of(put("a", "{}", Mutation.ABSENT))));
    }
}
