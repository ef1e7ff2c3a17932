package io.ensign.stats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

import io.ensign.api.stats.StatisticalTest;

/**
 * bayesian-lift against computations that share none of its code: Monte Carlo from the exact posteriors of
 * the arms (Beta for proportions, normal sampling distributions of the means weighted by the prior for means),
 * drawn with Commons Math's distributions; calibration of the chance to beat control over seeded experiments
 * whose true lifts come from the prior; and the A/A false-positive rate of the decision rule
 * "ship when the chance to beat control exceeds 95 %", at a fixed horizon and when peeking.
 * Seeded, so the figures are fixed; docs/statistics.md quotes them.
 */
class BayesianLiftSimulationTest {
    private static final int DRAWS = 100_000;
    /** The decision rule under test ships the treatment when its chance to beat control exceeds this. */
    private static final double SHIP_THRESHOLD = 0.95;
    /** The calibration runs draw true log-ratios from N(0, 0.1²) and analyse with that prior. */
    private static final double CALIBRATION_PRIOR_SD = 0.1;
    private static final int CALIBRATION_EXPERIMENTS = 6000;
    private final StatisticalTest bayes = new BayesianLiftTest();

    @Test
    void flatPriorMatchesMonteCarloFromBetaPosteriorsOfTheRates() {
        long n = 20_000;
        long controlSuccesses = 2_000;
        long treatmentSuccesses = 2_090;
        Map<String, Object> output = bayes.compute(Map.of(
                "control", Map.of("n", n, "successes", controlSuccesses),
                "treatment", Map.of("n", n, "successes", treatmentSuccesses)));

        RandomGenerator random = new Well19937c(11);
        // the conjugate posterior of a rate under a uniform prior, Beta(1 + x, 1 + n - x)
        BetaDistribution control = new BetaDistribution(random, 1 + controlSuccesses, 1 + n - controlSuccesses);
        BetaDistribution treatment = new BetaDistribution(random, 1 + treatmentSuccesses, 1 + n - treatmentSuccesses);
        double[] lifts = new double[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            lifts[i] = treatment.sample() / control.sample() - 1;
        }
        Sample sample = Sample.unweighted(lifts);
        printComparison("proportions, flat prior vs Beta posteriors", output, sample);
        // the normal approximation of the ratio is the only difference left; at n = 20 000 it is small
        assertAgrees(output, sample, 0.003, 0.02);
    }

    @Test
    void properPriorMatchesMonteCarloFromTheSamplingDistributionsWeightedByThePrior() {
        Map<String, Object> control = Map.of("n", 400L, "mean", 10.0, "variance", 36.0);
        Map<String, Object> treatment = Map.of("n", 420L, "mean", 10.9, "variance", 40.0);
        double priorSd = 0.05;
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("control", control);
        input.put("treatment", treatment);
        input.put("prior", Map.of("mean", 0.0, "standardDeviation", priorSd));
        Map<String, Object> output = bayes.compute(input);

        RandomGenerator random = new Well19937c(12);
        NormalDistribution controlMean = new NormalDistribution(random, 10.0, Math.sqrt(36.0 / 400));
        NormalDistribution treatmentMean = new NormalDistribution(random, 10.9, Math.sqrt(40.0 / 420));
        NormalDistribution prior = new NormalDistribution(null, 0, priorSd);
        double[] lifts = new double[DRAWS];
        double[] weights = new double[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            lifts[i] = treatmentMean.sample() / controlMean.sample() - 1;
            weights[i] = prior.density(Math.log1p(lifts[i]));
        }
        Sample sample = new Sample(lifts, weights);
        printComparison("means, prior N(0, 0.05²) vs weighted sampling distributions", output, sample);
        // the prior pulls the 9 % observed lift to about half; the approximation error is that of the log-ratio
        assertTrue((Double) output.get("expectedLift") < 0.06, "the prior shrinks the lift");
        assertAgrees(output, sample, 0.003, 0.02);
    }

