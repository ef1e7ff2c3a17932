package io.ensign.assignment.unleash.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.getunleash.engine.Context;
import io.ensign.testing.data.RandomInputs;
import io.getunleash.engine.UnleashEngine;

import org.junit.jupiter.api.Test;

/**
 * Runs Unleash's own evaluation engine (Yggdrasil, io.getunleash:yggdrasil-engine 0.5.1, the engine
 * unleash-client-java 12 and Unleash's other current SDKs evaluate with) beside the strategies: random
 * features (group id, rollout percentage, stickiness, variant weights) are loaded into the engine as
 * Unleash's client API serves them, then random units are evaluated by both.
 */
class UnleashEngineComparisonTest {
    private static final int FEATURES = 400;
    private static final int UNITS_PER_FEATURE = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Random random = new Random(20261203);
    private final UnleashRolloutAssignment rollout = new UnleashRolloutAssignment();
    private final UnleashVariantAssignment variants = new UnleashVariantAssignment();

    @Test
    void gradualRolloutEnablesExactlyTheUnitsUnleashEnables() throws Exception {
        String[] groups = new String[FEATURES];
        int[] percentages = new int[FEATURES];
        ObjectNode state = state();
        for (int f = 0; f < FEATURES; f++) {
            groups[f] = text();
            percentages[f] = random.nextInt(101);
            flexibleRollout(feature(state, "f" + f), percentages[f], groups[f], "userId");
        }
        UnleashEngine engine = engine(state);
        int enabled = 0;
        for (int f = 0; f < FEATURES; f++) {
            for (int u = 0; u < UNITS_PER_FEATURE; u++) {
                String unit = text();
                boolean expected = engine.isEnabled("f" + f, user(unit)).value;
                int p = percentages[f];
                boolean actual = rollout.assign(groups[f], unit, new double[] {p, 100 - p}) == 0;
                String where = groups[f] + ":" + unit + " at " + p + "%";
                assertEquals(expected, actual, where);
                enabled += actual ? 1 : 0;
            }
        }
        // Percentages are uniform on 0..100, so about half of all units are enabled: both branches ran.
        assertEquals(0.5, enabled / (double) (FEATURES * UNITS_PER_FEATURE), 0.03);
    }

    @Test
    void stickinessOnACustomFieldHashesThatFieldsValue() throws Exception {
        ObjectNode state = state();
        flexibleRollout(feature(state, "by-account"), 30, "billing", "accountId");
        UnleashEngine engine = engine(state);
        for (int u = 0; u < 2_000; u++) {
            String account = text();
            Context context = user("ignored");
            context.setProperties(Map.of("accountId", account));
            assertEquals(engine.isEnabled("by-account", context).value,
                    rollout.assign("billing", account, new double[] {30, 70}) == 0, account);
        }
    }

    /**
     * Feature variants are grouped by the feature's name, a strategy's variants by the strategy's
     * {@code groupId}: both hash {@code groupId:unit} with the variant seed.
     */
    @Test
    void variantSelectionPicksUnleashsVariantForFeatureAndStrategyVariants() throws Exception {
        String[] groups = new String[FEATURES];
        double[][] weights = new double[FEATURES][];
        ObjectNode state = state();
        for (int f = 0; f < FEATURES; f++) {
            boolean strategyVariants = f % 2 == 0;
            String name = "v" + f + "-" + text();
            groups[f] = strategyVariants ? text() : name;
            weights[f] = RandomInputs.wholeWeights(random, 1, 5, 1000);
            ObjectNode feature = feature(state, name);
            // The strategy's group id of a feature with feature variants differs from its name, and must not count.
            ObjectNode strategy = flexibleRollout(feature, 100, strategyVariants ? groups[f] : text(), "default");
            ArrayNode list = strategyVariants ? strategy.putArray("variants") : feature.putArray("variants");
            for (int v = 0; v < weights[f].length; v++) {
                list.addObject().put("name", "v" + v).put("weight", (int) weights[f][v]).put("stickiness", "default")
                        .put("weightType", "variable");
            }
        }
        UnleashEngine engine = engine(state);
        int[] picked = new int[5];
        for (int f = 0; f < FEATURES; f++) {
            String name = state.get("features").get(f).get("name").textValue();
            for (int u = 0; u < UNITS_PER_FEATURE; u++) {
                String unit = text();
                String expected = engine.getVariant(name, user(unit)).value.getName();
                int actual = variants.assign(groups[f], unit, weights[f]);
                double[] w = weights[f];
                assertEquals(expected, "v" + actual, () -> name + " " + unit + " " + Arrays.toString(w));
                picked[actual]++;
            }
        }
        assertTrue(Arrays.stream(picked).allMatch(n -> n > 0), Arrays.toString(picked));
    }

    @Test
    void variantWeightsMustBeWholeNumbers() {
        assertThrows(IllegalArgumentException.class, () -> variants.assign("g", "u", new double[] {33.3, 66.7}));
        assertThrows(IllegalArgumentException.class, () -> variants.assign("g", "u", new double[] {0, 0}));
    }

    private static ObjectNode state() {
        ObjectNode state = JSON.createObjectNode().put("version", 2);
        state.putArray("features");
        return state;
    }

    private static ObjectNode feature(ObjectNode state, String name) {
        ObjectNode feature = ((ArrayNode) state.get("features")).addObject().put("name", name).put("enabled", true);
        feature.putArray("strategies");
        return feature;
    }

    private static ObjectNode flexibleRollout(ObjectNode feature, int percentage, String groupId, String stickiness) {
        ObjectNode strategy = ((ArrayNode) feature.get("strategies")).addObject().put("name", "flexibleRollout");
        strategy.putObject("parameters").put("rollout", Integer.toString(percentage)).put("groupId", groupId)
                .put("stickiness", stickiness);
        return strategy;
    }

    private static UnleashEngine engine(ObjectNode state) throws Exception {
        UnleashEngine engine = new UnleashEngine();
        engine.takeState(JSON.writeValueAsString(state));
        return engine;
    }

    private static Context user(String userId) {
        Context context = new Context();
        context.setUserId(userId);
        return context;
    }


    private String text() {
        return RandomInputs.text(random, 16);
    }
}
