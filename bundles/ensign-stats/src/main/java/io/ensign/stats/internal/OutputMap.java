package io.ensign.stats.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a test's JSON-shaped output. Every number is a {@link Double}; a quantity that is undefined for
 * the input (NaN or infinite, e.g. a statistic over a zero standard error) is written as {@code null},
 * never as NaN, which JSON cannot carry.
 */
final class OutputMap {
    private final Map<String, Object> values = new LinkedHashMap<>();

    OutputMap number(String name, double value) {
        values.put(name, Double.isFinite(value) ? Double.valueOf(value) : null);
        return this;
    }

    /** A yes/no answer, {@code null} when the quantity it rests on is undefined. */
    OutputMap flag(String name, Boolean value) {
        values.put(name, value);
        return this;
    }

    OutputMap object(String name, OutputMap nested) {
        values.put(name, nested.toMap());
        return this;
    }

    Map<String, Object> toMap() {
        return Collections.unmodifiableMap(values);
    }
}
