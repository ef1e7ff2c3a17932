package io.ensign.api.experiment;

import java.time.Instant;
import java.util.Objects;

/** A unit's contribution to a metric; a unit's metric value is the sum of its metric events' values. */
public record MetricEvent(String id, String experiment, String metric, String unit, double value, Instant timestamp)
        implements ExperimentEvent {
    public MetricEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(timestamp, "timestamp");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a metric value must be finite");
        }
    }
}
