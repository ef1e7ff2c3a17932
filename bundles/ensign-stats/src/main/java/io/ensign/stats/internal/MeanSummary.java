package io.ensign.stats.internal;

/** One arm's sufficient statistics for a mean: unit count, mean and sample variance (n - 1 divisor). */
record MeanSummary(long n, double mean, double variance) {

    /** Reads {@code {"n","mean","variance"}}; n must be at least 2 and the variance not negative. */
    static MeanSummary read(InputReader arm) {
        return new MeanSummary(arm.count("n", 2), arm.number("mean"), arm.nonNegative("variance"));
    }

    /** Variance of the arm's mean, var(x̄) = s²/n. */
    double varianceOfMean() {
        return variance / n;
    }

    /** sqrt(((n1-1)v1 + (n2-1)v2) / (n1+n2-2)), the standardiser of Cohen's d. */
    static double pooledStandardDeviation(MeanSummary a, MeanSummary b) {
        return Math.sqrt(((a.n - 1) * a.variance + (b.n - 1) * b.variance) / (a.n + b.n - 2));
    }
}
