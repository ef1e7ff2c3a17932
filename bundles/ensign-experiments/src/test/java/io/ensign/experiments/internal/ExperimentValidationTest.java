package io.ensign.experiments.internal;

import static io.ensign.experiments.internal.Fixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.ensign.api.experiment.AutoStop;
import io.ensign.api.experiment.Experiment;
import io.ensign.api.experiment.Metric;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentValidationTest {
    private static final List<Metric> METRICS = List.of(new Metric("converted", Metric.Kind.PROPORTION));

    @TempDir
    Path directory;
    private Fixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new Fixture(directory);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private Set<String> violatedFields(Experiment experiment) {
        ValidationException e = assertThrows(ValidationException.class,
                () -> fixture.service.put(experiment, -1, ALICE));
        assertEquals(0, fixture.store.lastSequence(), "nothing is stored");
        assertTrue(e.violations().stream().allMatch(v -> v.rule().equals("experiment")));
        return e.violations().stream().map(Violation::field).collect(Collectors.toSet());
    }

    private static Experiment with(String key, String flag, String environment, String control,
                                   Map<String, Double> weights, List<Metric> metrics, String primary, double alpha,
                                   double power, double mde, AutoStop autoStop) {
        return Experiment.draft(key, flag, environment, control, weights, metrics, primary, alpha, power, mde,
                autoStop);
    }

    private static Map<String, Double> weights(Object... pairs) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            weights.put((String) pairs[i], (Double) pairs[i + 1]);
        }
        return weights;
    }

    @Test
    void weightsMayOnlyNameTheFlagsVariants() {
        assertEquals(Set.of("/weights/purple"), violatedFields(with("e", "checkout", "production", "off",
                weights("off", 1.0, "purple", 1.0), METRICS, "converted", 0.05, 0.8, 0.1, AutoStop.DISABLED)));
    }

    @Test
    void theApiExampleIsValid() {
        assertDoesNotThrow(() -> fixture.service.put(Fixture.experiment("e", new AutoStop(true, 1000)), -1, ALICE));
    }

    @Test
    void everyBadFieldIsReportedWithItsPointerAtOnce() {
        Experiment bad = with("bad key!", "checkout", "moon", "purple", weights("off", 0.0, "nope", 5.0),
                List.of(new Metric("a", Metric.Kind.MEAN), new Metric("a", Metric.Kind.MEAN),
                        new Metric("", Metric.Kind.MEAN)),
                "b", 1.0, 0.0, 0.0, new AutoStop(true, 1));
        assertEquals(Set.of("/key", "/environment", "/control", "/weights/off", "/weights/nope", "/metrics/1/name",
                "/metrics/2/name", "/primaryMetric", "/alpha", "/power", "/minimumDetectableEffect",
                "/autoStop/minUnitsPerVariant"), violatedFields(bad));
    }

    @Test
    void thePrimaryMetricIsNoGuardrailAndAMarginIsNotNegative() {
        List<Metric> metrics = List.of(new Metric("converted", Metric.Kind.PROPORTION, new Metric.Guardrail(false, 0)),
                new Metric("errors", Metric.Kind.PROPORTION, new Metric.Guardrail(true, -0.1)));
        assertEquals(Set.of("/primaryMetric", "/metrics/1/guardrail/margin"), violatedFields(with("e", "checkout",
                "production", "off", weights("off", 1.0, "on", 1.0), metrics, "converted", 0.05, 0.8, 0.1,
                AutoStop.DISABLED)));
    }

    @Test
    void anUnknownFlagIsAViolationOfFlag() {
        assertEquals(Set.of("/flag"), violatedFields(with("e", "nope", "production", "off",
                weights("off", 1.0, "on", 1.0), METRICS, "converted", 0.05, 0.8, 0.1, AutoStop.DISABLED)));
    }

    @Test
    void metricsMustNotBeEmptyAndWeightsNeedTwoVariants() {
        assertEquals(Set.of("/metrics", "/weights", "/primaryMetric"), violatedFields(with("e", "checkout",
                "production", "off", weights("off", 1.0), List.of(), "converted", 0.05, 0.8, 0.1,
                AutoStop.DISABLED)));
    }

    @Test
    void alphaAndPowerMustLieStrictlyBetweenZeroAndOne() {
        for (double value : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            assertEquals(Set.of("/alpha", "/power"), violatedFields(with("e", "checkout", "production", "off",
                    weights("off", 1.0, "on", 1.0), METRICS, "converted", value, value, 0.1, AutoStop.DISABLED)));
        }
    }

    @Test
    void theMinimumDetectableEffectMustBePositiveAndFinite() {
        for (double value : new double[] {0, -1, Double.POSITIVE_INFINITY, Double.NaN}) {
            assertEquals(Set.of("/minimumDetectableEffect"), violatedFields(with("e", "checkout", "production",
                    "off", weights("off", 1.0, "on", 1.0), METRICS, "converted", 0.05, 0.8, value,
                    AutoStop.DISABLED)));
        }
    }

    @Test
    void aMissingFlagEnvironmentControlOrPrimaryMetricIsRequired() {
        assertEquals(Set.of("/flag", "/environment", "/control", "/primaryMetric"), violatedFields(with("e", null,
                null, null, weights("off", 1.0, "on", 1.0), METRICS, null, 0.05, 0.8, 0.1, AutoStop.DISABLED)));
    }
}
