package io.ensign.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExperimentEventStore.Outcome;
import io.ensign.api.experiment.MetricAggregate;
import io.ensign.api.experiment.MetricEvent;
import io.ensign.api.experiment.VariantAggregate;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture {@code h2-data-v1} is a data directory written by Ensign 1.0's H2 stores (flags with history and
 * a deletion, a segment and a config key committed together, 121 experiment events with a conflict, three
 * sequential looks). Every expectation is read from those H2 files directly with SQL, not from the migration.
 */
class H2MigrationTest {
    @TempDir
    Path directory;

    @BeforeEach
    void copyFixture() throws IOException {
        for (String file : List.of("ensign.mv.db", "experiment-events.mv.db")) {
            try (InputStream in = getClass().getResourceAsStream("/h2-data-v1/" + file)) {
                Files.copy(in, directory.resolve(file));
            }
        }
    }

    @Test
    void everyRevisionAndChangeLogRecordMovesOverAndTheH2FileIsKeptAsMigrated() throws Exception {
        List<List<Object>> revisions = h2Rows("ensign", "SELECT kind, object_key, version, json, updated"
                + " FROM revisions ORDER BY kind, object_key, version");
        List<List<Object>> changes = h2Rows("ensign", "SELECT sequence, committed_at, actor, action, kind,"
                + " object_key, environment, version, json_before, json_after, reason, request_id FROM change_log"
                + " ORDER BY sequence");
        List<List<Object>> current = h2Rows("ensign", "SELECT c.kind, c.object_key, r.json FROM current_revisions c"
                + " JOIN revisions r ON r.kind = c.kind AND r.object_key = c.object_key AND r.version = c.version"
                + " WHERE r.json IS NOT NULL ORDER BY c.kind, c.object_key");

        try (EmbeddedStore store = new EmbeddedStore(directory, false)) {
            List<List<Object>> migrated = new ArrayList<>();
            for (List<Object> revision : revisions) {
                String kind = (String) revision.get(0);
                String key = (String) revision.get(1);
                for (Document document : store.history(kind, key)) {
                    if (document.version() == (Long) revision.get(2)) {
                        migrated.add(List.of(kind, key, document.version(), nullable(document.json()),
                                document.updated()));
                    }
                }
            }
            assertEquals(revisions, migrated);

            List<AuditRecord> records = store.changes(0, 1000);
            assertEquals(changes.size(), records.size());
            for (int i = 0; i < records.size(); i++) {
                AuditRecord r = records.get(i);
                assertEquals(changes.get(i), List.of(r.sequence(), r.time(), r.actor(), r.action(), r.kind(),
                        r.key(), nullable(r.environment()), r.version(), nullable(r.before()),
                        nullable(r.after()), nullable(r.reason()), nullable(r.requestId())));
            }
            List<List<Object>> live = new ArrayList<>();
            for (String kind : List.of("config", "flag", "segment")) {
                store.list(kind).forEach(d -> live.add(List.of(d.kind(), d.key(), d.json())));
            }
            assertEquals(current, live);
            assertEquals(changes.size(), store.lastSequence());

            // the next write continues the sequence and the versions
            long version = (Long) revisions.stream().filter(r -> r.get(1).equals("checkout"))
                    .map(r -> r.get(2)).reduce((a, b) -> b).orElseThrow();
            store.commit(List.of(new Mutation("flag", "checkout", null, "{}", version, null, "admin", null, null)));
            assertEquals(changes.size() + 1, store.lastSequence());
            assertEquals(version + 1, store.get("flag", "checkout").orElseThrow().version());
        }
        assertFalse(Files.exists(directory.resolve("ensign.mv.db")));
        assertTrue(Files.exists(directory.resolve("ensign.mv.db.migrated")));
    }

