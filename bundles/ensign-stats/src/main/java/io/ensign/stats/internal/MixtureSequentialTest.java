package io.ensign.stats.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.stats.StatisticalTestPlugin;

/**
 * Mixture sequential probability ratio test (mSPRT) for a difference in means, giving an always-valid
 * p-value and a confidence sequence that stay valid however often the caller looks at the data.
 *
 * <p>Method (Johari, Koomen, Pekelis, Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests",
 * Operations Research 70(3), 2022, section 4; the normal mixture is Robbins 1970, "Statistical methods
 * related to the law of the iterated logarithm"). The estimate theta = mean_t - mean_c is treated as
 * N(theta, V) with the plug-in V = s_t²/n_t + s_c²/n_c. Mixing the likelihood ratio against theta = 0 over
 * a prior theta ~ N(0, tau²) gives the closed form
 * <pre>
 *   Lambda = ∫ φ(θ̂; θ, V) φ(θ; 0, τ²) dθ / φ(θ̂; 0, V) = sqrt(V / (V + τ²)) · exp(τ² θ̂² / (2 V (V + τ²)))
 * </pre>
 * which, for n units per arm and common variance σ², is the paper's
 * sqrt(2σ²/(2σ²+nτ²)) · exp(n²τ²θ̂² / (4σ²(2σ²+nτ²))). Under the null Lambda is a non-negative
 * martingale with mean 1, so by Ville's inequality P(sup Lambda ≥ 1/alpha) ≤ alpha. Hence:
 * <ul>
 * <li>{@code pValue} = min(1, 1/Lambda) at this look. The always-valid p-value is the running minimum of
 * this value over all looks so far; keeping that minimum is the caller's job, since this test sees only
 * the current sufficient statistics.</li>
 * <li>{@code confidenceSequence}: the set of theta0 whose Lambda stays below 1/alpha,
 * θ̂ ± sqrt((V (V + τ²) / τ²) · (ln((V + τ²) / V) + 2 ln(1/alpha))). The running intersection over looks is
 * again the caller's.</li>
 * </ul>
 * {@code tau} (the mixing standard deviation, in the metric's units) is taken from the input; else from
 * {@code minimumDetectableEffect}; else 0.1 times the pooled per-unit standard deviation, i.e. a prior
 * centred on effects of a tenth of a standard deviation, typical of online experiments. The guarantee
 * holds for any fixed tau; tau only trades early detection of large effects against small ones.
 * {@code logLambda} is returned too because Lambda itself overflows (and is then null) for large effects.
 * When both variances are 0, V = 0 and every quantity but the estimate and tau is null.
 */
@Component(service = StatisticalTest.class)
@StatisticalTestPlugin(name = "msprt")
public final class MixtureSequentialTest implements StatisticalTest {
    /** Default tau as a fraction of the pooled per-unit standard deviation. */
    private static final double DEFAULT_TAU_IN_STANDARD_DEVIATIONS = 0.1;

    @Override
    public Map<String, Object> compute(Map<String, Object> input) {
        InputReader reader = InputReader.of(input);
        MeanSummary control = MeanSummary.read(reader.object("control"));
        MeanSummary treatment = MeanSummary.read(reader.object("treatment"));
        double alpha = reader.alpha();
        double tau = tau(reader, control, treatment);

        double estimate = treatment.mean() - control.mean();
        double variance = control.varianceOfMean() + treatment.varianceOfMean();
        double logLambda = Double.NaN;
        double halfWidth = Double.NaN;
        if (variance > 0 && tau > 0) {
            double mixing = tau * tau;
            double logVarianceRatio = Math.log1p(mixing / variance);
            logLambda = -0.5 * logVarianceRatio + mixing * estimate * estimate / (2 * variance * (variance + mixing));
            halfWidth = Math.sqrt(variance * (variance + mixing) / mixing * (logVarianceRatio - 2 * Math.log(alpha)));
        }
        return new OutputMap()
                .number("lambda", Math.exp(logLambda))
                .number("logLambda", logLambda)
                .number("pValue", Math.min(1, Math.exp(-logLambda)))
                .object("confidenceSequence", Interval.around(estimate, halfWidth).toOutput())
                .number("tau", tau)
                .toMap();
    }

    private static double tau(InputReader reader, MeanSummary control, MeanSummary treatment) {
        if (reader.has("tau")) {
            return reader.positive("tau");
        }
        if (reader.has("minimumDetectableEffect")) {
            return reader.positive("minimumDetectableEffect");
        }
        return DEFAULT_TAU_IN_STANDARD_DEVIATIONS * MeanSummary.pooledStandardDeviation(control, treatment);
    }
}
