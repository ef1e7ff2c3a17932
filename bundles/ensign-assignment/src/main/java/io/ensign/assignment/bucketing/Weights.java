package io.ensign.assignment.bucketing;

/**
 * Checks a rollout's weights before a strategy cuts ranges from them. Validation refuses bad weights at
 * write time; these checks keep a strategy from computing nonsense if some still arrive.
 */
public final class Weights {
    private Weights() {
    }

    /**
     * The weights' sum, added left to right.
     *
     * @throws IllegalArgumentException when there are no weights, one is negative or not finite, or they
     *                                  do not sum to a positive finite number
     */
    public static double total(double[] weights) {
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException("a rollout needs at least one variant weight");
        }
        double total = 0;
        for (double weight : weights) {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("weights must be finite and non-negative, got " + weight);
            }
            total += weight;
        }
        if (total <= 0 || Double.isInfinite(total)) {
            throw new IllegalArgumentException("weights must have a positive, finite sum, got " + total);
        }
        return total;
    }

    /**
     * The sum of weights that must be whole numbers, as peers that weigh in integers (Unleash's variants,
     * flagd's fractional) require.
     *
     * @throws IllegalArgumentException as {@link #total(double[])} does, and for a fraction or a sum
     *                                  beyond {@link Integer#MAX_VALUE}
     */
    public static int wholeTotal(double[] weights) {
        double total = total(weights);
        for (double weight : weights) {
            if (weight != Math.rint(weight)) {
                throw new IllegalArgumentException("weights must be whole numbers here, got " + weight);
            }
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the weights' sum must not exceed " + Integer.MAX_VALUE + ", got "
                    + total);
        }
        return (int) total;
    }
}
