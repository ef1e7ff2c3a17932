package io.ensign.stats.internal;

/**
 * A normal posterior N(mean, standardDeviation²) of an effect and the decision quantities it gives, either for
 * the effect itself (an absolute difference) or for the lift e^effect - 1 when the effect is a log-ratio.
 */
record NormalPosterior(double mean, double standardDeviation) {
    /** Every quantity null: the data do not define a posterior. */
    static final NormalPosterior UNDEFINED = new NormalPosterior(Double.NaN, Double.NaN);

    /** P(effect > 0) = Φ(μ/σ); the same event as lift > 0. */
    double probabilityAboveZero() {
        return StandardNormal.cdf(mean / standardDeviation);
    }

    /** E[max(effect, 0)] = σφ(μ/σ) + μΦ(μ/σ): what choosing control gives up in expectation. */
    double expectedPositivePart() {
        double z = mean / standardDeviation;
        return standardDeviation * StandardNormal.density(z) + mean * StandardNormal.cdf(z);
    }

    /** E[max(-effect, 0)] = σφ(μ/σ) - μΦ(-μ/σ): what choosing the treatment loses in expectation. */
    double expectedNegativePart() {
        double z = mean / standardDeviation;
        return standardDeviation * StandardNormal.density(z) - mean * StandardNormal.cdf(-z);
    }

    /** E[e^effect - 1] = e^(μ + σ²/2) - 1, the expected lift of a log-ratio effect. */
    double expectedLift() {
        return Math.expm1(mean + standardDeviation * standardDeviation / 2);
    }

    /** E[max(e^effect - 1, 0)] = e^(μ+σ²/2) Φ((μ+σ²)/σ) - Φ(μ/σ): the lift given up by choosing control. */
    double expectedLiftGain() {
        return Math.exp(mean + standardDeviation * standardDeviation / 2)
                * StandardNormal.cdf(mean / standardDeviation + standardDeviation)
                - StandardNormal.cdf(mean / standardDeviation);
    }

    /** E[max(1 - e^effect, 0)] = Φ(-μ/σ) - e^(μ+σ²/2) Φ(-(μ+σ²)/σ): the lift lost by choosing the treatment. */
    double expectedLiftLoss() {
        return StandardNormal.cdf(-mean / standardDeviation)
                - Math.exp(mean + standardDeviation * standardDeviation / 2)
                * StandardNormal.cdf(-mean / standardDeviation - standardDeviation);
    }

    /** The equal-tailed 1 - alpha interval of the effect around its mean (= median). */
    Interval credibleInterval(double alpha) {
        return Interval.around(mean, StandardNormal.criticalValue(alpha) * standardDeviation);
    }

    OutputMap toOutput() {
        return new OutputMap().number("mean", mean).number("standardDeviation", standardDeviation);
    }
}