    @Test
    void chanceToBeatControlIsCalibratedWhenTrueLiftsComeFromThePrior() {
        int n = 1000;
        double baseline = 0.1;
        RandomGenerator random = new Well19937c(20261203);
        NormalDistribution trueLogRatios = new NormalDistribution(random, 0, CALIBRATION_PRIOR_SD);
        Calibration proper = new Calibration();
        Calibration flat = new Calibration();
        for (int i = 0; i < CALIBRATION_EXPERIMENTS; i++) {
            double lift = Math.expm1(trueLogRatios.sample());
            double rate = Math.min(1, Math.max(0, baseline * (1 + lift)));
            int controlSuccesses = new BinomialDistribution(random, n, baseline).sample();
            int treatmentSuccesses = new BinomialDistribution(random, n, rate).sample();
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("control", Map.of("n", n, "successes", controlSuccesses));
            input.put("treatment", Map.of("n", n, "successes", treatmentSuccesses));
            flat.add(chance(bayes.compute(input)), lift > 0);
            input.put("prior", Map.of("standardDeviation", CALIBRATION_PRIOR_SD));
            proper.add(chance(bayes.compute(input)), lift > 0);
        }
        System.out.println("calibration, true ln(1 + lift) ~ N(0, 0.1²), 1000 units per arm, baseline 10 %, prior N(0, 0.1²):");
        proper.print();
        System.out.println("the same experiments with the flat prior:");
        flat.print();
        assertTrue(proper.worstStandardisedError() < 4, "calibrated within four standard errors in every decile");
        assertTrue(flat.worstStandardisedError() > proper.worstStandardisedError(),
                "the flat prior is overconfident when true lifts are as small as the prior says");
    }

    @Test
    void chanceToBeatControlIsCalibratedForMeansToo() {
        int n = 300;
        double controlMean = 10;
        double sd = 8;
        RandomGenerator random = new Well19937c(20261209);
        NormalDistribution trueLogRatios = new NormalDistribution(random, 0, CALIBRATION_PRIOR_SD);
        NormalDistribution noise = new NormalDistribution(random, 0, sd / Math.sqrt(n));
        // the sample variance of n normal values is sd² χ²(n-1)/(n-1)
        ChiSquaredDistribution spread = new ChiSquaredDistribution(random, n - 1);
        Calibration calibration = new Calibration();
        for (int i = 0; i < CALIBRATION_EXPERIMENTS; i++) {
            double logRatio = trueLogRatios.sample();
            double treatmentMean = controlMean * Math.exp(logRatio);
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("control", Map.of("n", n, "mean", controlMean + noise.sample(),
                    "variance", sd * sd * spread.sample() / (n - 1)));
            input.put("treatment", Map.of("n", n, "mean", treatmentMean + noise.sample(),
                    "variance", sd * sd * spread.sample() / (n - 1)));
            input.put("prior", Map.of("standardDeviation", CALIBRATION_PRIOR_SD));
            calibration.add(chance(bayes.compute(input)), logRatio > 0);
        }
        System.out.println("calibration, means 10 vs 10 e^L, L ~ N(0, 0.1²), sd 8, 300 units per arm, prior N(0, 0.1²):");
        calibration.print();
        assertTrue(calibration.worstStandardisedError() < 4, "calibrated within four standard errors in every decile");
    }

