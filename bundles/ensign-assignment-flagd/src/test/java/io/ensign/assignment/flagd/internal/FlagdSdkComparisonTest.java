package io.ensign.assignment.flagd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;

import dev.openfeature.contrib.providers.flagd.resolver.process.targeting.Operator;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import io.ensign.testing.data.RandomInputs;

import org.junit.jupiter.api.Test;

/**
 * Runs flagd's own targeting evaluator (the JsonLogic {@code fractional} operator of the OpenFeature
 * Java provider dev.openfeature.contrib.providers:flagd 0.11.15, evaluated in process) beside the strategy
 * on random flag keys, units and weights, and asks for the same variant every time.
 */
class FlagdSdkComparisonTest {
    private static final int ROUNDS = 10_000;

    private final Random random = new Random(20261203);
    private final Operator flagd = new Operator();
    private final FlagdFractionalAssignment fractional = new FlagdFractionalAssignment();

    @Test
    void theDefaultBucketingKeyFlagKeyPlusTargetingKeyGivesFlagdsVariant() throws Exception {
        int[] chosen = new int[5];
        for (int i = 0; i < ROUNDS; i++) {
            String flagKey = "flag-" + random.nextInt(1000);
            String unit = text();
            double[] weights = weights();
            Object expected = flagd.apply(flagKey, rule(null, weights), new ImmutableContext(unit));
            int actual = fractional.assign(flagKey, unit, weights);
            assertEquals(expected, "v" + actual, () -> flagKey + unit + " " + Arrays.toString(weights));
            chosen[actual]++;
        }
        assertTrue(Arrays.stream(chosen).allMatch(n -> n > 0), Arrays.toString(chosen));
    }

    @Test
    void aCustomBucketingExpressionIsTheUnitWithAnEmptySalt() throws Exception {
        for (int i = 0; i < 5_000; i++) {
            String email = text() + "@example.com";
            double[] weights = weights();
            Object expected = flagd.apply("any-flag", rule("email", weights),
                    new ImmutableContext("someone", Map.of("email", new Value(email))));
            assertEquals(expected, "v" + fractional.assign("", email, weights), email);
        }
    }

    @Test
    void fractionalWeightsAreRefusedAsFlagdWeighsInIntegers() {
        assertThrows(IllegalArgumentException.class, () -> fractional.assign("f", "u", new double[] {0.5, 0.5}));
    }

    /** {@code {"fractional": [bucketing?, ["v0", w0], ...]}}, bucketing by the attribute when one is given. */
    private static String rule(String attribute, double[] weights) {
        StringJoiner args = new StringJoiner(",", "{\"fractional\":[", "]}");
        if (attribute != null) {
            args.add("{\"var\":\"" + attribute + "\"}");
        }
        for (int v = 0; v < weights.length; v++) {
            args.add("[\"v" + v + "\"," + (int) weights[v] + "]");
        }
        return args.toString();
    }

    /** flagd answers null (the flag's default) for one variant without a bucketing expression: two or more. */
    private double[] weights() {
        return RandomInputs.wholeWeights(random, 2, 5, 100);
    }

    private String text() {
        return RandomInputs.text(random, 16);
    }
}
