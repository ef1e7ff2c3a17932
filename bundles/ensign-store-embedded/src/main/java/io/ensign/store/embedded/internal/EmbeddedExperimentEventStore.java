package io.ensign.store.embedded.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExperimentEventStore;
import io.ensign.api.experiment.MetricAggregate;
import io.ensign.api.experiment.VariantAggregate;
import io.ensign.api.store.StorePlugin;
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
 * Experiment events on embedded SQLite: event ids for idempotency, each unit's variant and metric totals, and
 * additive per-variant aggregates, so that reading an experiment's statistics touches O(variants x metrics) rows.
 *
 * <p>The events live in their own database file next to the store's ({@code experiment-events.db} in the same
 * data directory) rather than in the store's database: event traffic is orders of magnitude above flag writes and
 * must not queue behind the store's write lock, and each component opens and shuts down its own database.
 *
 * <p>A batch is one transaction: each id is claimed by an insert that SQLite ignores for a known id, the state of
 * the batch's units is read by key, the events are folded in memory ({@link BatchAggregation}), and the changes
 * go back as batched inserts and upserts, committed and synced ({@link SqliteDatabase}) before {@link #append}
 * returns. Batches are serialized by one lock.
 */
@Component(service = ExperimentEventStore.class, configurationPid = EmbeddedExperimentEventStore.PID)
@StorePlugin(name = "embedded", version = "2.0.0")
@Designate(ocd = EmbeddedExperimentEventStore.Config.class)
public final class EmbeddedExperimentEventStore implements ExperimentEventStore, AutoCloseable {
    static final String PID = "io.ensign.store.embedded.events";
    private static final int READ_CONNECTIONS = 4;

    private static final String ADD_VARIANT_COUNTS = """
            INSERT INTO variant_counts VALUES (?, ?, ?, ?, ?) ON CONFLICT (experiment, variant) DO UPDATE SET
              units = units + excluded.units, exposures = exposures + excluded.exposures,
              conflicts = conflicts + excluded.conflicts""";
    private static final String ADD_METRIC_SUMS = """
            INSERT INTO metric_sums VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (experiment, variant, metric) DO UPDATE SET
              total_sum = total_sum + excluded.total_sum, sum_squares = sum_squares + excluded.sum_squares,
              successes = successes + excluded.successes""";
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

        @AttributeDefinition(description = "Batches are refused (HTTP 507) while the data directory's device has"
                + " fewer free bytes than this")
        long minimumFreeBytes() default EmbeddedStore.DEFAULT_MINIMUM_FREE_BYTES;
    }

    private final SqliteDatabase database;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();

    @Activate
    public EmbeddedExperimentEventStore(Config config, BundleContext context) {
        this(EmbeddedStore.dataDirectory(config.dataDirectory(), context.getProperty(EmbeddedStore.DATA_PROPERTY)),
                config.syncEachBatch(), config.minimumFreeBytes());
    }

    /** Opens the event store in {@code directory} with the default free-space minimum. */
    public EmbeddedExperimentEventStore(Path directory, boolean syncEachBatch) {
        this(directory, syncEachBatch, EmbeddedStore.DEFAULT_MINIMUM_FREE_BYTES);
    }

    /**
     * Opens (creating if needed) the event database in {@code directory}, migrating an Ensign 1.0 H2 one found
     * there ({@link H2Migration}).
     */
    public EmbeddedExperimentEventStore(Path directory, boolean syncEachBatch, long minimumFreeBytes) {
        database = new SqliteDatabase(directory, Schema.EVENTS, syncEachBatch, READ_CONNECTIONS, minimumFreeBytes,
                "the experiment event store");
        writer = database.writer();
    }

    @Override
    public List<Outcome> append(List<ExperimentEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        writeLock.lock();
        try {
            database.requireRoom();
            List<Outcome> outcomes = appendInTransaction(events);
            database.commitDurably();
            return outcomes;
        } catch (SQLException | RuntimeException e) {
            throw database.failed("store a batch", e);
        } finally {
            writeLock.unlock();
        }
    }

    private List<Outcome> appendInTransaction(List<ExperimentEvent> events) throws SQLException {
        List<Outcome> outcomes = new ArrayList<>(events.size());
        Map<String, List<ExperimentEvent>> fresh = new LinkedHashMap<>();
        try (PreparedStatement claim = writer.prepareStatement("INSERT OR IGNORE INTO event_ids VALUES (?)")) {
            for (ExperimentEvent event : events) {
                claim.setString(1, event.id());
                // one row inserted: the id is new; none: it is known, from an earlier batch or this one
                if (claim.executeUpdate() == 1) {
                    outcomes.add(Outcome.ACCEPTED);
                    fresh.computeIfAbsent(event.experiment(), e -> new ArrayList<>()).add(event);
                } else {
                    outcomes.add(Outcome.DUPLICATE);
                }
            }
        }
        for (Map.Entry<String, List<ExperimentEvent>> experiment : fresh.entrySet()) {
            aggregate(experiment.getKey(), experiment.getValue());
        }
        return outcomes;
    }

    /** Folds one experiment's new events into its unit state and aggregates. */
    private void aggregate(String experiment, List<ExperimentEvent> events) throws SQLException {
        Set<String> units = new LinkedHashSet<>();
        events.forEach(event -> units.add(event.unit()));
        Map<String, String> assignments = new HashMap<>();
        forEachRowOfUnits("SELECT unit, variant FROM unit_variants WHERE experiment = ? AND unit = ?", units,
                experiment, rows -> assignments.put(rows.getString(1), rows.getString(2)));
        Map<String, Map<String, Double>> totals = new HashMap<>();
        forEachRowOfUnits("SELECT unit, metric, total FROM unit_totals WHERE experiment = ? AND unit = ?", units,
                experiment, rows -> totals.computeIfAbsent(rows.getString(1), u -> new HashMap<>())
                        .put(rows.getString(2), rows.getDouble(3)));
        BatchAggregation batch = new BatchAggregation(assignments, totals);
        batch.apply(events);
        writeChanges(experiment, batch);
    }

    /**
     * Runs a query keyed by (experiment, unit) once per unit and hands each row to {@code row}; an indexed
     * lookup in an in-process database costs microseconds, so a batch of a thousand units needs no set query.
     */
    private void forEachRowOfUnits(String sql, Set<String> units, String experiment, RowReader row)
            throws SQLException {
        try (PreparedStatement query = writer.prepareStatement(sql)) {
            query.setString(1, experiment);
            for (String unit : units) {
                query.setString(2, unit);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        row.read(rows);
                    }
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
        writeTotals("UPDATE unit_totals SET total = ?4 WHERE experiment = ?1 AND unit = ?2 AND metric = ?3", experiment,
                batch.changedTotals());
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
        return database.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(AGGREGATES)) {
                query.setString(1, experiment);
                return aggregates(query);
            }
        });
    }

    private static Map<String, VariantAggregate> aggregates(PreparedStatement query) throws SQLException {
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
    }

    @Override
    public double recordSequentialPValue(String experiment, String arm, double pValue) {
        writeLock.lock();
        try {
            database.requireRoom();
            try (PreparedStatement upsert = writer.prepareStatement("""
                    INSERT INTO sequential_minimums VALUES (?, ?, ?) ON CONFLICT (experiment, arm)
                      DO UPDATE SET p_value = MIN(p_value, excluded.p_value) RETURNING p_value""")) {
                upsert.setString(1, experiment);
                upsert.setString(2, arm);
                upsert.setDouble(3, pValue);
                double minimum;
                try (ResultSet rows = upsert.executeQuery()) {
                    rows.next();
                    minimum = rows.getDouble(1);
                }
                database.commitDurably();
                return minimum;
            }
        } catch (SQLException | RuntimeException e) {
            throw database.failed("record a p-value", e);
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
