package io.ensign.store.postgresql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExposureEvent;
import io.ensign.api.experiment.MetricEvent;
import io.ensign.api.store.Mutation;
import io.ensign.store.embedded.internal.EmbeddedExperimentEventStore;
import io.ensign.store.embedded.internal.EmbeddedStore;
import io.ensign.store.sql.SqlBackup;
import io.ensign.store.sql.SqlExperimentEventStore;
import io.ensign.store.sql.SqlStore;
import io.ensign.testing.postgresql.PostgresCluster;
import io.ensign.testing.postgresql.PostgresClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup exported by one dialect and restored by the other, both ways, every table row for row; a restore into a
 * store holding data, and of a truncated or altered file, refused with nothing written.
 */
class BackupRestoreTest {
    @RegisterExtension
    static final PostgresClusterExtension POSTGRES = new PostgresClusterExtension();
    private static final String KEY_FILE = "data/secrets.key";

    @TempDir
    Path directory;

    private PostgresTarget newDatabase() {
        PostgresCluster cluster = POSTGRES.cluster();
        return PostgresTarget.parse(cluster.storeUrl(cluster.createDatabase()), cluster.password());
    }

    @Test
    void embeddedToPostgresqlAndBackKeepsEveryRowAndTheNextSequence() throws Exception {
        Path first = directory.resolve("embedded.jsonl");
        long lastSequence;
        try (EmbeddedStore store = new EmbeddedStore(directory.resolve("a"), false);
             EmbeddedExperimentEventStore events = new EmbeddedExperimentEventStore(directory.resolve("a"), false)) {
            lastSequence = writeHistory(store, events, new Random(10));
            export(store, events, "embedded", first);
            assertEquals(lastSequence, SqlBackup.check(first).lastSequence());
        }
        PostgresTarget target = newDatabase();
        Path second = directory.resolve("postgresql.jsonl");
        try (PostgresStore store = new PostgresStore(target, 2, 5, PostgresStore.CHANNEL, 5, first.toString());
             PostgresExperimentEventStore events = new PostgresExperimentEventStore(target, 2, 5,
                     first.toString())) {
            export(store, events, "postgresql", second);
            assertEquals(rows(first), rows(second));
            assertEquals(lastSequence, store.lastSequence());
            store.commit(List.of(flag("after-restore", "{\"on\":true}")));
            assertEquals(lastSequence + 1, store.changes(lastSequence, 10).get(0).sequence());
        }
        try (PostgresStore again = new PostgresStore(target, 2, 5, PostgresStore.CHANNEL, 5, first.toString())) {
            assertEquals(lastSequence + 1, again.lastSequence(), "a start with the backup it holds keeps its writes");
        }
        Path third = directory.resolve("back.jsonl");
        Path restored = directory.resolve("b");
        try (EmbeddedStore store = new EmbeddedStore(restored, false, EmbeddedStore.DEFAULT_MINIMUM_FREE_BYTES,
                second.toString());
             EmbeddedExperimentEventStore events = new EmbeddedExperimentEventStore(restored, false,
                     EmbeddedStore.DEFAULT_MINIMUM_FREE_BYTES, second.toString())) {
            export(store, events, "embedded", third);
            assertEquals(rows(first), rows(third));
            store.commit(List.of(flag("next", "{}")));
            assertEquals(lastSequence + 1, store.lastSequence());
        }
        SqlBackup.Header header = SqlBackup.check(first);
        assertEquals(KEY_FILE, header.secretsKeyFile());
        assertEquals("embedded", header.source());
        assertEquals(lastSequence, (long) header.rows().get("store.change_log"));
        assertTrue(Files.readString(second).contains("\"row\":[\"restored\",\"" + header.sha256() + "\"]"));
        assertTrue(header.rows().get("events.event_ids") > 0);
    }

