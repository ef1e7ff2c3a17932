package io.ensign.stats.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.stats.StatisticalTestPlugin;

/**
 * CUPED variance reduction (Deng, Xu, Kohavi, Walker, "Improving the Sensitivity of Online Controlled
 * Experiments by Utilizing Pre-Experiment Data", WSDM 2013) from sufficient statistics only. Each variant gives
 * n, Σx, Σy, Σx², Σy², Σxy of the per-unit metric y and its pre-exposure covariate x. With the within-variant
 * centred sums S_xx = Σx² - (Σx)²/n, S_xy = Σxy - ΣxΣy/n, S_yy likewise:
 * <ul>
 * <li>θ = Σ_v S_xy / Σ_v S_xx, pooled across variants within each variant, which is exactly the slope of x in
 * the least-squares regression of y on x and one indicator per variant (0 when x has no spread);</li>
 * <li>adjusted mean ȳ_v - θ (x̄_v - x̄), with x̄ the mean of x over all units, so adjusted differences are the
 * regression's variant coefficients;</li>
 * <li>adjusted variance (S_yy - 2θ S_xy + θ² S_xx) / (n - 1), the sample variance of y - θx in the variant.</li>
 * </ul>
 * Each variant's {@code n}, {@code mean}, {@code variance} form a mean arm as welch-t, msprt and bayesian-lift
 * take it. {@code varianceReduction} = 1 - Σ adjusted variance/n ÷ Σ variance/n: for two variants, the share of
 * the variance of the estimated difference that the covariate removed (close to ρ², the squared correlation).
 * θ is treated as known, as the paper does; its estimation error is of order 1/n.
 */
@Component(service = StatisticalTest.class)
@StatisticalTestPlugin(name = "cuped")
public final class CupedAdjustment implements StatisticalTest {

    /** The centred sums of one variant. */
    private record Moments(long n, double meanX, double meanY, double sxx, double syy, double sxy) {
        static Moments read(InputReader variant) {
            long n = variant.count("n", 2);
            double sumX = variant.number("sumX");
            double sumY = variant.number("sumY");
            double sumXX = variant.nonNegative("sumXX");
            double sumYY = variant.nonNegative("sumYY");
            double sumXY = variant.number("sumXY");
            // rounding can push a zero spread a hair below 0
            return new Moments(n, sumX / n, sumY / n, Math.max(0, sumXX - sumX * sumX / n),
                    Math.max(0, sumYY - sumY * sumY / n), sumXY - sumX * sumY / n);
        }

        double adjustedVariance(double theta) {
            return Math.max(0, syy - 2 * theta * sxy + theta * theta * sxx) / (n - 1);
        }
    }

    @Override
    public Map<String, Object> compute(Map<String, Object> input) {
        InputReader reader = InputReader.of(input);
        Map<String, Moments> variants = new LinkedHashMap<>();
        reader.objects("variants", 1).forEach((name, variant) -> variants.put(name, Moments.read(variant)));

        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        double sumX = 0;
        long units = 0;
        for (Moments m : variants.values()) {
            sxx += m.sxx();
            syy += m.syy();
            sxy += m.sxy();
            sumX += m.meanX() * m.n();
            units += m.n();
        }
        double theta = sxx > 0 ? sxy / sxx : 0;
        double grandMeanX = sumX / units;

        OutputMap byVariant = new OutputMap();
        double adjustedSpread = 0;
        double spread = 0;
        for (Map.Entry<String, Moments> entry : variants.entrySet()) {
            Moments m = entry.getValue();
            double variance = m.syy() / (m.n() - 1);
            double adjustedVariance = m.adjustedVariance(theta);
            adjustedSpread += adjustedVariance / m.n();
            spread += variance / m.n();
            byVariant.object(entry.getKey(), new OutputMap()
                    .number("n", m.n())
                    .number("mean", m.meanY() - theta * (m.meanX() - grandMeanX))
                    .number("variance", adjustedVariance)
                    .number("unadjustedMean", m.meanY())
                    .number("unadjustedVariance", variance)
                    .number("covariateMean", m.meanX()));
        }
        return new OutputMap()
                .number("theta", theta)
                .number("correlation", sxy / Math.sqrt(sxx * syy))
                .number("varianceReduction", 1 - adjustedSpread / spread)
                .object("variants", byVariant)
                .toMap();
    }
}
