package io.ensign.stats.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.stats.StatisticalTestPlugin;

/**
 * Two-proportion z-test. The statistic uses the pooled standard error sqrt(p(1-p)(1/n_c + 1/n_t)) with
 * p the pooled rate, as the null hypothesis of equal rates implies; the interval, relative lift and power
 * use the unpooled standard error sqrt(p_c(1-p_c)/n_c + p_t(1-p_t)/n_t). A standard error of 0 (every
 * rate 0 or 1) makes the quantities that divide by it null.
 */
@Component(service = StatisticalTest.class)
@StatisticalTestPlugin(name = "two-proportion-z")
public final class TwoProportionZTest implements StatisticalTest {

    @Override
    public Map<String, Object> compute(Map<String, Object> input) {
        InputReader reader = InputReader.of(input);
        ProportionSummary control = ProportionSummary.read(reader.object("control"));
        ProportionSummary treatment = ProportionSummary.read(reader.object("treatment"));
        double alpha = reader.alpha();
        double critical = StandardNormal.criticalValue(alpha);

        TwoSampleComparison comparison = TwoSampleComparison.of(control, treatment);
        double pooledRate = (double) (control.successes() + treatment.successes()) / (control.n() + treatment.n());
        double pooledStandardError = Math.sqrt(pooledRate * (1 - pooledRate)
                * (1.0 / control.n() + 1.0 / treatment.n()));
        double statistic = pooledStandardError > 0 ? comparison.difference() / pooledStandardError : Double.NaN;
        double standardError = comparison.standardError();
        double halfWidth = critical * standardError;
        return new OutputMap()
                .number("statistic", statistic)
                .number("pValue", StandardNormal.twoSidedPValue(statistic))
                .object("difference", Interval.around(comparison.difference(), halfWidth).toOutput())
                .object("relativeLift", comparison.relativeLift(critical).toOutput())
                .number("power", comparison.achievedPower(critical))
                .toMap();
    }
}
