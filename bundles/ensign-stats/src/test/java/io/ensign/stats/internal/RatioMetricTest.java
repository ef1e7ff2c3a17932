package io.ensign.stats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.StatUtils;
import org.junit.jupiter.api.Test;

import io.ensign.api.stats.StatisticalTest;

/**
 * The ratio metric's delta-method variance against a bootstrap over raw units, and the coverage of its intervals
 * in seeded simulation of revenue per session, where a unit's sessions share its propensity to buy (so sessions
 * are not independent). The true ratio is known: E[revenue]/E[sessions] = buy rate x mean order value.
 * Seeded, so the figures are fixed; docs/statistics.md quotes them.
 */
class RatioMetricTest {
    private static final double ORDER_VALUE = 5;
    private final StatisticalTest ratio = new RatioMetric();
    private final StatisticalTest welch = new WelchTTest();

    /** Per-unit sessions and revenue, and the revenue of every session (for the naive per-session interval). */
    private record Units(double[] sessions, double[] revenue, double[] sessionRevenue) {
        /** Sessions 1 + Poisson(2); each unit buys in a session with its own rate ~ Beta(m, 1 - m), m = buyRate. */
        static Units generate(RandomGenerator random, int n, double buyRate) {
            PoissonDistribution extraSessions = new PoissonDistribution(random, 2, 1e-12, 10_000);
            BetaDistribution propensity = new BetaDistribution(random, buyRate, 1 - buyRate);
            ExponentialDistribution orderValue = new ExponentialDistribution(random, ORDER_VALUE);
            double[] sessions = new double[n];
            double[] revenue = new double[n];
            double[] perSession = new double[n * 20];
            int sessionCount = 0;
            for (int i = 0; i < n; i++) {
                sessions[i] = 1 + extraSessions.sample();
                double rate = propensity.sample();
                for (int s = 0; s < sessions[i]; s++) {
                    double value = random.nextDouble() < rate ? orderValue.sample() : 0;
                    revenue[i] += value;
                    if (sessionCount < perSession.length) {
                        perSession[sessionCount++] = value;
                    }
                }
            }
            return new Units(sessions, revenue, Arrays.copyOf(perSession, sessionCount));
        }

        Map<String, Object> sums() {
            double products = 0;
            for (int i = 0; i < sessions.length; i++) {
                products += revenue[i] * sessions[i];
            }
            return Map.of("n", sessions.length, "sumNumerator", StatUtils.sum(revenue),
                    "sumDenominator", StatUtils.sum(sessions), "sumNumeratorSquares", StatUtils.sumSq(revenue),
                    "sumDenominatorSquares", StatUtils.sumSq(sessions), "sumProducts", products);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> arm(Units units, String name) {
        Map<String, Object> output = ratio.compute(Map.of("variants", Map.of(name, units.sums())));
        return (Map<String, Object>) ((Map<String, Object>) output.get("variants")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static double bound(Map<String, Object> arm, String which) {
        return (Double) ((Map<String, Object>) arm.get("ratio")).get(which);
    }

    @Test
    void deltaMethodStandardErrorAgreesWithABootstrapOverUnits() {
        RandomGenerator random = new Well19937c(41);
        Units units = Units.generate(random, 2000, 0.3);
        Map<String, Object> arm = arm(units, "control");
        assertEquals(StatUtils.sum(units.revenue()) / StatUtils.sum(units.sessions()), (Double) arm.get("mean"), 1e-12);

        int resamples = 2000;
        double[] ratios = new double[resamples];
        int n = units.sessions().length;
        for (int b = 0; b < resamples; b++) {
            double revenue = 0;
            double sessions = 0;
            for (int i = 0; i < n; i++) {
                int unit = random.nextInt(n);
                revenue += units.revenue()[unit];
                sessions += units.sessions()[unit];
            }
            ratios[b] = revenue / sessions;
        }
        double bootstrap = Math.sqrt(StatUtils.variance(ratios));
        double delta = (Double) arm.get("standardError");
        System.out.printf("ratio %.4f: delta-method standard error %.5f, bootstrap over units %.5f%n",
                arm.get("mean"), delta, bootstrap);
        // the bootstrap's own error with 2000 resamples is about 1.6 %
        assertEquals(bootstrap, delta, 0.06 * bootstrap);
        assertEquals(delta * delta * n, (Double) arm.get("variance"), 1e-9 * (Double) arm.get("variance"));
    }

    @Test
    void intervalsCoverTheTrueRatioAndDifferenceAtTheNominalRate() {
        int experiments = 2000;
        int n = 500;
        double controlTruth = 0.3 * ORDER_VALUE;
        double treatmentTruth = 0.33 * ORDER_VALUE;
        RandomGenerator random = new Well19937c(20261206);
        // experiments whose interval covered the truth: control's ratio, the difference, the naive per-session mean
        int[] covered = new int[3];
        for (int experiment = 0; experiment < experiments; experiment++) {
            Units control = Units.generate(random, n, 0.3);
            Units treatment = Units.generate(random, n, 0.33);
            Map<String, Object> controlArm = arm(control, "control");
            covered[0] += bound(controlArm, "lower") <= controlTruth && controlTruth <= bound(controlArm, "upper") ? 1 : 0;
            @SuppressWarnings("unchecked")
            Map<String, Object> difference = (Map<String, Object>) welch.compute(Map.of("control", controlArm,
                    "treatment", arm(treatment, "treatment"))).get("difference");
            double truth = treatmentTruth - controlTruth;
            covered[1] += (Double) difference.get("lower") <= truth && truth <= (Double) difference.get("upper")
                    ? 1 : 0;
            // sessions as if independent: the per-session mean with its per-session standard error
            double[] sessions = control.sessionRevenue();
            double naiveHalfWidth = 1.959963984540054 * Math.sqrt(StatUtils.variance(sessions) / sessions.length);
            covered[2] += Math.abs(StatUtils.mean(sessions) - controlTruth) <= naiveHalfWidth ? 1 : 0;
        }
        double[] rates = Arrays.stream(covered).mapToDouble(count -> (double) count / experiments).toArray();
        System.out.printf("revenue per session, %d experiments x %d units per arm, 95 %% intervals: ratio covers %.4f, "
                + "difference (welch-t on ratio arms) %.4f, naive per-session interval %.4f%n",
                experiments, n, rates[0], rates[1], rates[2]);
        // the Monte Carlo error of a 95 % coverage over 2000 runs is about 0.005
        assertEquals(0.95, rates[0], 0.015, "control's ratio interval");
        assertEquals(0.95, rates[1], 0.015, "the difference's interval");
        assertTrue(rates[2] < 0.92, "treating sessions as independent under-covers: " + rates[2]);
    }

    @Test
    void denominatorsSummingToZeroLeaveTheRatioUndefined() {
        Map<String, Object> sums = Map.of("n", 3, "sumNumerator", 0.0, "sumDenominator", 0.0,
                "sumNumeratorSquares", 0.0, "sumDenominatorSquares", 0.0, "sumProducts", 0.0);
        @SuppressWarnings("unchecked")
        Map<String, Object> arm = (Map<String, Object>) ((Map<String, Object>) ratio.compute(
                Map.of("variants", Map.of("control", sums))).get("variants")).get("control");
        assertNull(arm.get("mean"));
        assertNull(arm.get("variance"));
        assertEquals(3.0, arm.get("n"));
    }
}
