package io.ensign.api.experiment;

import java.time.Instant;
import java.util.Objects;

/**
 * A unit saw a variant of an experiment. A unit belongs to the variant of its first exposure; a later exposure to
 * another variant is counted as a conflict and does not move the unit.
 */
public record ExposureEvent(String id, String experiment, String unit, String variant, Instant timestamp)
        implements ExperimentEvent {
    public ExposureEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
