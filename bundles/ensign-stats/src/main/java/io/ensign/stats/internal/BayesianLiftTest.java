package io.ensign.stats.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.stats.StatisticalTestPlugin;

/**
 * Bayesian read-out of a treatment against control: the posterior of the effect, the chance that the treatment
 * beats control, the expected loss (risk) of choosing either arm, and an equal-tailed credible interval.
 *
 * <p>Method (GrowthBook's Gaussian effect model, on the log scale of its earlier engine; Stucchio's expected
 * loss). The data enter as a normal likelihood of the effect. On the {@code relative} scale (default) the
 * effect is the log-ratio L = ln(m_t/m_c), estimated with the delta-method variance var_t/m_t² + var_c/m_c²
 * (var = s²/n of a mean arm, p(1-p)/n of a proportion arm); the lift is e^L - 1. The log scale is chosen over
 * the plain relative difference because its chance to beat control stays calibrated at small samples, where
 * the difference's variance, which grows with the observed treatment mean, is not (docs/statistics.md). On the
 * {@code absolute} scale the effect is d = m_t - m_c with variance var_t + var_c. The prior is flat (improper,
 * GrowthBook's default) unless {@code prior} gives a normal N(mean, standardDeviation²) of the effect on the
 * same scale; the conjugate update is precision weighting. With the posterior N(μ, σ²):
 * <ul>
 * <li>chance to beat control P(effect > 0) = Φ(μ/σ);</li>
 * <li>risk of choosing control E[max(lift, 0)], of choosing the treatment E[max(-lift, 0)], with lift the
 * effect itself on the absolute scale and e^L - 1 (log-normal) on the relative one;</li>
 * <li>credible interval: μ ± z(1-α/2) σ, mapped to e^(·) - 1 on the relative scale, whose estimate is then the
 * posterior median lift; {@code expectedLift} is the posterior mean.</li>
 * </ul>
 * The relative scale needs positive means in both arms (a ratio of a negative or zero baseline has no "higher
 * is better" reading), else every quantity is null; so is every quantity that divides by a zero spread.
 */
@Component(service = StatisticalTest.class)
@StatisticalTestPlugin(name = "bayesian-lift")
public final class BayesianLiftTest implements StatisticalTest {
    static final String RELATIVE = "relative";
    static final String ABSOLUTE = "absolute";

    @Override
    public Map<String, Object> compute(Map<String, Object> input) {
        InputReader reader = InputReader.of(input);
        TwoSampleComparison comparison = TwoSampleComparison.read(reader);
        boolean relative = reader.choice("scale", RELATIVE, List.of(RELATIVE, ABSOLUTE)).equals(RELATIVE);
        NormalPrior prior = NormalPrior.read(reader);
        double alpha = reader.alpha();

        boolean positive = comparison.control() > 0 && comparison.treatment() > 0;
        boolean defined = !Double.isNaN(comparison.standardError()) && (!relative || positive);
        double estimate = Double.NaN;
        double variance = Double.NaN;
        if (relative && positive) {
            estimate = Math.log(comparison.treatment() / comparison.control());
            variance = comparison.treatmentVariance() / (comparison.treatment() * comparison.treatment())
                    + comparison.controlVariance() / (comparison.control() * comparison.control());
        } else if (!relative) {
            estimate = comparison.difference();
            variance = comparison.controlVariance() + comparison.treatmentVariance();
        }
        NormalPosterior posterior = defined ? prior.update(estimate, variance) : NormalPosterior.UNDEFINED;
        Interval effect = posterior.credibleInterval(alpha);
        Interval lift = relative ? new Interval(Math.expm1(effect.estimate()), Math.expm1(effect.lower()),
                Math.expm1(effect.upper())) : effect;
        return new OutputMap()
                .object("estimate", new OutputMap()
                        .number("mean", estimate)
                        .number("standardDeviation", defined ? Math.sqrt(variance) : Double.NaN))
                .object("prior", prior.toOutput())
                .object("posterior", posterior.toOutput())
                .object("credibleInterval", lift.toOutput())
                .number("expectedLift", relative ? posterior.expectedLift() : posterior.mean())
                .number("chanceToBeatControl", posterior.probabilityAboveZero())
                .object("risk", new OutputMap()
                        .number("control", relative ? posterior.expectedLiftGain() : posterior.expectedPositivePart())
                        .number("treatment", relative ? posterior.expectedLiftLoss() : posterior.expectedNegativePart()))
                .toMap();
    }
}
