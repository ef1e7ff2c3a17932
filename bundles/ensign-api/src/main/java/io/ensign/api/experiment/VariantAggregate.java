package io.ensign.api.experiment;

import java.util.Map;

/**
 * What is known of one variant of an experiment.
 *
 * @param units     units assigned to the variant (by their first exposure)
 * @param exposures exposure events for the variant, repeated exposures of a unit included
 * @param conflicts exposures of units already assigned to another variant (they did not move the unit)
 * @param metrics   metric name to its aggregate, for the metrics that have events in this variant
 */
public record VariantAggregate(long units, long exposures, long conflicts, Map<String, MetricAggregate> metrics) {
    public VariantAggregate {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** The aggregate of a metric; a metric without events has every unit at 0. */
    public MetricAggregate metric(String name) {
        MetricAggregate found = metrics.get(name);
        return found != null ? found : new MetricAggregate(units, 0, 0, 0);
    }
}
