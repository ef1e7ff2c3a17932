package io.ensign.stats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;

import io.ensign.api.stats.StatisticalTest;

/**
 * cuped from sufficient statistics against computations over the raw per-unit values: Commons Math's least-squares
 * regression of y on x and variant indicators, and the adjusted values y - θ(x - x̄) formed unit by unit. Seeded
 * synthetic experiments with a known pre-period correlation ρ show a variance reduction close to ρ², an A/A
 * false-positive rate at alpha for welch-t and msprt on the adjusted arms, and the power gained.
 * Seeded, so the figures are fixed; docs/statistics.md quotes them.
 */
class CupedAdjustmentTest {
    private static final double ALPHA = 0.05;
    /** The A/A simulation: experiments of LOOKS batches of UNITS_PER_LOOK units per arm, correlation RHO. */
    private static final int EXPERIMENTS = 2000;
    private static final int LOOKS = 10;
    private static final int UNITS_PER_LOOK = 50;
    private static final double RHO = 0.7;
    private final StatisticalTest cuped = new CupedAdjustment();
    private final StatisticalTest welch = new WelchTTest();
    private final StatisticalTest msprt = new MixtureSequentialTest();

    /** Per-unit (x, y) of one variant. */
    private record RawArm(double[] x, double[] y) {
        static RawArm generate(RandomGenerator random, int n, double rho, double effect) {
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double pre = random.nextGaussian();
                x[i] = 5 + 2 * pre;
                // unit variance of the outcome's noise part, correlation rho with x
                y[i] = 10 + effect + 3 * (rho * pre + Math.sqrt(1 - rho * rho) * random.nextGaussian());
            }
            return new RawArm(x, y);
        }

        Map<String, Object> sums() {
            double sumXX = 0;
            double sumYY = 0;
            double sumXY = 0;
            for (int i = 0; i < x.length; i++) {
                sumXX += x[i] * x[i];
                sumYY += y[i] * y[i];
                sumXY += x[i] * y[i];
            }
            return Map.of("n", x.length, "sumX", StatUtils.sum(x), "sumY", StatUtils.sum(y), "sumXX", sumXX,
                    "sumYY", sumYY, "sumXY", sumXY);
        }

