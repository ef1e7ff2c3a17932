package io.ensign.api.experiment;

/**
 * Sufficient statistics of one metric's per-unit values in one variant, enough for means, variances, success
 * rates and the tests on them without reading any event.
 *
 * @param n            units in the variant (exposed units; those without events count with value 0)
 * @param sum          sum of the per-unit values
 * @param sumOfSquares sum of the squared per-unit values
 * @param successes    units whose value is above 0
 */
public record MetricAggregate(long n, double sum, double sumOfSquares, long successes) {
    /** The mean per-unit value, NaN without units. */
    public double mean() {
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The sample variance (n - 1) of the per-unit values, NaN below two units. */
    public double variance() {
        if (n < 2) {
            return Double.NaN;
        }
        double mean = sum / n;
        // rounding can push a zero variance a hair below 0
        return Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
    }
}
