package io.ensign.experiments.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.api.experiment.ExposureEvent;
import io.ensign.api.experiment.MetricEvent;

/**
 * Turns one posted event (a JSON-shaped map) into an {@link ExperimentEvent}, or says why it cannot be one.
 * Events are taken while their experiment runs and, for late arrivals, while it is analysed. A missing
 * {@code timestamp} means now; a given one is an ISO-8601 instant or epoch milliseconds.
 */
final class RawEventReader {
    static final int MAX_TEXT = 256;

    private final Function<String, Optional<Experiment>> experiments;
    private final Instant now;

    RawEventReader(Function<String, Optional<Experiment>> experiments, Instant now) {
        this.experiments = experiments;
        this.now = now;
    }

    /** An event or a rejection message, never both. */
    record Read(ExperimentEvent event, String rejection) {
    }

    Read read(Object raw) {
        if (!(raw instanceof Map<?, ?> fields)) {
            return rejected("an event must be an object");
        }
        String id = text(fields, "id");
        String type = text(fields, "type");
        String key = text(fields, "experiment");
        String unit = text(fields, "unit");
        for (Map.Entry<String, String> required : Map.of("id", nullToEmpty(id), "type", nullToEmpty(type),
                "experiment", nullToEmpty(key), "unit", nullToEmpty(unit)).entrySet()) {
            if (required.getValue().isEmpty()) {
                return rejected("'" + required.getKey() + "' must be a non-empty string of at most " + MAX_TEXT
                        + " characters");
            }
        }
        Instant timestamp = timestamp(fields.get("timestamp"));
        if (timestamp == null) {
            return rejected("'timestamp' must be an ISO-8601 instant or epoch milliseconds");
        }
        Optional<Experiment> found = experiments.apply(key);
        if (found.isEmpty()) {
            return rejected("experiment '" + key + "' does not exist");
        }
        Experiment experiment = found.get();
        if (experiment.status() != ExperimentStatus.RUNNING && experiment.status() != ExperimentStatus.ANALYSING) {
            return rejected("experiment '" + key + "' is " + experiment.status().jsonName()
                    + "; it takes events while running or analysing");
        }
        return switch (type) {
            case "exposure" -> exposure(fields, id, experiment, unit, timestamp);
            case "metric" -> metric(fields, id, experiment, unit, timestamp);
            default -> rejected("'type' must be exposure or metric");
        };
    }

    private static Read exposure(Map<?, ?> fields, String id, Experiment experiment, String unit, Instant timestamp) {
        String variant = text(fields, "variant");
        if (variant == null || !experiment.weights().containsKey(variant)) {
            return rejected("'variant' must be one of the variants of experiment '" + experiment.key() + "': "
                    + experiment.weights().keySet());
        }
        return new Read(new ExposureEvent(id, experiment.key(), unit, variant, timestamp), null);
    }

    private static Read metric(Map<?, ?> fields, String id, Experiment experiment, String unit, Instant timestamp) {
        String metric = text(fields, "metric");
        if (metric == null || experiment.metric(metric) == null) {
            return rejected("'metric' must be one of the metrics of experiment '" + experiment.key() + "'");
        }
        if (!(fields.get("value") instanceof Number value) || !Double.isFinite(value.doubleValue())) {
            return rejected("'value' must be a finite number");
        }
        return new Read(new MetricEvent(id, experiment.key(), metric, unit, value.doubleValue(), timestamp), null);
    }

    private Instant timestamp(Object value) {
        if (value == null) {
            return now;
        }
        if (value instanceof Long || value instanceof Integer) {
            return Instant.ofEpochMilli(((Number) value).longValue());
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static String text(Map<?, ?> fields, String name) {
        return fields.get(name) instanceof String s && s.length() <= MAX_TEXT ? s : null;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static Read rejected(String message) {
        return new Read(null, message);
    }
}
