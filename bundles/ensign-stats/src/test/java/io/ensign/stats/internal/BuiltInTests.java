package io.ensign.stats.internal;

import java.util.Map;

import io.ensign.api.stats.StatisticalTest;

/** The bundle's components by the service name they register under, as the HTTP layer would look them up. */
final class BuiltInTests {
    private static final Map<String, StatisticalTest> BY_NAME = Map.of(
            "welch-t", new WelchTTest(),
            "two-proportion-z", new TwoProportionZTest(),
            "srm-chi-square", new SrmChiSquareTest(),
            "sample-size", new SampleSizeCalculation(),
            "msprt", new MixtureSequentialTest(),
            "bayesian-lift", new BayesianLiftTest(),
            "cuped", new CupedAdjustment(),
            "ratio", new RatioMetric(),
            "guardrail", new GuardrailTest());

    private BuiltInTests() {
    }

    static StatisticalTest named(String name) {
        StatisticalTest test = BY_NAME.get(name);
        if (test == null) {
            throw new IllegalArgumentException("no built-in test named " + name);
        }
        return test;
    }
}
