package io.ensign.stats.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.ensign.api.stats.StatisticalTest;
import io.ensign.api.stats.StatisticalTestPlugin;

/**
 * One-sided check of a guardrail metric, one that must not get worse (errors, latency, unsubscribes, or revenue
 * while another metric is optimised). With d = m_t - m_c and its unpooled standard error se (as in welch-t and
 * two-proportion-z), the harm is h = -d when higher is better and h = d when lower is better. Against the null
 * "harm at most {@code margin}" (a tolerated harm in the metric's units, default 0):
 * z = (h - margin)/se, {@code pValue} = P(Z ≥ z) one-sided, {@code harmful} when it is below alpha; and
 * {@code harmUpperBound} = h + z(1-alpha) se, the one-sided 1 - alpha bound on the harm, with
 * {@code nonInferior} when that bound is below the margin (evidence that the harm is smaller than tolerated).
 * Normal quantiles throughout: guardrails are read at experiment sizes, where Welch's t and the normal agree.
 */
@Component(service = StatisticalTest.class)
@StatisticalTestPlugin(name = "guardrail")
public final class GuardrailTest implements StatisticalTest {
    /** The values of {@code direction}, the default first. */
    private static final List<String> DIRECTIONS = List.of("higher-is-better", "lower-is-better");

    @Override
    public Map<String, Object> compute(Map<String, Object> input) {
        InputReader reader = InputReader.of(input);
        boolean higherIsBetter = reader.choice("direction", DIRECTIONS.get(0), DIRECTIONS).equals(DIRECTIONS.get(0));
        TwoSampleComparison comparison = TwoSampleComparison.read(reader);
        double margin = reader.has("margin") ? reader.nonNegative("margin") : 0;
        double alpha = reader.alpha();

        double harm = higherIsBetter ? -comparison.difference() : comparison.difference();
        double standardError = comparison.standardError();
        double statistic = (harm - margin) / standardError;
        double pValue = StandardNormal.cdf(-statistic);
        double upperBound = harm - StandardNormal.quantile(alpha) * standardError;
        boolean defined = !Double.isNaN(standardError);
        return new OutputMap()
                .number("harm", harm)
                .number("margin", margin)
                .number("statistic", statistic)
                .number("pValue", pValue)
                .number("harmUpperBound", upperBound)
                .flag("harmful", defined ? pValue < alpha : null)
                .flag("nonInferior", defined ? upperBound < margin : null)
                .toMap();
    }
}
