package io.ensign.stats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

import io.ensign.api.stats.StatisticalTest;

/**
 * The guardrail's one-sided error rates by seeded simulation of an error-rate metric (lower is better, 2 % in
 * control, 10 000 units per arm): with no change it raises a false alarm at alpha; a real rise of half a point is
 * caught as often as the normal power calculation (Commons Math) says; a real fall is never called harmful.
 * docs/statistics.md quotes the figures.
 */
class GuardrailSimulationTest {
    private static final int EXPERIMENTS = 4000;
    private static final int UNITS = 10_000;
    private final StatisticalTest guardrail = new GuardrailTest();

    private double harmfulRate(RandomGenerator random, double controlRate, double treatmentRate) {
        int harmful = 0;
        for (int i = 0; i < EXPERIMENTS; i++) {
            int control = new BinomialDistribution(random, UNITS, controlRate).sample();
            int treatment = new BinomialDistribution(random, UNITS, treatmentRate).sample();
            Map<String, Object> output = guardrail.compute(Map.of("control", Map.of("n", UNITS, "successes", control),
                    "treatment", Map.of("n", UNITS, "successes", treatment), "direction", "lower-is-better"));
            harmful += Boolean.TRUE.equals(output.get("harmful")) ? 1 : 0;
        }
        return (double) harmful / EXPERIMENTS;
    }

    /**
     * The results document shows the guardrail check at every look; with no change, how often does it say
     * harmful at some look of 20 (500 units per arm each)? More than alpha, as for any fixed-horizon test repeated.
     */
    @Test
    void checkingAtEveryLookRaisesMoreFalseAlarmsThanAlpha() {
        RandomGenerator random = new Well19937c(20261208);
        int runs = 1000;
        int looks = 20;
        int everHarmful = 0;
        for (int run = 0; run < runs; run++) {
            int control = 0;
            int treatment = 0;
            boolean harmful = false;
            for (int look = 1; look <= looks; look++) {
                control += new BinomialDistribution(random, 500, 0.02).sample();
                treatment += new BinomialDistribution(random, 500, 0.02).sample();
                harmful |= Boolean.TRUE.equals(guardrail.compute(Map.of(
                        "control", Map.of("n", 500 * look, "successes", control),
                        "treatment", Map.of("n", 500 * look, "successes", treatment),
                        "direction", "lower-is-better")).get("harmful"));
            }
            everHarmful += harmful ? 1 : 0;
        }
        double rate = (double) everHarmful / runs;
        System.out.printf("guardrail checked at each of %d looks, no change: harmful at some look in %.4f%n", looks, rate);
        assertTrue(rate > 0.08, "repeated one-sided checks exceed alpha: " + rate);
    }

    @Test
    void falseAlarmsAtAlphaAndRealHarmCaught() {
        RandomGenerator random = new Well19937c(20261207);
        double unchanged = harmfulRate(random, 0.02, 0.02);
        double worse = harmfulRate(random, 0.02, 0.025);
        double better = harmfulRate(random, 0.02, 0.015);
        // power of a one-sided 5 % z-test against the true rise, from the true rates' standard error
        double standardError = Math.sqrt((0.02 * 0.98 + 0.025 * 0.975) / UNITS);
        NormalDistribution normal = new NormalDistribution();
        double power = 1 - normal.cumulativeProbability(normal.inverseCumulativeProbability(0.95) - 0.005 / standardError);
        System.out.printf("guardrail, error rate 2 %%, %d units per arm, %d experiments each: harmful in %.4f when "
                + "unchanged, %.4f at 2.5 %% (power %.4f), %.4f at 1.5 %%%n", UNITS, EXPERIMENTS, unchanged, worse,
                power, better);
        // the Monte Carlo error of a 5 % rate over 4000 runs is about 0.0035
        assertEquals(0.05, unchanged, 0.015, "one-sided false alarms at alpha");
        assertEquals(power, worse, 0.03, "a rise of half a point is caught at the test's power");
        assertTrue(better < 0.001, "an improvement is never harm: " + better);
    }
}