    @Test
    void anExportWhileWritesGoOnIsOneSnapshotInEitherDialect() throws Exception {
        PostgresTarget target = newDatabase();
        try (EmbeddedStore embedded = new EmbeddedStore(directory.resolve("a"), false);
             EmbeddedExperimentEventStore embeddedEvents = new EmbeddedExperimentEventStore(directory.resolve("a"),
                     false);
             PostgresStore postgres = new PostgresStore(target, 2, 5, PostgresStore.CHANNEL, 5);
             PostgresExperimentEventStore postgresEvents = new PostgresExperimentEventStore(target, 2, 5)) {
            assertSnapshotsWhileWriting(embedded, embeddedEvents, "embedded");
            assertSnapshotsWhileWriting(postgres, postgresEvents, "postgresql");
        }
    }

    /**
     * Exports five times while another thread commits two changes at a time; each file's change log ends at the
     * header's last sequence and holds one revision per change, so no export saw half a commit or two moments.
     */
    private void assertSnapshotsWhileWriting(SqlStore store, SqlExperimentEventStore events, String source)
            throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            for (int i = 0; writing.get(); i++) {
                store.commit(List.of(flag("busy-" + (i % 7), "{\"i\":" + i + "}"),
                        flag("other-" + (i % 5), "{\"i\":" + i + "}")));
            }
        });
        writer.start();
        try {
            for (int round = 0; round < 5; round++) {
                Path file = directory.resolve(source + "-" + round + ".jsonl");
                export(store, events, source, file);
                SqlBackup.Header header = SqlBackup.check(file);
                assertEquals(header.lastSequence(), (long) header.rows().get("store.change_log"), file.toString());
                assertEquals(header.lastSequence(), (long) header.rows().get("store.revisions"), file.toString());
                assertEquals(0, header.lastSequence() % 2, "whole commits only: " + header.lastSequence());
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        assertTrue(store.lastSequence() > 10, "the writer wrote meanwhile: " + store.lastSequence());
    }

    @Test
    void aStoreHoldingDataRefusesARestoreAndKeepsWhatItHad() throws Exception {
        Path backup = embeddedBackup(new Random(11));
        PostgresTarget target = newDatabase();
        Path before = directory.resolve("before.jsonl");
        try (PostgresStore store = new PostgresStore(target, 2, 5, PostgresStore.CHANNEL, 5);
             PostgresExperimentEventStore events = new PostgresExperimentEventStore(target, 2, 5)) {
            store.commit(List.of(flag("default", "{\"already\":\"here\"}")));
            export(store, events, "postgresql", before);
        }
        SqlBackup.BackupException refused = assertThrows(SqlBackup.BackupException.class,
                () -> new PostgresStore(target, 2, 5, PostgresStore.CHANNEL, 5, backup.toString()));
        assertTrue(refused.getMessage().contains("only restored into an empty store"), refused.getMessage());
        Path after = directory.resolve("after.jsonl");
        try (PostgresStore store = new PostgresStore(target, 2, 5, PostgresStore.CHANNEL, 5);
             PostgresExperimentEventStore events = new PostgresExperimentEventStore(target, 2, 5)) {
            export(store, events, "postgresql", after);
        }
        assertEquals(rows(before), rows(after));
    }

    @Test
    void aTruncatedOrAlteredFileIsRefusedAndNothingIsWritten() throws Exception {
        Path backup = embeddedBackup(new Random(12));
        List<String> lines = Files.readAllLines(backup);
        Path truncated = directory.resolve("truncated.jsonl");
        Files.write(truncated, lines.subList(0, lines.size() / 2));
        Path altered = directory.resolve("altered.jsonl");
        List<String> changed = new ArrayList<>(lines);
        int row = lines.size() / 3;
        changed.set(row, lines.get(row).replaceFirst("\"row\":\\[\"", "\"row\":[\"x"));
        assertNotEquals(lines.get(row), changed.get(row));
        Files.write(altered, changed);
        Path notJson = directory.resolve("cut.jsonl");
        Files.writeString(notJson, Files.readString(backup).substring(0, (int) Files.size(backup) / 2 + 7));

        PostgresTarget target = newDatabase();
        for (Path bad : List.of(truncated, altered, notJson)) {
            SqlBackup.BackupException refused = assertThrows(SqlBackup.BackupException.class,
                    () -> new PostgresStore(target, 2, 5, PostgresStore.CHANNEL, 5, bad.toString()), bad.toString());
            assertTrue(refused.getMessage().contains(bad.toString()), refused.getMessage());
            assertThrows(SqlBackup.BackupException.class,
                    () -> new EmbeddedExperimentEventStore(directory.resolve("b"), false,
                            EmbeddedStore.DEFAULT_MINIMUM_FREE_BYTES, bad.toString()), bad.toString());
        }
        try (PostgresStore store = new PostgresStore(target, 2, 5, PostgresStore.CHANNEL, 5);
             EmbeddedExperimentEventStore events = new EmbeddedExperimentEventStore(directory.resolve("b"), false)) {
            assertEquals(0, store.lastSequence());
            assertTrue(store.list("flag").isEmpty());
            assertTrue(events.aggregates("exp-0").isEmpty());
        }
    }

    /** A backup of an embedded store with a history. */
    private Path embeddedBackup(Random random) throws IOException {
        Path backup = directory.resolve("backup.jsonl");
        try (EmbeddedStore store = new EmbeddedStore(directory.resolve("a"), false);
             EmbeddedExperimentEventStore events = new EmbeddedExperimentEventStore(directory.resolve("a"), false)) {
            writeHistory(store, events, random);
            export(store, events, "embedded", backup);
        }
        return backup;
    }

    /** Flags created, updated and deleted, a config with a secret, events of two experiments; the last sequence. */
    private static long writeHistory(SqlStore store, SqlExperimentEventStore events, Random random) {
        for (int round = 0; round < 40; round++) {
            String key = "flag-" + random.nextInt(12);
            boolean delete = random.nextInt(5) == 0 && store.get("flag", key).isPresent();
            store.commit(List.of(delete ? new Mutation("flag", key, "production", null, Mutation.ANY_VERSION, null,
                    "admin", "cleanup", "req-" + round)
                    : flag(key, "{\"on\":" + random.nextBoolean() + ",\"note\":\"\\u00e9 \\\"q\\\" " + round + "\"}")));
        }
        store.commit(List.of(new Mutation("config", "payments", "production",
                "{\"apiKey\":{\"secret\":\"enc:v1:" + random.nextLong() + "\"}}", Mutation.ABSENT, null, "admin",
                null, null), new Mutation("segment", "beta", null, "{\"rules\":[]}", Mutation.ABSENT, null, "admin",
                null, null)));
        List<ExperimentEvent> batch = new ArrayList<>();
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        for (int i = 0; i < 300; i++) {
            String experiment = "exp-" + (i % 2);
            String unit = "u" + random.nextInt(60);
            batch.add(new ExposureEvent("x" + i, experiment, unit, random.nextBoolean() ? "control" : "treatment",
                    now));
            batch.add(new MetricEvent("m" + i, experiment, "revenue", unit, random.nextDouble() * 10, now));
        }
        events.append(batch);
        events.recordSequentialPValue("exp-0", "treatment", 0.0123456789);
        return store.lastSequence();
    }

    private static Mutation flag(String key, String json) {
        return new Mutation("flag", key, "production", json, Mutation.ANY_VERSION, null, "admin", null, null);
    }

    private static void export(SqlStore store, SqlExperimentEventStore events, String source, Path file)
            throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            SqlBackup.export(store, events, source, KEY_FILE, out);
        }
    }

    /**
     * The file's rows, without the header (its time and source), the trailer and the meta row a restore adds (naming
     * the backup restored).
     */
    private static List<String> rows(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return lines.subList(1, lines.size() - 1).stream()
                .filter(line -> !line.startsWith("{\"table\":\"store.meta\",\"row\":[\"restored\"")
                        && !line.startsWith("{\"table\":\"events.meta\",\"row\":[\"restored\""))
                .toList();
    }
}
