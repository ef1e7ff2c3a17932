package io.ensign.experiments.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.ensign.api.experiment.AutoStop;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.ExperimentStatus;
import io.ensign.api.experiment.Metric;
import io.ensign.api.experiment.MetricAggregate;
import io.ensign.api.experiment.VariantAggregate;
import org.junit.jupiter.api.Test;

/**
 * Many seeded simulated experiments, each looked at after every batch of units as an impatient operator would:
 * auto-stop must pick a false winner in no more than about alpha of A/A experiments however often it looks,
 * and must find a real effect of the planned size in most A/B experiments.
 */
class AutoStopSimulationTest {
    private static final double ALPHA = 0.05;
    private static final double BASELINE = 0.10;
    private static final double EFFECT = 0.03;
    private static final int EXPERIMENTS = 500;
    private static final int LOOKS = 20;
    /**
     * Units per arm per batch. The fixed-horizon sample size for 80% power is
     * 2 (z(0.975) + z(0.8))² p(1-p) / mde² = 2 * 2.8016² * 0.09 / 0.0009 = 1570 per arm; the 20 looks reach
     * 2.5 times that, the usual price of being allowed to look at any time.
     */
    private static final int UNITS_PER_BATCH = 200;

    private static Experiment experiment() {
        return new Experiment("sim", "flag", "production", "off", Map.of("off", 1.0, "on", 1.0),
                List.of(new Metric("converted", Metric.Kind.PROPORTION)), "converted", ALPHA, 0.8, EFFECT,
                new AutoStop(true, 100), ExperimentStatus.RUNNING, null, null, null, null, 1);
    }

    /** The share of experiments in which auto-stop fired at some look, and for the treatment. */
    private static double[] stopRate(double treatmentRate, long seed) {
        Random random = new Random(seed);
        int stopped = 0;
        int treatmentWins = 0;
        Experiment experiment = experiment();
        for (int e = 0; e < EXPERIMENTS; e++) {
            Map<String, Double> minimums = new HashMap<>();
            ExperimentAnalysis analysis = new ExperimentAnalysis(Fixture.BUILT_IN_TESTS::get,
                    (key, arm, p) -> minimums.merge(arm, p, Math::min));
            long[] successes = new long[2];
            long units = 0;
            for (int look = 0; look < LOOKS; look++) {
                units += UNITS_PER_BATCH;
                for (int u = 0; u < UNITS_PER_BATCH; u++) {
                    successes[0] += random.nextDouble() < BASELINE ? 1 : 0;
                    successes[1] += random.nextDouble() < treatmentRate ? 1 : 0;
                }
                Map<String, VariantAggregate> aggregates = Map.of(
                        "off", arm(units, successes[0]), "on", arm(units, successes[1]));
                ExperimentAnalysis.Decision decision = analysis.analyse(experiment, aggregates).decision();
                if (decision.fire()) {
                    stopped++;
                    treatmentWins += "on".equals(decision.winner()) ? 1 : 0;
                    break;
                }
            }
        }
        return new double[] {(double) stopped / EXPERIMENTS, (double) treatmentWins / EXPERIMENTS};
    }

    /** A 0/1 metric: its sum and sum of squares are both the number of successes. */
    private static VariantAggregate arm(long units, long successes) {
        return new VariantAggregate(units, units, 0,
                Map.of("converted", new MetricAggregate(units, successes, successes, successes)));
    }

    @Test
    void aaExperimentsRarelyStopDespiteTwentyLooks() {
        double[] rate = stopRate(BASELINE, 1);
        System.out.printf("A/A: auto-stop fired in %.3f of %d experiments (alpha %.2f)%n", rate[0], EXPERIMENTS,
                ALPHA);
        // binomial standard error at alpha for 500 experiments is 0.0097; two of them as tolerance
        assertTrue(rate[0] <= ALPHA + 0.02, "false stop rate " + rate[0]);
    }

    @Test
    void abExperimentsWithThePlannedEffectMostlyStopForTheTreatment() {
        double[] rate = stopRate(BASELINE + EFFECT, 2);
        System.out.printf("A/B: auto-stop fired in %.3f of %d experiments, %.3f for the treatment%n", rate[0],
                EXPERIMENTS, rate[1]);
        assertTrue(rate[1] >= 0.75, "power " + rate[1]);
    }
}
