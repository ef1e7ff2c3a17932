package io.ensign.api.experiment;

import java.util.Locale;
import java.util.Objects;

/**
 * A metric an experiment measures. A unit's value of the metric is the sum of the values of its metric events,
 * 0 when it has none.
 *
 * @param name the metric's name, as metric events carry it
 * @param kind how the per-unit values are compared between variants
 */
public record Metric(String name, Kind kind) {
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

    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
