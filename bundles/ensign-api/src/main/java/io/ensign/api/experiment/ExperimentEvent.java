package io.ensign.api.experiment;

import java.time.Instant;

/** One validated event of an experiment: an exposure or a metric value. Idempotent by {@link #id()}. */
public sealed interface ExperimentEvent permits ExposureEvent, MetricEvent {
    /** The event's id, unique across all events; a second event with the same id is a duplicate. */
    String id();

    /** The experiment key. */
    String experiment();

    /** The unit (user, session...) the event is about. */
    String unit();

    /** When the event happened, as the client says. */
    Instant timestamp();
}
