package io.ensign.itests.plugins;

import java.util.Map;

import io.ensign.api.stats.InvalidInputException;
import io.ensign.api.stats.StatisticalTest;

/** Version 2 of the swapped statistical test: {@code {"value": a * b}}. */
public final class ProductTest implements StatisticalTest {
    @Override
    public Map<String, Object> compute(Map<String, Object> input) {
        if (input.get("a") instanceof Number a && input.get("b") instanceof Number b) {
            return Map.of("value", a.doubleValue() * b.doubleValue());
        }
        throw new InvalidInputException("/a", "a and b must be numbers");
    }
}
