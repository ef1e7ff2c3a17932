package io.ensign.stats.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.stats.StatisticalTestPlugin;

/**
 * Welch's unequal-variance t-test for a difference in means, from each arm's n, mean and sample variance.
 * Difference = treatment - control; Welch-Satterthwaite degrees of freedom; two-sided p-value and a
 * 1 - alpha interval from Student's t with those degrees of freedom. When both variances are 0 the
 * standard error is 0 and the statistic, degrees of freedom, p-value, interval bounds and power are null.
 */
@Component(service = StatisticalTest.class)
@StatisticalTestPlugin(name = "welch-t")
public final class WelchTTest implements StatisticalTest {

    @Override
    public Map<String, Object> compute(Map<String, Object> input) {
        InputReader reader = InputReader.of(input);
        MeanSummary control = MeanSummary.read(reader.object("control"));
        MeanSummary treatment = MeanSummary.read(reader.object("treatment"));
        double alpha = reader.alpha();
        double critical = StandardNormal.criticalValue(alpha);

        TwoSampleComparison comparison = TwoSampleComparison.of(control, treatment);
        double standardError = comparison.standardError();
        double difference = comparison.difference();
        double statistic = Double.NaN;
        double degreesOfFreedom = Double.NaN;
        double pValue = Double.NaN;
        double halfWidth = Double.NaN;
        if (!Double.isNaN(standardError)) {
            statistic = difference / standardError;
            degreesOfFreedom = welchSatterthwaite(control, treatment);
            pValue = StudentT.twoSidedPValue(statistic, degreesOfFreedom);
            halfWidth = StudentT.criticalValue(alpha, degreesOfFreedom) * standardError;
        }
        return new OutputMap()
                .number("statistic", statistic)
                .number("degreesOfFreedom", degreesOfFreedom)
                .number("pValue", pValue)
                .object("difference", Interval.around(difference, halfWidth).toOutput())
                .object("relativeLift", comparison.relativeLift(critical).toOutput())
                .number("cohensD", difference / MeanSummary.pooledStandardDeviation(control, treatment))
                .number("power", comparison.achievedPower(critical))
                .toMap();
    }

    /** df = (a + b)² / (a²/(n_c-1) + b²/(n_t-1)) with a = s_c²/n_c, b = s_t²/n_t. */
    private static double welchSatterthwaite(MeanSummary control, MeanSummary treatment) {
        double a = control.varianceOfMean();
        double b = treatment.varianceOfMean();
        return (a + b) * (a + b) / (a * a / (control.n() - 1) + b * b / (treatment.n() - 1));
    }
}