    @Test
    void aaFalsePositiveRateOfShippingAtNinetyFivePercent() {
        int experiments = 2000;
        int looks = 20;
        int unitsPerLook = 50;
        RandomGenerator random = new Well19937c(20261204);
        int fixedHorizon = 0;
        int peeking = 0;
        int fixedHorizonProperPrior = 0;
        for (int experiment = 0; experiment < experiments; experiment++) {
            Arm control = new Arm();
            Arm treatment = new Arm();
            boolean everShipped = false;
            Map<String, Object> input = new LinkedHashMap<>();
            for (int look = 0; look < looks; look++) {
                for (int unit = 0; unit < unitsPerLook; unit++) {
                    control.add(10 + 2 * random.nextGaussian());
                    treatment.add(10 + 2 * random.nextGaussian());
                }
                input.put("control", control.summary());
                input.put("treatment", treatment.summary());
                everShipped |= chance(bayes.compute(input)) > SHIP_THRESHOLD;
            }
            peeking += everShipped ? 1 : 0;
            fixedHorizon += chance(bayes.compute(input)) > SHIP_THRESHOLD ? 1 : 0;
            input.put("prior", Map.of("standardDeviation", 0.3));
            fixedHorizonProperPrior += chance(bayes.compute(input)) > SHIP_THRESHOLD ? 1 : 0;
        }
        double fixedRate = (double) fixedHorizon / experiments;
        double properRate = (double) fixedHorizonProperPrior / experiments;
        double peekingRate = (double) peeking / experiments;
        System.out.printf("A/A, %d experiments, ship when chance to beat control > 95 %%: fixed horizon (1000 per arm) "
                + "%.4f (prior N(0, 0.3²): %.4f); peeking at %d looks %.4f%n",
                experiments, fixedRate, properRate, looks, peekingRate);
        // with the flat prior the chance to beat control is one minus a one-sided p-value: the rate is 5 %
        assertEquals(0.05, fixedRate, 0.02);
        assertEquals(0.05, properRate, 0.02);
        // a posterior probability is not a sequential guarantee: peeking inflates the false ships
        assertTrue(peekingRate > 0.10, "peeking false-ship rate " + peekingRate);
    }

    private static double chance(Map<String, Object> output) {
        return (Double) output.get("chanceToBeatControl");
    }

    /**
     * The chance to beat control within {@code absolute}; the posterior of ln(1 + lift), expected lift, risks and
     * interval bounds within {@code relative} of the sample's standard deviation (twice that for the bounds).
     */
    @SuppressWarnings("unchecked")
    private static void assertAgrees(Map<String, Object> output, Sample sample, double absolute, double relative) {
        Map<String, Object> posterior = (Map<String, Object>) output.get("posterior");
        Map<String, Object> interval = (Map<String, Object>) output.get("credibleInterval");
        Map<String, Object> risk = (Map<String, Object>) output.get("risk");
        double sd = sample.standardDeviation();
        Sample logRatios = sample.map(Math::log1p);
        assertEquals(sample.probabilityAboveZero(), chance(output), absolute, "chance to beat control");
        assertEquals(logRatios.mean(), (Double) posterior.get("mean"), relative * sd, "posterior mean");
        assertEquals(logRatios.standardDeviation(), (Double) posterior.get("standardDeviation"), relative * sd,
                "posterior sd");
        assertEquals(sample.mean(), (Double) output.get("expectedLift"), relative * sd, "expected lift");
        assertEquals(sample.quantile(0.025), (Double) interval.get("lower"), 2 * relative * sd, "lower bound");
        assertEquals(sample.quantile(0.975), (Double) interval.get("upper"), 2 * relative * sd, "upper bound");
        assertEquals(sample.expectedPositivePart(), (Double) risk.get("control"), relative * sd, "risk of control");
        assertEquals(sample.expectedNegativePart(), (Double) risk.get("treatment"), relative * sd,
                "risk of treatment");
    }

    @SuppressWarnings("unchecked")
    private static void printComparison(String title, Map<String, Object> output, Sample sample) {
        Map<String, Object> interval = (Map<String, Object>) output.get("credibleInterval");
        Map<String, Object> risk = (Map<String, Object>) output.get("risk");
        System.out.printf("%s: chance %.5f vs %.5f, interval [%.5f, %.5f] vs [%.5f, %.5f], "
                        + "risk control %.6f vs %.6f, risk treatment %.6f vs %.6f%n", title,
                chance(output), sample.probabilityAboveZero(), interval.get("lower"), interval.get("upper"),
                sample.quantile(0.025), sample.quantile(0.975), risk.get("control"), sample.expectedPositivePart(),
                risk.get("treatment"), sample.expectedNegativePart());
    }