        Map<String, Object> unadjusted() {
            return Map.of("n", y.length, "mean", StatUtils.mean(y), "variance", StatUtils.variance(y));
        }
    }

    private Map<String, Object> adjust(Map<String, RawArm> arms) {
        Map<String, Object> variants = new LinkedHashMap<>();
        arms.forEach((name, arm) -> variants.put(name, arm.sums()));
        return cuped.compute(Map.of("variants", variants));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> arm(Map<String, Object> output, String variant) {
        return (Map<String, Object>) ((Map<String, Object>) output.get("variants")).get(variant);
    }

    private static double number(Map<String, Object> map, String field) {
        return (Double) map.get(field);
    }

    @Test
    void thetaAndAdjustedDifferencesAreTheLeastSquaresCoefficientsOnTheRawData() {
        RandomGenerator random = new Well19937c(31);
        Map<String, RawArm> arms = new LinkedHashMap<>();
        arms.put("control", RawArm.generate(random, 500, 0.6, 0));
        arms.put("b", RawArm.generate(random, 520, 0.6, 0.4));
        arms.put("c", RawArm.generate(random, 480, 0.6, -0.2));
        Map<String, Object> output = adjust(arms);

        // y = a + theta x + beta_b [variant b] + beta_c [variant c], over every unit
        List<double[]> rows = new ArrayList<>();
        List<Double> outcomes = new ArrayList<>();
        List<String> names = List.copyOf(arms.keySet());
        for (int v = 0; v < names.size(); v++) {
            RawArm raw = arms.get(names.get(v));
            for (int i = 0; i < raw.x().length; i++) {
                rows.add(new double[] {raw.x()[i], v == 1 ? 1 : 0, v == 2 ? 1 : 0});
                outcomes.add(raw.y()[i]);
            }
        }
        OLSMultipleLinearRegression regression = new OLSMultipleLinearRegression();
        regression.newSampleData(outcomes.stream().mapToDouble(Double::doubleValue).toArray(),
                rows.toArray(new double[0][]));
        double[] beta = regression.estimateRegressionParameters();
        double theta = number(output, "theta");
        assertEquals(beta[1], theta, 1e-9 * Math.abs(beta[1]), "theta is the slope of x");
        double control = number(arm(output, "control"), "mean");
        assertEquals(beta[2], number(arm(output, "b"), "mean") - control, 1e-9, "b - control");
        assertEquals(beta[3], number(arm(output, "c"), "mean") - control, 1e-9, "c - control");

        // the adjusted values unit by unit, with the regression's slope and the mean of x over every unit
        double grandMeanX = arms.values().stream().flatMapToDouble(a -> Arrays.stream(a.x())).average()
                .orElseThrow();
        double unadjustedSpread = 0;
        double adjustedSpread = 0;
        for (String name : names) {
            RawArm raw = arms.get(name);
            double[] adjusted = new double[raw.y().length];
            for (int i = 0; i < adjusted.length; i++) {
                adjusted[i] = raw.y()[i] - beta[1] * (raw.x()[i] - grandMeanX);
            }
            Map<String, Object> result = arm(output, name);
            assertEquals(StatUtils.mean(adjusted), number(result, "mean"), 1e-9, name + " adjusted mean");
            assertEquals(StatUtils.variance(adjusted), number(result, "variance"),
                    1e-9 * StatUtils.variance(adjusted), name + " adjusted variance");
            assertEquals(StatUtils.mean(raw.y()), number(result, "unadjustedMean"), 1e-9, name + " mean");
            assertEquals(StatUtils.variance(raw.y()), number(result, "unadjustedVariance"),
                    1e-9 * StatUtils.variance(raw.y()), name + " variance");
            assertEquals(StatUtils.mean(raw.x()), number(result, "covariateMean"), 1e-9, name + " covariate");
            unadjustedSpread += StatUtils.variance(raw.y()) / raw.y().length;
            adjustedSpread += StatUtils.variance(adjusted) / adjusted.length;
        }
        assertEquals(1 - adjustedSpread / unadjustedSpread, number(output, "varianceReduction"), 1e-9);
    }

    @Test
    void varianceReductionIsCloseToTheSquaredCorrelation() {
        RandomGenerator random = new Well19937c(32);
        for (double rho : new double[] {0.0, 0.3, 0.5, 0.8, 0.95}) {
            Map<String, RawArm> arms = new LinkedHashMap<>();
            arms.put("control", RawArm.generate(random, 20_000, rho, 0));
            arms.put("treatment", RawArm.generate(random, 20_000, rho, 0.1));
            Map<String, Object> output = adjust(arms);
            double reduction = number(output, "varianceReduction");
            System.out.printf("rho %.2f: variance reduction %.4f (rho² %.4f), estimated correlation %.4f%n",
                    rho, reduction, rho * rho, number(output, "correlation"));
            // the sampling error of the reduction at 40 000 units is about 0.005 at most
            assertEquals(rho * rho, reduction, 0.02, "reduction at rho " + rho);
        }
    }

    @Test
    void aaFalsePositiveRatesStayAtAlphaAndPowerGrows() {
        RandomGenerator random = new Well19937c(20261205);
        int welchAdjusted = 0;
        int welchUnadjusted = 0;
        int msprtAdjusted = 0;
        for (int experiment = 0; experiment < EXPERIMENTS; experiment++) {
            List<RawArm> control = new ArrayList<>();
            List<RawArm> treatment = new ArrayList<>();
            boolean stopped = false;
            Map<String, Object> adjusted = null;
            for (int look = 0; look < LOOKS; look++) {
                control.add(RawArm.generate(random, UNITS_PER_LOOK, RHO, 0));
                treatment.add(RawArm.generate(random, UNITS_PER_LOOK, RHO, 0));
                adjusted = adjust(Map.of("control", concat(control), "treatment", concat(treatment)));
                stopped |= pValue(msprt, Map.of("control", arm(adjusted, "control"),
                        "treatment", arm(adjusted, "treatment"))) < ALPHA;
            }
            msprtAdjusted += stopped ? 1 : 0;
            welchAdjusted += pValue(welch, Map.of("control", arm(adjusted, "control"),
                    "treatment", arm(adjusted, "treatment"))) < ALPHA ? 1 : 0;
            welchUnadjusted += pValue(welch, Map.of("control", concat(control).unadjusted(),
                    "treatment", concat(treatment).unadjusted())) < ALPHA ? 1 : 0;
        }
        double welchRate = (double) welchAdjusted / EXPERIMENTS;
        double msprtRate = (double) msprtAdjusted / EXPERIMENTS;
        System.out.printf("A/A, rho %.1f, %d experiments, 500 units per arm: welch-t on cuped %.4f (unadjusted %.4f); "
                + "msprt on cuped at %d looks %.4f%n", RHO, EXPERIMENTS, welchRate,
                (double) welchUnadjusted / EXPERIMENTS, LOOKS, msprtRate);
        assertEquals(ALPHA, welchRate, 0.02, "welch-t on cuped arms");
        assertTrue(msprtRate <= ALPHA + 0.02, "msprt on cuped arms under peeking " + msprtRate);

        int detectedAdjusted = 0;
        int detectedUnadjusted = 0;
        int runs = 500;
        for (int run = 0; run < runs; run++) {
            RawArm control = RawArm.generate(random, 500, RHO, 0);
            RawArm treatment = RawArm.generate(random, 500, RHO, 0.4);
            Map<String, Object> adjusted = adjust(Map.of("control", control, "treatment", treatment));
            detectedAdjusted += pValue(welch, Map.of("control", arm(adjusted, "control"),
                    "treatment", arm(adjusted, "treatment"))) < ALPHA ? 1 : 0;
            detectedUnadjusted += pValue(welch, Map.of("control", control.unadjusted(),
                    "treatment", treatment.unadjusted())) < ALPHA ? 1 : 0;
        }
        System.out.printf("effect 0.4 (0.13 sd), rho %.1f, 500 units per arm: welch-t power %.3f with cuped, %.3f without%n",
                RHO, (double) detectedAdjusted / runs, (double) detectedUnadjusted / runs);
        assertTrue(detectedAdjusted > detectedUnadjusted + runs / 10, "cuped detects the effect more often");
    }

    @Test
    void aConstantCovariateLeavesTheMetricUnadjusted() {
        Map<String, Object> arm = Map.of("n", 4, "sumX", 8.0, "sumY", 10.0, "sumXX", 16.0, "sumYY", 30.0,
                "sumXY", 20.0);
        Map<String, Object> output = cuped.compute(Map.of("variants", Map.of("control", arm, "treatment", arm)));
        assertEquals(0.0, number(output, "theta"));
        assertNull(output.get("correlation"), "no correlation without spread in x");
        assertEquals(0.0, number(output, "varianceReduction"));
        assertEquals(2.5, number(arm(output, "treatment"), "mean"));
        // (30 - 100/4) / 3
        assertEquals(5.0 / 3, number(arm(output, "treatment"), "variance"), 1e-15);
    }

    private static double pValue(StatisticalTest test, Map<String, Object> input) {
        return (Double) test.compute(input).get("pValue");
    }

    private static RawArm concat(List<RawArm> batches) {
        double[] x = batches.stream().flatMapToDouble(b -> Arrays.stream(b.x())).toArray();
        double[] y = batches.stream().flatMapToDouble(b -> Arrays.stream(b.y())).toArray();
        return new RawArm(x, y);
    }
}
