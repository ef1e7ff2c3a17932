package io.ensign.stats.internal;

/**
 * The parts of a two-arm comparison that do not depend on the test: difference with its normal
 * interval, relative lift by the delta method, and the power achieved. Both {@link WelchTTest} and
 * {@link TwoProportionZTest} describe their arms by an estimated mean and the variance of that estimate.
 *
 * @param control            control arm's estimate (mean or rate)
 * @param controlVariance    variance of that estimate (s²/n, or p(1-p)/n)
 * @param treatment          treatment arm's estimate
 * @param treatmentVariance  variance of that estimate
 */
record TwoSampleComparison(double control, double controlVariance, double treatment, double treatmentVariance) {

    /** Two mean arms: their means with the variances s²/n of those means. */
    static TwoSampleComparison of(MeanSummary control, MeanSummary treatment) {
        return new TwoSampleComparison(control.mean(), control.varianceOfMean(),
                treatment.mean(), treatment.varianceOfMean());
    }

    /** Two proportion arms: their rates with the unpooled variances p(1-p)/n of those rates. */
    static TwoSampleComparison of(ProportionSummary control, ProportionSummary treatment) {
        return new TwoSampleComparison(control.rate(), control.varianceOfRate(),
                treatment.rate(), treatment.varianceOfRate());
    }

    /** {@code control} and {@code treatment}: mean arms, or proportion arms when control has {@code successes}. */
    static TwoSampleComparison read(InputReader reader) {
        InputReader control = reader.object("control");
        InputReader treatment = reader.object("treatment");
        if (control.has("successes")) {
            return of(ProportionSummary.read(control), ProportionSummary.read(treatment));
        }
        return of(MeanSummary.read(control), MeanSummary.read(treatment));
    }

    double difference() {
        return treatment - control;
    }

    /**
     * Unpooled standard error of the difference, sqrt(var_t + var_c); NaN instead of 0, because with no
     * spread in either arm every quantity that divides by it is undefined and must come out as null.
     */
    double standardError() {
        double standardError = Math.sqrt(treatmentVariance + controlVariance);
        return standardError > 0 ? standardError : Double.NaN;
    }

    /**
     * Relative lift r = treatment/control - 1 with a delta-method interval at level 1 - alpha:
     * se(r) = sqrt(var_t / c² + t² var_c / c⁴), bounds r ± z se(r) with {@code critical} = z(1-alpha/2).
     * Undefined (null) when the control estimate is 0; bounds undefined when the difference's standard error is.
     */
    Interval relativeLift(double critical) {
        double controlSquared = control * control;
        double liftStandardError = Math.sqrt(treatmentVariance / controlSquared
                + treatment * treatment * controlVariance / (controlSquared * controlSquared));
        double halfWidth = Double.isNaN(standardError()) ? Double.NaN
                : critical * liftStandardError;
        return Interval.around(difference() / control, halfWidth);
    }

    /**
     * Power of a two-sided level-alpha z-test to detect a true difference equal to the observed one with
     * this standard error: Phi(|d|/se - z) + Phi(-|d|/se - z) with {@code critical} = z(1-alpha/2).
     * Undefined when se is.
     */
    double achievedPower(double critical) {
        double shift = Math.abs(difference()) / standardError();
        return StandardNormal.cdf(shift - critical) + StandardNormal.cdf(-shift - critical);
    }
}
