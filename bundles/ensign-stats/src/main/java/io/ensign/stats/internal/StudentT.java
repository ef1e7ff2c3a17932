package io.ensign.stats.internal;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Beta;

/** Student's t distribution with real-valued degrees of freedom (Welch-Satterthwaite gives fractions). */
final class StudentT {
    private static final int MAX_NEWTON_STEPS = 50;
    /**
     * Newton converges quadratically, so once a step in ln x is this small the error left after it is far
     * below the rounding noise of the tail itself; smaller thresholds would chase that noise.
     */
    private static final double CONVERGED_STEP = 1e-9;
    /** Absolute accuracy for the fallback root finder; Commons Math's default (1e-9) is too coarse. */
    private static final double FALLBACK_ACCURACY = 1e-14;

    private StudentT() {
    }

    /** P(|T| >= |t|). */
    static double twoSidedPValue(double t, double degreesOfFreedom) {
        return 2 * upperTail(Math.abs(t), degreesOfFreedom);
    }

    /**
     * The two-sided critical value t(1 - alpha/2; df). Commons Math's generic root finder needs some 30
     * cdf evaluations; Newton's method on ln P(T > x) in ln x, started from the Cornish-Fisher expansion,
     * needs a handful, which matters when experiment analysis or a simulation calls this at every look.
     */
    static double criticalValue(double alpha, double degreesOfFreedom) {
        double target = Math.log(alpha / 2);
        double z = StandardNormal.criticalValue(alpha);
        double df = degreesOfFreedom;
        double x = z + (z * z * z + z) / (4 * df) + (5 * Math.pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * df * df);
        for (int step = 0; step < MAX_NEWTON_STEPS; step++) {
            double tail = upperTail(x, df);
            // d ln S / d ln x = -x f(x) / S(x)
            double slope = -x * density(x, df) / tail;
            double logStep = (target - Math.log(tail)) / slope;
            x *= Math.exp(logStep);
            if (Math.abs(logStep) < CONVERGED_STEP) {
                return x;
            }
        }
        return new TDistribution(null, df, FALLBACK_ACCURACY).inverseCumulativeProbability(1 - alpha / 2);
    }

    /**
     * P(T > x) for x >= 0 through the regularized incomplete beta function. Beyond x = 1 the tail is at
     * most 1/4 and is computed directly, keeping relative precision down to tiny p-values; below it the
     * tail is 1/2 minus a part that is computed from x²/(df+x²), which is exact there while df/(df+x²)
     * would round to 1. (Commons Math receives only the rounded beta argument, so for df beyond about
     * 10^6 the tail loses digits: about 1e-9 relative at df = 2e6; docs/statistics.md.)
     */
    private static double upperTail(double x, double df) {
        double xSquared = x * x;
        if (x >= 1) {
            return 0.5 * Beta.regularizedBeta(df / (df + xSquared), df / 2, 0.5);
        }
        return 0.5 - 0.5 * Beta.regularizedBeta(xSquared / (df + xSquared), 0.5, df / 2);
    }

    private static double density(double x, double df) {
        return Math.exp(-(df + 1) / 2 * Math.log1p(x * x / df) - 0.5 * Math.log(df) - Beta.logBeta(df / 2, 0.5));
    }
}
