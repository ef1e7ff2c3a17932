package io.ensign.stats.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.ensign.api.stats.InvalidInputException;
import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.stats.StatisticalTestPlugin;

/**
 * Units per variant for a two-sided two-sample test: ceil(2 (z(1-alpha/2) + z(power))² sd² / mde²).
 * The spread is either {@code standardDeviation} or, for a conversion metric, {@code baselineRate} p with
 * sd² = p(1-p); exactly one of them must be given. {@code alpha} defaults to 0.05, {@code power} to 0.8.
 * {@code perVariant} is a whole number returned as a Double, like every output number.
 */
@Component(service = StatisticalTest.class)
@StatisticalTestPlugin(name = "sample-size")
public final class SampleSizeCalculation implements StatisticalTest {
    private static final double DEFAULT_POWER = 0.8;

    @Override
    public Map<String, Object> compute(Map<String, Object> input) {
        InputReader reader = InputReader.of(input);
        double variance = variance(reader);
        double effect = reader.positive("minimumDetectableEffect");
        double alpha = reader.alpha();
        double power = reader.probability("power", DEFAULT_POWER);
        double z = StandardNormal.criticalValue(alpha) + StandardNormal.quantile(power);
        return new OutputMap()
                .number("perVariant", Math.ceil(2 * z * z * variance / (effect * effect)))
                .toMap();
    }

    private static double variance(InputReader reader) {
        if (reader.has("baselineRate")) {
            if (reader.has("standardDeviation")) {
                throw new InvalidInputException(reader.pointer("standardDeviation"),
                        "give either standardDeviation or baselineRate, not both");
            }
            double rate = reader.probability("baselineRate");
            return rate * (1 - rate);
        }
        if (!reader.has("standardDeviation")) {
            throw new InvalidInputException(reader.pointer("standardDeviation"),
                    "standardDeviation (or baselineRate) is required");
        }
        double standardDeviation = reader.positive("standardDeviation");
        return standardDeviation * standardDeviation;
    }
}
