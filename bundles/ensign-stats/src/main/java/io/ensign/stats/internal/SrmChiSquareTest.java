package io.ensign.stats.internal;

import java.util.Arrays;
import java.util.Map;

import org.apache.commons.math3.special.Gamma;
import org.osgi.service.component.annotations.Component;

import io.ensign.api.stats.InvalidInputException;
import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.stats.StatisticalTestPlugin;

/**
 * Sample ratio mismatch check: Pearson's chi-square of the observed unit counts per arm against the counts
 * expected from the configured weights (expected_i = total * w_i / sum w), with k - 1 degrees of freedom.
 * Weights must be positive (an arm with weight 0 has no place in the split) and need not sum to 1 or 100.
 */
@Component(service = StatisticalTest.class)
@StatisticalTestPlugin(name = "srm-chi-square")
public final class SrmChiSquareTest implements StatisticalTest {

    @Override
    public Map<String, Object> compute(Map<String, Object> input) {
        InputReader reader = InputReader.of(input);
        double[] observed = reader.nonNegativeNumbers("observed", 2);
        double[] weights = reader.nonNegativeNumbers("weights", 2);
        if (weights.length != observed.length) {
            throw new InvalidInputException(reader.pointer("weights"),
                    "weights must have one entry per observed count (" + observed.length + ")");
        }
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == 0) {
                throw new InvalidInputException(reader.pointer("weights") + "/" + i, "weights must be greater than 0");
            }
        }
        double total = Arrays.stream(observed).sum();
        if (total == 0) {
            throw new InvalidInputException(reader.pointer("observed"), "observed must count at least one unit");
        }
        double weightSum = Arrays.stream(weights).sum();
        double statistic = 0;
        for (int i = 0; i < observed.length; i++) {
            double expected = total * weights[i] / weightSum;
            double deviation = observed[i] - expected;
            statistic += deviation * deviation / expected;
        }
        double degreesOfFreedom = observed.length - 1;
        return new OutputMap()
                .number("statistic", statistic)
                .number("degreesOfFreedom", degreesOfFreedom)
                // the upper tail directly: 1 - P(a, x) would round small p-values to 0
                .number("pValue", Gamma.regularizedGammaQ(degreesOfFreedom / 2, statistic / 2))
                .toMap();
    }
}
