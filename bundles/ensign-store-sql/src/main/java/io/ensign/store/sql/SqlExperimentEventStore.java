package io.ensign.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
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
import io.ensign.store.sql.BatchAggregation.MetricDelta;
import io.ensign.store.sql.BatchAggregation.UnitMetric;
import io.ensign.store.sql.BatchAggregation.VariantDelta;
import io.ensign.store.sql.BatchAggregation.VariantMetric;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Experiment events on SQL tables, for any {@link SqlDatabase}: event ids for idempotency ({@code event_ids}), each
 * unit's variant and metric totals ({@code unit_variants}, {@code unit_totals}), additive per-variant aggregates
 * ({@code variant_counts}, {@code metric_sums}) and the running minimum of each sequential test
 * ({@code sequential_minimums}), so that reading an experiment's statistics touches O(variants x metrics) rows.
 *
 * <p>A batch is one transaction: each id is claimed by an insert that does nothing for a known id, the state of the
 * batch's units is read by key, the events are folded in memory ({@link BatchAggregation}), and the changes go back
 * as batched inserts and upserts, committed durably before {@link #append} returns. Batches are serialized by one
 * lock in this process and by the database across processes ({@link SqlDatabase#beginWrite()}).
 */
@ConsumerType
public abstract class SqlExperimentEventStore implements ExperimentEventStore, AutoCloseable {
    /** Units per query when the batch's unit state is read. */
    private static final int UNITS_PER_QUERY = 100;

    private static final String ADD_VARIANT_COUNTS = """
            INSERT INTO variant_counts VALUES (?, ?, ?, ?, ?) ON CONFLICT (experiment, variant) DO UPDATE SET
              units = variant_counts.units + excluded.units, exposures = variant_counts.exposures + excluded.exposures,
              conflicts = variant_counts.conflicts + excluded.conflicts""";
    private static final String ADD_METRIC_SUMS = """
            INSERT INTO metric_sums VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (experiment, variant, metric) DO UPDATE SET
              total_sum = metric_sums.total_sum + excluded.total_sum,
              sum_squares = metric_sums.sum_squares + excluded.sum_squares,
              successes = metric_sums.successes + excluded.successes""";
    private static final String AGGREGATES = """
            SELECT v.variant, v.units, v.exposures, v.conflicts, m.metric, m.total_sum, m.sum_squares, m.successes
            FROM variant_counts v LEFT JOIN metric_sums m ON m.experiment = v.experiment AND m.variant = v.variant
            WHERE v.experiment = ? ORDER BY v.variant, m.metric""";
    private static final String RECORD_MINIMUM = """
            INSERT INTO sequential_minimums VALUES (?, ?, ?) ON CONFLICT (experiment, arm) DO UPDATE SET p_value =
              CASE WHEN excluded.p_value < sequential_minimums.p_value THEN excluded.p_value
                   ELSE sequential_minimums.p_value END
            RETURNING p_value""";

    private final SqlDatabase database;
    private final ReentrantLock writeLock = new ReentrantLock();

    /** @param database opened, with the event tables migrated to the latest version */
    protected SqlExperimentEventStore(SqlDatabase database) {
        this.database = database;
    }

    /** The database, for a backup ({@link SqlBackup}). */
    SqlDatabase database() {
        return database;
    }

    @Override
    public List<Outcome> append(List<ExperimentEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        return write("store a batch", writer -> appendInTransaction(writer, events));
    }

    @Override
    public double recordSequentialPValue(String experiment, String arm, double pValue) {
        return write("record a p-value", writer -> {
            try (PreparedStatement upsert = writer.prepareStatement(RECORD_MINIMUM)) {
                upsert.setString(1, experiment);
                upsert.setString(2, arm);
                upsert.setDouble(3, pValue);
                try (ResultSet rows = upsert.executeQuery()) {
                    rows.next();
                    return rows.getDouble(1);
                }
            }
        });
    }

    /** Runs {@code transaction} on a write connection under the write lock and commits it durably. */
    private <T> T write(String what, SqlDatabase.Query<T> transaction) {
        writeLock.lock();
        try {
            Connection writer = database.beginWrite();
            try {
                T result = transaction.run(writer);
                database.commit(writer);
                return result;
            } catch (SQLException | RuntimeException e) {
                throw database.failed(writer, what, e);
            } finally {
                database.endWrite(writer);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private static List<Outcome> appendInTransaction(Connection writer, List<ExperimentEvent> events)
            throws SQLException {
        List<Outcome> outcomes = new ArrayList<>(events.size());
        Map<String, List<ExperimentEvent>> fresh = new LinkedHashMap<>();
        int[] inserted;
        try (PreparedStatement claim = writer.prepareStatement(
                "INSERT INTO event_ids VALUES (?) ON CONFLICT (id) DO NOTHING")) {
            for (ExperimentEvent event : events) {
                claim.setString(1, event.id());
                claim.addBatch();
            }
            // one statement's round trip for the whole batch, with a row count per event, in order
            inserted = claim.executeBatch();
        }
        for (int i = 0; i < events.size(); i++) {
            ExperimentEvent event = events.get(i);
            // one row inserted: the id is new; none: it is known, from an earlier batch or this one
            if (inserted[i] == 1) {
                outcomes.add(Outcome.ACCEPTED);
                fresh.computeIfAbsent(event.experiment(), e -> new ArrayList<>()).add(event);
            } else {
                outcomes.add(Outcome.DUPLICATE);
            }
        }
        for (Map.Entry<String, List<ExperimentEvent>> experiment : fresh.entrySet()) {
            aggregate(writer, experiment.getKey(), experiment.getValue());
        }
        return outcomes;
    }

    /** Folds one experiment's new events into its unit state and aggregates. */
    private static void aggregate(Connection writer, String experiment, List<ExperimentEvent> events)
            throws SQLException {
        Set<String> units = new LinkedHashSet<>();
        events.forEach(event -> units.add(event.unit()));
        Map<String, String> assignments = new HashMap<>();
        forEachRowOfUnits(writer, "SELECT unit, variant FROM unit_variants", units, experiment,
                rows -> assignments.put(rows.getString(1), rows.getString(2)));
        Map<String, Map<String, Double>> totals = new HashMap<>();
        forEachRowOfUnits(writer, "SELECT unit, metric, total FROM unit_totals", units, experiment,
                rows -> totals.computeIfAbsent(rows.getString(1), u -> new HashMap<>())
                        .put(rows.getString(2), rows.getDouble(3)));
        BatchAggregation batch = new BatchAggregation(assignments, totals);
        batch.apply(events);
        writeChanges(writer, experiment, batch);
    }

    /**
     * Runs {@code select} for the experiment's rows of the given units, {@value #UNITS_PER_QUERY} units per query,
     * and hands each row to {@code row}.
     */
    private static void forEachRowOfUnits(Connection writer, String select, Set<String> units, String experiment,
                                          RowReader row) throws SQLException {
        List<String> all = new ArrayList<>(units);
        for (int from = 0; from < all.size(); from += UNITS_PER_QUERY) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + UNITS_PER_QUERY));
            String sql = select + " WHERE experiment = ? AND unit IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement query = writer.prepareStatement(sql)) {
                query.setString(1, experiment);
                for (int i = 0; i < chunk.size(); i++) {
                    query.setString(i + 2, chunk.get(i));
                }
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

    private static void writeChanges(Connection writer, String experiment, BatchAggregation batch)
            throws SQLException {
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
        try (PreparedStatement statement = writer.prepareStatement(
                "INSERT INTO unit_totals (experiment, unit, metric, total) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<UnitMetric, Double> total : batch.newTotals().entrySet()) {
                statement.setString(1, experiment);
                statement.setString(2, total.getKey().unit());
                statement.setString(3, total.getKey().metric());
                statement.setDouble(4, total.getValue());
                statement.addBatch();
            }
            statement.executeBatch();
        }
        try (PreparedStatement statement = writer.prepareStatement(
                "UPDATE unit_totals SET total = ? WHERE experiment = ? AND unit = ? AND metric = ?")) {
            for (Map.Entry<UnitMetric, Double> total : batch.changedTotals().entrySet()) {
                statement.setDouble(1, total.getValue());
                statement.setString(2, experiment);
                statement.setString(3, total.getKey().unit());
                statement.setString(4, total.getKey().metric());
                statement.addBatch();
            }
            statement.executeBatch();
        }
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

    /** Shuts the database down once any batch under way has finished. */
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
