package io.ensign.stats.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.stats.StatisticalTestPlugin;

/**
 * A ratio metric (revenue per session, clicks per view) with delta-method variances, from per-variant sums of the
 * per-unit numerator a and denominator b: n, Σa, Σb, Σa², Σb², Σab. The unit of randomisation is the unit, not
 * the session, so sessions of one unit are not independent and the naive variance of a per-session mean is
 * wrong; the delta method (Deng, Knoblich, Lu, "Applying the Delta Method in Metric Analytics", KDD 2018)
 * linearises R̂ = Σa/Σb around the means:
 * <pre>
 *   Var(R̂) ≈ (s_aa - 2R s_ab + R² s_bb) / (n b̄²)
 * </pre>
 * with the sample (co)variances s (n - 1 divisor) of the per-unit values. Each variant's {@code n},
 * {@code mean} = R̂ and {@code variance} = n Var(R̂) form a mean arm that welch-t, msprt and bayesian-lift take as
 * it is (their variance/n is then Var(R̂)); {@code ratio} is R̂ with its normal 1 - alpha interval.
 * A variant whose denominators sum to 0 has no ratio: its fields are null.
 */
@Component(service = StatisticalTest.class)
@StatisticalTestPlugin(name = "ratio")
public final class RatioMetric implements StatisticalTest {

    @Override
    public Map<String, Object> compute(Map<String, Object> input) {
        InputReader reader = InputReader.of(input);
        double critical = StandardNormal.criticalValue(reader.alpha());
        OutputMap variants = new OutputMap();
        reader.objects("variants", 1).forEach((name, variant) -> {
            long n = variant.count("n", 2);
            double meanA = variant.number("sumNumerator") / n;
            double meanB = variant.number("sumDenominator") / n;
            double saa = (variant.nonNegative("sumNumeratorSquares") - n * meanA * meanA) / (n - 1);
            double sbb = (variant.nonNegative("sumDenominatorSquares") - n * meanB * meanB) / (n - 1);
            double sab = (variant.number("sumProducts") - n * meanA * meanB) / (n - 1);
            double ratio = meanA / meanB;
            // rounding can push a zero spread a hair below 0
            double unitVariance = Math.max(0, saa - 2 * ratio * sab + ratio * ratio * sbb) / (meanB * meanB);
            double standardError = Math.sqrt(unitVariance / n);
            variants.object(name, new OutputMap()
                    .number("n", n)
                    .number("mean", ratio)
                    .number("variance", unitVariance)
                    .object("ratio", Interval.around(ratio, critical * standardError).toOutput())
                    .number("standardError", standardError)
                    .number("numeratorMean", meanA)
                    .number("denominatorMean", meanB));
        });
        return new OutputMap().object("variants", variants).toMap();
    }
}
