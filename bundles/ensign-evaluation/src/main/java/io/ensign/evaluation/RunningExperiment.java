package io.ensign.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What evaluation needs of a running experiment: its flag and environment, and the split of units between
 * variants, salted by the experiment key so that every node and client assign alike.
 */
public record RunningExperiment(String key, String flag, String environment, Map<String, Double> weights) {
    private static final String RUNNING = "running";

    /** The experiment in a stored document, or null when it is not running or not usable. */
    public static RunningExperiment fromJson(String key, JsonNode node) {
        if (!RUNNING.equals(node.path("status").asText()) || !node.path("flag").isTextual()
                || !node.path("environment").isTextual() || !node.path("weights").isObject()) {
            return null;
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        node.get("weights").fields().forEachRemaining(e -> {
            if (e.getValue().isNumber() && e.getValue().doubleValue() >= 0) {
                weights.put(e.getKey(), e.getValue().doubleValue());
            }
        });
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        return total > 0 ? new RunningExperiment(key, node.get("flag").textValue(),
                node.get("environment").textValue(), java.util.Collections.unmodifiableMap(weights)) : null;
    }
}
