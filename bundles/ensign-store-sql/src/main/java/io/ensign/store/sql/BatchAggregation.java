package io.ensign.store.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExposureEvent;
import io.ensign.api.experiment.MetricEvent;

/**
 * Applies one batch of new (already deduplicated) events of one experiment to the per-unit state they touch and
 * collects what changes: new unit assignments, new unit totals and additive deltas of the per-variant aggregates.
 * Pure and in memory, so the store turns a batch into a handful of batched statements. Not thread-safe.
 */
final class BatchAggregation {
    private final Map<String, String> assignments;
    private final Map<String, Map<String, Double>> totals;
    private final Map<String, String> newAssignments = new LinkedHashMap<>();
    private final Map<UnitMetric, Double> changedTotals = new LinkedHashMap<>();
    private final Map<UnitMetric, Double> newTotals = new LinkedHashMap<>();
    private final Map<String, VariantDelta> variantDeltas = new LinkedHashMap<>();
    private final Map<VariantMetric, MetricDelta> metricDeltas = new LinkedHashMap<>();

    /**
     * @param assignments unit to variant, as stored, for the units of the batch
     * @param totals      unit to its totals per metric, as stored, for the units of the batch; taken over
     */
    BatchAggregation(Map<String, String> assignments, Map<String, Map<String, Double>> totals) {
        this.assignments = new HashMap<>(assignments);
        this.totals = totals;
    }

    /** Applies the events in order. */
    void apply(List<? extends ExperimentEvent> events) {
        for (ExperimentEvent event : events) {
            if (event instanceof ExposureEvent exposure) {
                expose(exposure.unit(), exposure.variant());
            } else if (event instanceof MetricEvent metric) {
                add(metric.unit(), metric.metric(), metric.value());
            }
        }
    }

    private void expose(String unit, String variant) {
        VariantDelta delta = variantDelta(variant);
        delta.exposures++;
        String assigned = assignments.get(unit);
        if (assigned != null) {
            if (!assigned.equals(variant)) {
                delta.conflicts++;
            }
            return;
        }
        assignments.put(unit, variant);
        newAssignments.put(unit, variant);
        delta.units++;
        // metric events that arrived before the exposure count from now on
        totals.getOrDefault(unit, Map.of()).forEach((metric, total) -> metricDelta(variant, metric).add(0, total));
    }

    private void add(String unit, String metric, double value) {
        Map<String, Double> unitTotals = totals.computeIfAbsent(unit, u -> new HashMap<>());
        Double stored = unitTotals.get(metric);
        double before = stored == null ? 0 : stored;
        double after = before + value;
        unitTotals.put(metric, after);
        UnitMetric key = new UnitMetric(unit, metric);
        if (stored == null || newTotals.containsKey(key)) {
            newTotals.put(key, after);
        } else {
            changedTotals.put(key, after);
        }
        String variant = assignments.get(unit);
        if (variant != null) {
            metricDelta(variant, metric).add(before, after);
        }
    }

    private VariantDelta variantDelta(String variant) {
        return variantDeltas.computeIfAbsent(variant, v -> new VariantDelta());
    }

    private MetricDelta metricDelta(String variant, String metric) {
        return metricDeltas.computeIfAbsent(new VariantMetric(variant, metric), k -> new MetricDelta());
    }

    /** Units assigned by this batch, unit to variant. */
    Map<String, String> newAssignments() {
        return newAssignments;
    }

    /** Unit totals that existed before this batch and that it changed, with their new values. */
    Map<UnitMetric, Double> changedTotals() {
        return changedTotals;
    }

    /** Unit totals this batch created, with their values. */
    Map<UnitMetric, Double> newTotals() {
        return newTotals;
    }

    /** Per variant: units, exposures and conflicts to add. */
    Map<String, VariantDelta> variantDeltas() {
        return variantDeltas;
    }

    /** Per variant and metric: sum, sum of squares and successes to add. */
    List<Map.Entry<VariantMetric, MetricDelta>> metricDeltas() {
        return new ArrayList<>(metricDeltas.entrySet());
    }

    /** A unit's total of one metric. */
    record UnitMetric(String unit, String metric) {
    }

    /** One metric of one variant. */
    record VariantMetric(String variant, String metric) {
    }

    /** Counts to add to one variant. */
    static final class VariantDelta {
        long units;
        long exposures;
        long conflicts;
    }

    /** Sums to add to one metric of one variant. */
    static final class MetricDelta {
        double sum;
        double sumOfSquares;
        long successes;

        /** A unit's total moved from {@code before} to {@code after}. */
        void add(double before, double after) {
            sum += after - before;
            sumOfSquares += after * after - before * before;
            successes += (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
        }
    }
}
