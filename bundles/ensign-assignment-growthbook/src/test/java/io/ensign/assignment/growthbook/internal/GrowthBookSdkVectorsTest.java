package io.ensign.assignment.growthbook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.assignment.PartialAssignmentStrategy;

import org.junit.jupiter.api.Test;

/**
 * Checks both strategies against growthbook-vectors.jsonl, written by src/test/fixtures/growthbook-vectors.mjs
 * with GrowthBook's own JavaScript SDK (@growthbook/growthbook 1.8.0): 4,000 random experiments (seed, unit,
 * weights, a quarter with a coverage, hash version 1 or 2) with the variation {@code GrowthBook.run} chose, and
 * 1,000 rollout rules (one forced value, a coverage) with whether {@code evalFeature} served the value, a
 * quarter of them with the coverage exactly at the unit's hash.
 */
class GrowthBookSdkVectorsTest {
    private final Map<Integer, PartialAssignmentStrategy> byVersion =
            Map.of(1, new GrowthBookV1Assignment(), 2, new GrowthBookV2Assignment());

    @Test
    void everyUnitGetsTheVariationGrowthBooksSdkGaveIt() throws IOException {
        Map<Integer, Integer> outcomes = new HashMap<>();
        int lines = 0;
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = getClass().getResourceAsStream("/growthbook-vectors.jsonl");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonNode vector = json.readTree(line);
                double[] weights = new double[vector.get("weights").size()];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = vector.get("weights").get(i).doubleValue();
                }
                int expected = vector.get("variation").intValue();
                PartialAssignmentStrategy strategy = byVersion.get(vector.get("hashVersion").intValue());
                String seed = vector.get("seed").textValue();
                String unit = vector.get("unit").textValue();
                int actual = vector.has("coverage")
                        ? strategy.assign(seed, unit, weights, vector.get("coverage").doubleValue())
                        : strategy.assign(seed, unit, weights);
                assertEquals(expected, actual, line);
                outcomes.merge(actual, 1, Integer::sum);
                lines++;
            }
        }
        assertEquals(5_000, lines);
        assertTrue(outcomes.get(AssignmentStrategy.UNASSIGNED) > 500 && outcomes.containsKey(4), outcomes.toString());
    }

    @Test
    void anEmptyUnitIsInNoVariationAsGrowthBookSkipsAnEmptyHashAttribute() {
        assertEquals(AssignmentStrategy.UNASSIGNED, new GrowthBookV2Assignment().assign("s", "", new double[] {0.5, 0.5}));
    }

    @Test
    void relativeWeightsOutsideGrowthBooksRangeAreDividedByTheirSum() {
        GrowthBookV2Assignment v2 = new GrowthBookV2Assignment();
        for (int i = 0; i < 2_000; i++) {
            String unit = "u" + i;
            assertEquals(v2.assign("seed", unit, new double[] {0.2, 0.8}), v2.assign("seed", unit, new double[] {20, 80}));
        }
    }
}
