package io.ensign.store.embedded.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExperimentEventStore;
import io.ensign.api.experiment.MetricAggregate;
import io.ensign.api.experiment.VariantAggregate;
import io.ensign.store.embedded.internal.BatchAggregation.MetricDelta;
import io.ensign.store.embedded.internal.BatchAggregation.UnitMetric;
import io.ensign.store.embedded.internal.BatchAggregation.VariantDelta;
import io.ensign.store.embedded.internal.BatchAggregation.VariantMetric;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Experiment events on embedded H2: event ids for idempotency, each unit's variant and metric totals, and additive
 * per-variant aggregates, so that reading an experiment's statistics touches O(variants x metrics) rows.
 *
 * <p>The events live in their own database file next to the store's ({@code experiment-events.mv.db} in the same
 * data directory) rather than in the store's database: event traffic is orders of magnitude above flag writes and
 * must not queue behind the store's write lock, and each component opens and shuts down its own database.
 *
 * <p>A batch is one transaction: its ids are checked in one query, the state of its units is read in two, the
 * events are folded in memory ({@link BatchAggregation}), and the changes go back as batched inserts and merges,
 * committed (and synced when configured) before {@link #append} returns. Batches are serialized by one lock.
 */
@Component(service = ExperimentEventStore.class, property = {"name=embedded", "version=1.0.0"},
        configurationPid = EmbeddedExperimentEventStore.PID)
@Designate(ocd = EmbeddedExperimentEventStore.Config.class)
public final class EmbeddedExperimentEventStore implements ExperimentEventStore, AutoCloseable {
    static final String PID = "io.ensign.store.embedded.events";
    private static final int READ_CONNECTIONS = 4;
    /** H2's page cache; the default 16 MiB holds the indexes of only a few hundred thousand units. */
    private static final int CACHE_KIB = 262_144;

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS event_ids (id VARCHAR PRIMARY KEY)",
            """
            CREATE TABLE IF NOT EXISTS unit_variants (
              experiment VARCHAR NOT NULL, unit VARCHAR NOT NULL, variant VARCHAR NOT NULL,
              PRIMARY KEY (experiment, unit))""",
            """
            CREATE TABLE IF NOT EXISTS unit_totals (
              experiment VARCHAR NOT NULL, unit VARCHAR NOT NULL, metric VARCHAR NOT NULL, total DOUBLE PRECISION NOT NULL,
              PRIMARY KEY (experiment, unit, metric))""",
            """
            CREATE TABLE IF NOT EXISTS variant_counts (
              experiment VARCHAR NOT NULL, variant VARCHAR NOT NULL,
              units BIGINT NOT NULL, exposures BIGINT NOT NULL, conflicts BIGINT NOT NULL,
              PRIMARY KEY (experiment, variant))""",
            """
            CREATE TABLE IF NOT EXISTS metric_sums (
              experiment VARCHAR NOT NULL, variant VARCHAR NOT NULL, metric VARCHAR NOT NULL,
              total_sum DOUBLE PRECISION NOT NULL, sum_squares DOUBLE PRECISION NOT NULL, successes BIGINT NOT NULL,
              PRIMARY KEY (experiment, variant, metric))""",
            """
            CREATE TABLE IF NOT EXISTS sequential_minimums (
              experiment VARCHAR NOT NULL, arm VARCHAR NOT NULL, p_value DOUBLE PRECISION NOT NULL,
              PRIMARY KEY (experiment, arm))""");

    /**
     * The keys of a batch as a table to join: H2 re-checks {@code x = ANY(?)} against the whole array for every
     * row it finds, which makes a lookup of a large batch quadratic; a join probes the index once per key.
     */
    private static final String BATCH_KEYS = "UNNEST(CAST(? AS VARCHAR ARRAY)) b (k)";
    private static final String ADD_VARIANT_COUNTS = """
            MERGE INTO variant_counts t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR),
              CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))) s (experiment, variant, units, exposures, conflicts)
            ON t.experiment = s.experiment AND t.variant = s.variant
            WHEN MATCHED THEN UPDATE SET units = t.units + s.units, exposures = t.exposures + s.exposures,
              conflicts = t.conflicts + s.conflicts
            WHEN NOT MATCHED THEN INSERT VALUES (s.experiment, s.variant, s.units, s.exposures, s.conflicts)""";
    private static final String ADD_METRIC_SUMS = """
            MERGE INTO metric_sums t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),
              CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION), CAST(? AS BIGINT)))
              s (experiment, variant, metric, total_sum, sum_squares, successes)
            ON t.experiment = s.experiment AND t.variant = s.variant AND t.metric = s.metric
            WHEN MATCHED THEN UPDATE SET total_sum = t.total_sum + s.total_sum,
              sum_squares = t.sum_squares + s.sum_squares, successes = t.successes + s.successes
            WHEN NOT MATCHED THEN INSERT VALUES (s.experiment, s.variant, s.metric, s.total_sum, s.sum_squares,
              s.successes)""";
    private static final String AGGREGATES = """
            SELECT v.variant, v.units, v.exposures, v.conflicts, m.metric, m.total_sum, m.sum_squares, m.successes
            FROM variant_counts v LEFT JOIN metric_sums m ON m.experiment = v.experiment AND m.variant = v.variant
            WHERE v.experiment = ? ORDER BY v.variant, m.metric""";

    /** Configuration of the embedded experiment event store. */
    @ObjectClassDefinition(name = "Ensign embedded experiment event store",
            description = "Where and how experiment events are aggregated")
    public @interface Config {
        @AttributeDefinition(description = "Directory holding the database; empty means the framework property "
                + EmbeddedStore.DATA_PROPERTY + ", else ./data")
        String dataDirectory() default "";

        @AttributeDefinition(description = "Force every batch to the disk device (fsync) before acknowledging it")
        boolean syncEachBatch() default true;
    }

    private final H2Database database;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();

    @Activate
    public EmbeddedExperimentEventStore(Config config, BundleContext context) {
        this(EmbeddedStore.dataDirectory(config.dataDirectory(), context.getProperty(EmbeddedStore.DATA_PROPERTY)),
                config.syncEachBatch());
    }

    /** Opens (creating if needed) the event database in {@code directory}; see {@link H2Database} on durability. */
    public EmbeddedExperimentEventStore(Path directory, boolean syncEachBatch) {
        database = new H2Database(directory, "experiment-events", ";CACHE_SIZE=" + CACHE_KIB, syncEachBatch,
                READ_CONNECTIONS, EmbeddedExperimentEventStore::createSchema, "the experiment event store");
        writer = database.writer();
    }

    private static void createSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String ddl : SCHEMA) {
                statement.execute(ddl);
            }
        }
    }

    @Override
    public List<Outcome> append(List<ExperimentEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        writeLock.lock();
        try {
            database.ensureOpen();
            List<Outcome> outcomes = appendInTransaction(events);
            database.commitDurably();
            return outcomes;
        } catch (SQLException | RuntimeException e) {
            database.rollbackQuietly();
            throw new IllegalStateException("the experiment event store could not store a batch", e);
        } finally {
            writeLock.unlock();
        }
    }

    private List<Outcome> appendInTransaction(List<ExperimentEvent> events) throws SQLException {
        Set<String> seen = existingIds(events);
        List<Outcome> outcomes = new ArrayList<>(events.size());
        Map<String, List<ExperimentEvent>> fresh = new LinkedHashMap<>();
        List<String> freshIds = new ArrayList<>();
        for (ExperimentEvent event : events) {
            if (seen.add(event.id())) {
                outcomes.add(Outcome.ACCEPTED);
                freshIds.add(event.id());
                fresh.computeIfAbsent(event.experiment(), e -> new ArrayList<>()).add(event);
            } else {
                outcomes.add(Outcome.DUPLICATE);
            }
        }
        try (PreparedStatement insert = writer.prepareStatement("INSERT INTO event_ids VALUES (?)")) {
            for (String id : freshIds) {
                insert.setString(1, id);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        for (Map.Entry<String, List<ExperimentEvent>> experiment : fresh.entrySet()) {
            aggregate(experiment.getKey(), experiment.getValue());
        }
        return outcomes;
    }

    private Set<String> existingIds(List<ExperimentEvent> events) throws SQLException {
        Object[] ids = events.stream().map(ExperimentEvent::id).distinct().toArray();
        Set<String> existing = new HashSet<>();
        try (PreparedStatement query = writer.prepareStatement("SELECT e.id FROM " + BATCH_KEYS + " JOIN event_ids e ON e.id = b.k")) {
            query.setObject(1, ids);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    existing.add(rows.getString(1));
                }
            }
        }
        return existing;
    }

    /** Folds one experiment's new events into its unit state and aggregates. */
    private void aggregate(String experiment, List<ExperimentEvent> events) throws SQLException {
        Object[] units = events.stream().map(ExperimentEvent::unit).distinct().toArray();
        Map<String, String> assignments = new HashMap<>();
        forEachRowOfUnits("SELECT u.unit, u.variant FROM " + BATCH_KEYS
                + " JOIN unit_variants u ON u.experiment = ? AND u.unit = b.k", units, experiment,
                rows -> assignments.put(rows.getString(1), rows.getString(2)));
        Map<String, Map<String, Double>> totals = new HashMap<>();
        forEachRowOfUnits("SELECT t.unit, t.metric, t.total FROM " + BATCH_KEYS
                + " JOIN unit_totals t ON t.experiment = ? AND t.unit = b.k", units, experiment,
                rows -> totals.computeIfAbsent(rows.getString(1), u -> new HashMap<>())
                        .put(rows.getString(2), rows.getDouble(3)));
        BatchAggregation batch = new BatchAggregation(assignments, totals);
        batch.apply(events);
        writeChanges(experiment, batch);
    }

    /** Runs a query over the batch's units of one experiment and hands each row to {@code row}. */
    private void forEachRowOfUnits(String sql, Object[] units, String experiment, RowReader row)
            throws SQLException {
        try (PreparedStatement query = writer.prepareStatement(sql)) {
            query.setObject(1, units);
            query.setString(2, experiment);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    row.read(rows);
                }
            }
        }
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet rows) throws SQLException;
    }

    private void writeChanges(String experiment, BatchAggregation batch) throws SQLException {
        try (PreparedStatement insert = writer.prepareStatement("INSERT INTO unit_variants VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> assignment : batch.newAssignments().entrySet()) {
                insert.setString(1, experiment);
                insert.setString(2, assignment.getKey());
                insert.setString(3, assignment.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        // inserts for new totals and updates for known ones are cheaper than merges that look each row up again
        writeTotals("INSERT INTO unit_totals (experiment, unit, metric, total) VALUES (?, ?, ?, ?)", experiment,
                batch.newTotals());
        writeTotals("UPDATE unit_totals SET total = ?4 WHERE experiment = ?1 AND unit = ?2 AND metric = ?3", experiment, batch.changedTotals());
        try (PreparedStatement merge = writer.prepareStatement(ADD_VARIANT_COUNTS)) {
            for (Map.Entry<String, VariantDelta> delta : batch.variantDeltas().entrySet()) {
                merge.setString(1, experiment);
                merge.setString(2, delta.getKey());
                merge.setLong(3, delta.getValue().units);
                merge.setLong(4, delta.getValue().exposures);
                merge.setLong(5, delta.getValue().conflicts);
                merge.addBatch();
            }
            merge.executeBatch();
        }
        try (PreparedStatement merge = writer.prepareStatement(ADD_METRIC_SUMS)) {
            for (Map.Entry<VariantMetric, MetricDelta> delta : batch.metricDeltas()) {
                merge.setString(1, experiment);
                merge.setString(2, delta.getKey().variant());
                merge.setString(3, delta.getKey().metric());
                merge.setDouble(4, delta.getValue().sum);
                merge.setDouble(5, delta.getValue().sumOfSquares);
                merge.setLong(6, delta.getValue().successes);
                merge.addBatch();
            }
            merge.executeBatch();
        }
    }

    private void writeTotals(String sql, String experiment, Map<UnitMetric, Double> totals) throws SQLException {
        try (PreparedStatement statement = writer.prepareStatement(sql)) {
            for (Map.Entry<UnitMetric, Double> total : totals.entrySet()) {
                statement.setString(1, experiment);
                statement.setString(2, total.getKey().unit());
                statement.setString(3, total.getKey().metric());
                statement.setDouble(4, total.getValue());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    @Override
    public Map<String, VariantAggregate> aggregates(String experiment) {
        // one statement, so counts and sums come from the same committed state
        try (Connection connection = database.reader();
             PreparedStatement query = connection.prepareStatement(AGGREGATES)) {
            query.setString(1, experiment);
            Map<String, long[]> counts = new LinkedHashMap<>();
            Map<String, Map<String, MetricAggregate>> metrics = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String variant = rows.getString(1);
                    long units = rows.getLong(2);
                    counts.putIfAbsent(variant, new long[] {units, rows.getLong(3), rows.getLong(4)});
                    Map<String, MetricAggregate> variantMetrics = metrics.computeIfAbsent(variant,
                            v -> new HashMap<>());
                    String metric = rows.getString(5);
                    if (metric != null) {
                        variantMetrics.put(metric, new MetricAggregate(units, rows.getDouble(6), rows.getDouble(7),
                                rows.getLong(8)));
                    }
                }
            }
            Map<String, VariantAggregate> aggregates = new LinkedHashMap<>();
            counts.forEach((variant, c) -> aggregates.put(variant,
                    new VariantAggregate(c[0], c[1], c[2], metrics.get(variant))));
            return aggregates;
        } catch (SQLException e) {
            throw new IllegalStateException("the experiment event store could not read aggregates", e);
        }
    }

    @Override
    public double recordSequentialPValue(String experiment, String arm, double pValue) {
        writeLock.lock();
        try {
            database.ensureOpen();
            try (PreparedStatement merge = writer.prepareStatement("""
                    MERGE INTO sequential_minimums t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR),
                      CAST(? AS DOUBLE PRECISION))) s (experiment, arm, p_value)
                    ON t.experiment = s.experiment AND t.arm = s.arm
                    WHEN MATCHED THEN UPDATE SET p_value = LEAST(t.p_value, s.p_value)
                    WHEN NOT MATCHED THEN INSERT VALUES (s.experiment, s.arm, s.p_value)""");
                 PreparedStatement query = writer.prepareStatement(
                         "SELECT p_value FROM sequential_minimums WHERE experiment = ? AND arm = ?")) {
                merge.setString(1, experiment);
                merge.setString(2, arm);
                merge.setDouble(3, pValue);
                merge.executeUpdate();
                query.setString(1, experiment);
                query.setString(2, arm);
                double minimum;
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    minimum = rows.getDouble(1);
                }
                database.commitDurably();
                return minimum;
            }
        } catch (SQLException e) {
            database.rollbackQuietly();
            throw new IllegalStateException("the experiment event store could not record a p-value", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Shuts the database down once any batch under way has finished. */
    @Deactivate
    @Override
    public void close() {
        writeLock.lock();
        try {
            database.shutdown();
        } finally {
            writeLock.unlock();
        }
    }
}
