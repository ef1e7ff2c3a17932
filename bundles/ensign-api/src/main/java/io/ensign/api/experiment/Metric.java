package io.ensign.api.experiment;

import java.util.Locale;
import java.util.Objects;

/**
 * A metric an experiment measures. A unit's value of the metric is the sum of the values of its metric events,
 * 0 when it has none.
 *
 * @param name      the metric's name, as metric events carry it
 * @param kind      how the per-unit values are compared between variants
 * @param guardrail when not null, the metric must not get worse: a treatment that harms it cannot win
 */
public record Metric(String name, Kind kind, Guardrail guardrail) {
    /** How a metric is analysed. */
    public enum Kind {
        /** Compared by the mean of per-unit values ({@code welch-t}). */
        MEAN,
        /** A unit is a success when its value is above 0; compared by success rate ({@code two-proportion-z}). */
        PROPORTION;

        /** The lowercase name used in JSON, e.g. {@code proportion}. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind of a JSON name, null when there is none of that name. */
        public static Kind fromJsonName(String name) {
            for (Kind kind : values()) {
                if (kind.jsonName().equals(name)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /**
     * What makes a metric a guardrail, checked one-sided by the {@code guardrail} test.
     *
     * @param lowerIsBetter true for metrics such as errors or latency, false (higher is better) for revenue
     * @param margin        the harm tolerated, in the metric's units (0 or more)
     */
    public record Guardrail(boolean lowerIsBetter, double margin) {
        /** The {@code direction} word of JSON and of the {@code guardrail} test. */
        public String direction() {
            return lowerIsBetter ? "lower-is-better" : "higher-is-better";
        }
    }

    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    /** A metric that is no guardrail. */
    public Metric(String name, Kind kind) {
        this(name, kind, null);
    }
}
