package io.ensign.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.store.ChangeListener;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import io.ensign.codec.ModelCodec;
import io.ensign.testing.fakes.InMemoryStore;
import org.junit.jupiter.api.Test;

/**
 * The state a snapshot is built from, kept current from the changes the store hands its listeners: after random
 * creates, updates and deletes of flags, segments, environments and experiments, mixed with changes of kinds
 * evaluation does not read, it equals a full read of the store at every step, while the store was listed only once;
 * a change that never came (a gap in the sequences) makes the next build read everything again.
 */
class StateReaderTest {
    private static final String[] KINDS = {"flag", "segment", "environment", "experiment", "config"};

    private final InMemoryStore store = new InMemoryStore();
    private final AtomicInteger lists = new AtomicInteger();
    private final Store counting = new ListCounting(store, lists);

    private static String json(String kind, int value) {
        return switch (kind) {
            case "flag" -> "{\"type\":\"number\",\"variants\":{\"v\":" + value + "},\"defaultVariant\":\"v\"}";
            case "segment" -> "{\"conditions\":[{\"attribute\":\"n\",\"operator\":\"equals\",\"values\":["
                    + value + "]}]}";
            case "environment" -> "{\"description\":\"" + value + "\"}";
            case "experiment" -> "{\"flag\":\"k0\",\"environment\":\"production\",\"status\":\""
                    + (value % 2 == 0 ? "running" : "draft") + "\",\"weights\":{\"v\":" + (1 + value) + "}}";
            default -> "{\"value\":" + value + "}";
        };
    }

    private List<AuditRecord> change(Random random) {
        String kind = KINDS[random.nextInt(KINDS.length)];
        String key = "k" + random.nextInt(6);
        boolean exists = store.get(kind, key).isPresent();
        String json = exists && random.nextInt(4) == 0 ? null : json(kind, random.nextInt(1000));
        long before = store.lastSequence();
        store.commit(List.of(new Mutation(kind, key, null, json, Mutation.ANY_VERSION, null, "test", null, "r")));
        return store.changes(before, 10);
    }

    private static void assertSameState(StateReader.State expected, StateReader.State actual, String step) {
        assertEquals(expected.flags(), actual.flags(), step);
        assertEquals(expected.segments(), actual.segments(), step);
        assertEquals(expected.environments(), actual.environments(), step);
        assertEquals(expected.experiments(), actual.experiments(), step);
    }

    @Test
    void theMirrorKeptFromHeardChangesEqualsAFullReadAtEveryStepAndListsTheStoreOnce() {
        StateReader reader = new StateReader(counting, new ModelCodec());
        Random random = new Random(20261204);
        for (int i = 0; i < 20; i++) {
            change(random); // before the first build: read in full
        }
        reader.current();
        int listsAfterFirstBuild = lists.get();
        for (int step = 0; step < 400; step++) {
            change(random).forEach(reader::heard);
            if (random.nextInt(3) == 0) {
                continue; // several changes in one build
            }
            StateReader.State mirrored = reader.current();
            assertEquals(store.lastSequence(), mirrored.sequence(), "step " + step);
            assertSameState(new StateReader(store, new ModelCodec()).current(), mirrored, "step " + step);
        }
        assertEquals(listsAfterFirstBuild, lists.get(), "builds after the first listed nothing");
    }

    @Test
    void aChangeThatNeverCameMakesTheNextBuildReadEverythingAgain() {
        StateReader reader = new StateReader(counting, new ModelCodec());
        Random random = new Random(7);
        change(random).forEach(reader::heard);
        reader.current();
        int listed = lists.get();
        change(random).forEach(reader::heard);
        reader.current();
        assertEquals(listed, lists.get(), "a change heard in order is applied without reading");

        change(random); // committed, but its record never reaches the reader
        change(random).forEach(reader::heard);
        StateReader.State afterGap = reader.current();
        assertTrue(lists.get() > listed, "the gap made the build read the store");
        assertSameState(new StateReader(store, new ModelCodec()).current(), afterGap, "after the gap");
        assertEquals(store.lastSequence(), afterGap.sequence());
    }

    /** The in-memory store, counting how often it is listed. */
    private record ListCounting(Store store, AtomicInteger lists) implements Store {
        @Override
        public Optional<Document> get(String kind, String key) {
            return store.get(kind, key);
        }

        @Override
        public List<Document> list(String kind) {
            lists.incrementAndGet();
            return store.list(kind);
        }

        @Override
        public List<Document> history(String kind, String key) {
            return store.history(kind, key);
        }

        @Override
        public List<Document> commit(List<Mutation> mutations) {
            return store.commit(mutations);
        }

        @Override
        public List<AuditRecord> changes(long afterSequence, int limit) {
            return store.changes(afterSequence, limit);
        }

        @Override
        public long lastSequence() {
            return store.lastSequence();
        }

        @Override
        public AutoCloseable subscribe(ChangeListener listener) {
            return store.subscribe(listener);
        }
    }
}