    /** Weighted draws of the lift; summaries computed directly over the draws. */
    private record Sample(double[] values, double[] weights) {
        static Sample unweighted(double[] values) {
            double[] ones = new double[values.length];
            Arrays.fill(ones, 1);
            return new Sample(values, ones);
        }

        private double average(DoubleUnaryOperator f) {
            double total = 0;
            double weight = 0;
            for (int i = 0; i < values.length; i++) {
                total += weights[i] * f.applyAsDouble(values[i]);
                weight += weights[i];
            }
            return total / weight;
        }

        double mean() {
            return average(x -> x);
        }

        Sample map(DoubleUnaryOperator f) {
            return new Sample(Arrays.stream(values).map(f).toArray(), weights);
        }

        double standardDeviation() {
            double mean = mean();
            return Math.sqrt(average(x -> (x - mean) * (x - mean)));
        }

        double probabilityAboveZero() {
            return average(x -> x > 0 ? 1 : 0);
        }

        double expectedPositivePart() {
            return average(x -> Math.max(x, 0));
        }

        double expectedNegativePart() {
            return average(x -> Math.max(-x, 0));
        }

        /** The smallest draw whose cumulative weight reaches p of the total. */
        double quantile(double p) {
            int[] order = IntStream.range(0, values.length).boxed()
                    .sorted(Comparator.comparingDouble(i -> values[i])).mapToInt(Integer::intValue).toArray();
            double target = p * Arrays.stream(weights).sum();
            double cumulative = 0;
            for (int i : order) {
                cumulative += weights[i];
                if (cumulative >= target) {
                    return values[i];
                }
            }
            return values[order[order.length - 1]];
        }
    }

    /** Outcomes by decile of the predicted chance. */
    private static final class Calibration {
        private final double[] predicted = new double[10];
        private final double[] observed = new double[10];
        private final int[] counts = new int[10];

        void add(double chance, boolean treatmentBetter) {
            int bin = Math.min(9, (int) (chance * 10));
            predicted[bin] += chance;
            observed[bin] += treatmentBetter ? 1 : 0;
            counts[bin]++;
        }

        /** The largest |observed - predicted| over deciles with 30+ experiments, in binomial standard errors. */
        double worstStandardisedError() {
            double worst = 0;
            for (int bin = 0; bin < 10; bin++) {
                if (counts[bin] >= 30) {
                    double p = predicted[bin] / counts[bin];
                    double standardError = Math.sqrt(Math.max(p * (1 - p), 0.01) / counts[bin]);
                    worst = Math.max(worst, Math.abs(observed[bin] / counts[bin] - p) / standardError);
                }
            }
            return worst;
        }

        void print() {
            for (int bin = 0; bin < 10; bin++) {
                if (counts[bin] > 0) {
                    System.out.printf("  chance in [%.1f, %.1f): %5d experiments, mean chance %.3f, treatment better in %.3f%n",
                            bin / 10.0, (bin + 1) / 10.0, counts[bin], predicted[bin] / counts[bin],
                            observed[bin] / counts[bin]);
                }
            }
            System.out.printf("  worst decile off by %.2f standard errors%n", worstStandardisedError());
        }
    }

    /** Running sums of one arm. */
    private static final class Arm {
        private long n;
        private double sum;
        private double sumOfSquares;

        void add(double value) {
            n++;
            sum += value;
            sumOfSquares += value * value;
        }

        Map<String, Object> summary() {
            double mean = sum / n;
            return Map.of("n", n, "mean", mean, "variance", (sumOfSquares - n * mean * mean) / (n - 1));
        }
    }
}