    @Test
    void experimentAggregatesUnitsAndEventIdsMoveOver() throws Exception {
        List<List<Object>> counts = h2Rows("experiment-events", "SELECT variant, units, exposures, conflicts"
                + " FROM variant_counts WHERE experiment = 'exp-a' ORDER BY variant");
        List<List<Object>> sums = h2Rows("experiment-events", "SELECT variant, metric, total_sum, sum_squares,"
                + " successes FROM metric_sums WHERE experiment = 'exp-a' ORDER BY variant, metric");
        List<List<Object>> ids = h2Rows("experiment-events", "SELECT id FROM event_ids ORDER BY id");
        double minimum = (Double) h2Rows("experiment-events",
                "SELECT p_value FROM sequential_minimums WHERE experiment = 'exp-a' AND arm = 'on'").get(0).get(0);

        try (EmbeddedExperimentEventStore store = new EmbeddedExperimentEventStore(directory, false)) {
            Map<String, VariantAggregate> aggregates = store.aggregates("exp-a");
            List<List<Object>> migratedCounts = new ArrayList<>();
            List<List<Object>> migratedSums = new ArrayList<>();
            aggregates.forEach((variant, aggregate) -> {
                migratedCounts.add(List.of(variant, aggregate.units(), aggregate.exposures(), aggregate.conflicts()));
                aggregate.metrics().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(m -> {
                    MetricAggregate metric = m.getValue();
                    migratedSums.add(List.of(variant, m.getKey(), metric.sum(), metric.sumOfSquares(),
                            metric.successes()));
                });
            });
            assertEquals(counts, migratedCounts);
            assertEquals(sums, migratedSums);
            // every known id is a duplicate now, exactly as before the migration
            List<ExperimentEvent> again = new ArrayList<>();
            for (List<Object> id : ids) {
                again.add(new MetricEvent((String) id.get(0), "exp-a", "revenue", "u1",
                        1, Instant.EPOCH));
            }
            assertTrue(store.append(again).stream()
                    .allMatch(o -> o == Outcome.DUPLICATE));
            assertEquals(Math.min(minimum, 0.9), store.recordSequentialPValue("exp-a", "on", 0.9));
        }
        assertTrue(Files.exists(directory.resolve("experiment-events.mv.db.migrated")));
    }

    @Test
    void aCrashAfterTheCopyButBeforeTheRenameIsFinishedWithoutCopyingTwice() throws Exception {
        Path backup = directory.resolve("backup.mv.db");
        Files.copy(directory.resolve("ensign.mv.db"), backup);
        long records;
        try (EmbeddedStore store = new EmbeddedStore(directory, false)) {
            records = store.lastSequence();
        }
        // as if the process died after the SQLite commit and before the H2 file was renamed
        Files.move(backup, directory.resolve("ensign.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        Files.delete(directory.resolve("ensign.mv.db.migrated"));

        try (EmbeddedStore store = new EmbeddedStore(directory, false)) {
            assertEquals(records, store.lastSequence());
            assertEquals(records, store.changes(0, 1000).size());
        }
        assertFalse(Files.exists(directory.resolve("ensign.mv.db")));
        assertTrue(Files.exists(directory.resolve("ensign.mv.db.migrated")));
    }

    @Test
    void anH2FileBesideASqliteDatabaseWithItsOwnDataStopsTheStartAndTouchesNeither() throws Exception {
        Path h2 = directory.resolve("ensign.mv.db");
        Path aside = directory.resolve("aside.mv.db");
        Files.move(h2, aside);
        try (EmbeddedStore store = new EmbeddedStore(directory, false)) {
            store.commit(List.of(new Mutation("flag", "new", null, "{}", Mutation.ABSENT, null, "admin", null, null)));
        }
        Files.move(aside, h2);
        byte[] before = Files.readAllBytes(h2);

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new EmbeddedStore(directory, false));
        assertTrue(refused.getMessage().contains("both"), refused.getMessage());
        assertTrue(Files.exists(h2));
        assertArrayEquals(before, Files.readAllBytes(h2));
        Files.move(h2, aside);
        try (EmbeddedStore store = new EmbeddedStore(directory, false)) {
            assertEquals(1, store.lastSequence());
        }
    }

    /** Rows of a query on the fixture's H2 file, timestamps as instants; nulls as the string "null". */
    private List<List<Object>> h2Rows(String database, String sql) throws SQLException {
        JdbcDataSource source = new JdbcDataSource();
        source.setURL("jdbc:h2:file:" + directory.resolve(database).toAbsolutePath() + ";ACCESS_MODE_DATA=r");
        source.setUser("ensign");
        List<List<Object>> result = new ArrayList<>();
        try (Connection connection = source.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    Object value = rows.getObject(c);
                    row.add(value instanceof OffsetDateTime time ? time.toInstant() : nullable(value));
                }
                result.add(row);
            }
        }
        return result;
    }

    private static Object nullable(Object value) {
        return value == null ? "null" : value;
    }
}
