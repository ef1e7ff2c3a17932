package io.ensign.stats.internal;

import org.apache.commons.math3.special.Erf;

/**
 * The standard normal distribution, computed through {@link Erf#erfc} so that tail probabilities keep
 * their relative precision (1 - cdf would round a p-value of 1e-20 to 0).
 */
final class StandardNormal {
    private static final double SQRT2 = Math.sqrt(2);
    private static final double SQRT2PI = Math.sqrt(2 * Math.PI);

    private StandardNormal() {
    }

    /** P(Z <= x). */
    static double cdf(double x) {
        return 0.5 * Erf.erfc(-x / SQRT2);
    }

    /** The density φ(x). */
    static double density(double x) {
        return Math.exp(-0.5 * x * x) / SQRT2PI;
    }

    /** P(|Z| >= |z|). */
    static double twoSidedPValue(double z) {
        return Erf.erfc(Math.abs(z) / SQRT2);
    }

    /**
     * The p-quantile. Commons Math's inverse error function loses digits in the tails (2e-9 relative at
     * p = 1e-10); two Newton steps on the tail-precise cdf bring it back to machine precision.
     */
    static double quantile(double p) {
        double x = SQRT2 * Erf.erfInv(2 * p - 1);
        for (int step = 0; step < 2; step++) {
            double error = p < 0.5 ? cdf(x) - p : (1 - p) - cdf(-x);
            x -= error / density(x);
        }
        return x;
    }

    /** The two-sided critical value z(1 - alpha/2). */
    static double criticalValue(double alpha) {
        return -quantile(alpha / 2);
    }
}
