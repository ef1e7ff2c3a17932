package io.ensign.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExperimentEventStore.Outcome;
import io.ensign.api.experiment.ExposureEvent;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.StoreStatus;
import io.ensign.api.store.StoreUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full device: an 8 MiB tmpfs mounted for the test (root only; skipped elsewhere, and CI runs as root),
 * filled up by a file, then freed again.
 */
class DiskFullTest {
    private static final String BIG = "{\"blob\":\"" + "x".repeat(1 << 20) + "\"}";

    @TempDir
    Path temp;
    private Path mount;
    private Path filler;

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = temp.resolve("small");
        Files.createDirectories(mount);
        Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        assumeTrue(mounting.waitFor() == 0, "mounting a tmpfs needs root: "
                + new String(mounting.getInputStream().readAllBytes()));
        filler = mount.resolve("filler");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void aFullDeviceRefusesTheWriteKeepsEverythingAcknowledgedAndRecoversOnceFreed() throws Exception {
        try (EmbeddedStore store = new EmbeddedStore(mount.resolve("data"), true, 0, null)) {
            store.commit(List.of(put("kept", "{\"v\":1}", Mutation.ABSENT)));
            fill();

            StoreUnavailableException refused = assertThrows(StoreUnavailableException.class,
                    () -> store.commit(List.of(put("big", BIG, Mutation.ABSENT), put("also", "{}", Mutation.ABSENT))));
            assertEquals(StoreUnavailableException.Condition.DISK_FULL, refused.condition());
            assertTrue(refused.retryAfterSeconds() >= 1);
            StoreStatus down = store.status();
            assertFalse(down.up());
            assertTrue(down.reason().contains("full"), down.reason());
            // nothing of the refused commit is there, everything acknowledged is
            assertTrue(store.get("flag", "big").isEmpty());
            assertTrue(store.get("flag", "also").isEmpty());
            assertEquals("{\"v\":1}", store.get("flag", "kept").orElseThrow().json());
            assertEquals(1, store.lastSequence());

            Files.delete(filler);
            // no client write needed: the status probe finds the room again
            assertEquals(StoreStatus.UP, store.status());
            store.commit(List.of(put("big", BIG, Mutation.ABSENT)));
            assertEquals(2, store.lastSequence());
            assertEquals(2, store.changes(0, 10).get(1).sequence());
        }
        try (EmbeddedStore reopened = new EmbeddedStore(mount.resolve("data"), true, 0, null)) {
            assertEquals(2, reopened.lastSequence());
            assertEquals(BIG, reopened.get("flag", "big").orElseThrow().json());
        }
    }

    @Test
    void belowTheMinimumFreeSpaceWritesAreRefusedBeforeTheyStart() throws Exception {
        try (EmbeddedStore store = new EmbeddedStore(mount.resolve("data"), true, 4L << 20, null)) {
            store.commit(List.of(put("kept", "{}", Mutation.ABSENT)));
            try (OutputStream out = Files.newOutputStream(filler)) {
                out.write(new byte[5 << 20]);
            }
            StoreUnavailableException refused = assertThrows(StoreUnavailableException.class,
                    () -> store.commit(List.of(put("small", "{}", Mutation.ABSENT))));
            assertEquals(StoreUnavailableException.Condition.DISK_FULL, refused.condition());
            assertTrue(store.status().reason().contains("minimum"), store.status().reason());

            Files.delete(filler);
            assertEquals(StoreStatus.UP, store.status());
            store.commit(List.of(put("small", "{}", Mutation.ABSENT)));
            assertEquals(2, store.lastSequence());
        }
    }

    @Test
    void aFullDeviceRefusesAnEventBatchWholeAndTheBatchIsNewAfterwards() throws Exception {
        try (EmbeddedExperimentEventStore events =
                     new EmbeddedExperimentEventStore(mount.resolve("data"), true, 0, null)) {
            List<ExperimentEvent> batch = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                batch.add(new ExposureEvent("e" + i, "exp", "unit-" + i + "-" + "u".repeat(40), "on", Instant.EPOCH));
            }
            fill();
            StoreUnavailableException refused = assertThrows(StoreUnavailableException.class,
                    () -> events.append(batch));
            assertEquals(StoreUnavailableException.Condition.DISK_FULL, refused.condition());
            assertTrue(events.aggregates("exp").isEmpty());

            Files.delete(filler);
            assertTrue(events.append(batch).stream().allMatch(o -> o == Outcome.ACCEPTED));
            assertEquals(20_000, events.aggregates("exp").get("on").units());
        }
    }

    /** Writes a file until the device has no room left. */
    private void fill() throws IOException {
        byte[] chunk = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            assertTrue(Files.getFileStore(mount).getUsableSpace() < chunk.length, full.getMessage());
        }
    }

    private static Mutation put(String key, String json, long expected) {
        return new Mutation("flag", key, null, json, expected, null, "test", null, null);
    }
}
