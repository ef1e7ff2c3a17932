package io.ensign.stats.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.ensign.api.stats.StatisticalTest;

/**
 * Monte Carlo check of the reason msprt exists: peeking at every look keeps its false-positive rate at or
 * below alpha, while peeking at a fixed-horizon Welch t-test does not. Seeded, so the rates are fixed;
 * docs/statistics.md quotes them.
 */
class MixtureSequentialSimulationTest {
    private static final double ALPHA = 0.05;
    private static final int LOOKS = 50;
    private static final int UNITS_PER_LOOK = 20;
    /** Monte Carlo error of a rate near 0.05 over 2000 runs is about 0.005; 0.02 is four of those. */
    private static final double TOLERANCE = 0.02;

    private final StatisticalTest msprt = new MixtureSequentialTest();
    private final StatisticalTest welch = new WelchTTest();

    @Test
    void alwaysValidPValueKeepsAaFalseStopsAtAlphaWhileRepeatedWelchDoesNot() {
        int experiments = 2000;
        SplittableRandom random = new SplittableRandom(20261126L);
        int msprtStops = 0;
        int naiveStops = 0;
        for (int experiment = 0; experiment < experiments; experiment++) {
            StopRecord record = runExperiment(random, 0.0);
            msprtStops += record.msprtStopped() ? 1 : 0;
            naiveStops += record.naiveStopped() ? 1 : 0;
        }
        double msprtRate = (double) msprtStops / experiments;
        double naiveRate = (double) naiveStops / experiments;
        System.out.printf("A/A, %d experiments x %d looks x %d units per arm per look: "
                + "msprt false-stop rate %.4f, naive repeated welch-t %.4f%n",
                experiments, LOOKS, UNITS_PER_LOOK, msprtRate, naiveRate);
        assertTrue(msprtRate <= ALPHA + TOLERANCE, "msprt false-stop rate " + msprtRate);
        assertTrue(naiveRate > 0.10, "naive repeated t-test false-stop rate " + naiveRate);
    }

    @Test
    void alwaysValidPValueStillDetectsARealEffect() {
        int experiments = 200;
        SplittableRandom random = new SplittableRandom(7L);
        int msprtStops = 0;
        for (int experiment = 0; experiment < experiments; experiment++) {
            msprtStops += runExperiment(random, 0.3).msprtStopped() ? 1 : 0;
        }
        double detectionRate = (double) msprtStops / experiments;
        System.out.printf("effect of 0.3 standard deviations: msprt detection rate %.4f%n", detectionRate);
        assertTrue(detectionRate > 0.9, "msprt detection rate " + detectionRate);
    }

    /** One experiment with unit-variance normal outcomes, looked at after every batch until the end. */
    private StopRecord runExperiment(SplittableRandom random, double trueEffect) {
        RunningArm control = new RunningArm();
        RunningArm treatment = new RunningArm();
        boolean msprtStopped = false;
        boolean naiveStopped = false;
        for (int look = 0; look < LOOKS; look++) {
            for (int unit = 0; unit < UNITS_PER_LOOK; unit++) {
                control.add(gaussian(random));
                treatment.add(trueEffect + gaussian(random));
            }
            Map<String, Object> input = Map.of("control", control.summary(), "treatment", treatment.summary());
            // "ever below alpha" is the running minimum of the p-value falling below alpha
            msprtStopped |= pValue(msprt, input) < ALPHA;
            naiveStopped |= pValue(welch, input) < ALPHA;
        }
        return new StopRecord(msprtStopped, naiveStopped);
    }

    private static double pValue(StatisticalTest test, Map<String, Object> input) {
        return (Double) test.compute(input).get("pValue");
    }

    /** Box-Muller; SplittableRandom has no Gaussian of its own on Java 17. */
    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private record StopRecord(boolean msprtStopped, boolean naiveStopped) {
    }

    /** Welford's running mean and variance of one arm. */
    private static final class RunningArm {
        private long n;
        private double mean;
        private double sumOfSquares;

        void add(double value) {
            n++;
            double delta = value - mean;
            mean += delta / n;
            sumOfSquares += delta * (value - mean);
        }

        Map<String, Object> summary() {
            return Map.of("n", n, "mean", mean, "variance", sumOfSquares / (n - 1));
        }
    }
}
