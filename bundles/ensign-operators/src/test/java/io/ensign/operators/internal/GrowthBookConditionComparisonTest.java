package io.ensign.operators.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ensign.api.operator.EvaluationOperator;

import org.junit.jupiter.api.Test;

/**
 * Checks Ensign's operators against growthbook-conditions.jsonl: 6,600 single-operator conditions on random
 * attributes and what GrowthBook's own JavaScript SDK (@growthbook/growthbook 1.8.0, {@code evalCondition})
 * answered, written by src/test/fixtures/growthbook-conditions.mjs.
 */
class GrowthBookConditionComparisonTest {
    /** GrowthBook's operator, and the Ensign operator it translates to with whether the condition is negated. */
    private record Translation(Supplier<EvaluationOperator> operator, boolean negate) {
    }

    private static final Map<String, Translation> TRANSLATIONS = Map.ofEntries(
            Map.entry("$veq", new Translation(VersionEqualOperator::new, false)),
            Map.entry("$vne", new Translation(VersionNotEqualOperator::new, false)),
            Map.entry("$vgt", new Translation(VersionGreaterThanOperator::new, false)),
            Map.entry("$vgte", new Translation(VersionGreaterThanOrEqualOperator::new, false)),
            Map.entry("$vlt", new Translation(VersionLessThanOperator::new, false)),
            Map.entry("$vlte", new Translation(VersionLessThanOrEqualOperator::new, false)),
            Map.entry("$eq", new Translation(EqualsOperator::new, false)),
            Map.entry("$ne", new Translation(EqualsOperator::new, true)),
            Map.entry("$regex", new Translation(MatchesOperator::new, false)),
            Map.entry("$in", new Translation(InOperator::new, false)),
            Map.entry("$nin", new Translation(InOperator::new, true)));

    @Test
    void everyConditionIsAnsweredAsGrowthBooksSdkAnsweredIt() throws IOException {
        int compared = 0;
        int missingVersions = 0;
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = getClass().getResourceAsStream("/growthbook-conditions.jsonl");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonNode vector = json.readTree(line);
                String operator = vector.get("operator").textValue();
                Object attribute = vector.has("attribute") ? vector.get("attribute").textValue() : null;
                if (attribute == null && operator.startsWith("$v")) {
                    // GrowthBook orders a missing attribute as version "0"; Ensign's operators, by their
                    // contract, hold for no missing attribute (evaluation.md says so).
                    missingVersions++;
                    continue;
                }
                List<Object> operands = new ArrayList<>();
                JsonNode operand = vector.get("operand");
                if (operand.isArray()) {
                    operand.forEach(o -> operands.add(o.textValue()));
                } else {
                    operands.add(operand.textValue());
                }
                Translation translation = TRANSLATIONS.get(operator);
                boolean actual = translation.operator().get().compile(operands).test(attribute) != translation.negate();
                assertEquals(vector.get("result").booleanValue(), actual, line);
                compared++;
            }
        }
        assertEquals(6_600, compared + missingVersions);
        assertTrue(missingVersions > 100 && compared > 6_000, compared + " compared");
    }
}
