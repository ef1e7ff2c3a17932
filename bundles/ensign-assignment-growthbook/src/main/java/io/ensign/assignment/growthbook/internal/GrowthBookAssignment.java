package io.ensign.assignment.growthbook.internal;

import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.assignment.bucketing.Weights;

/**
 * GrowthBook's experiment assignment, less its hash: the unit's number {@code n} in [0, 1) is compared
 * with ranges cut from the weights as GrowthBook cuts them, {@code [c_i, c_i + w_i)} with {@code c_i} the
 * weights before {@code i} added left to right, and the unit goes to the first range that holds it, or
 * to none ({@link #UNASSIGNED}) when the weights sum to less than one and {@code n} lies beyond.
 * Weights that GrowthBook accepts (summing to within [0.99, 1.01]) are used as written, so the ranges
 * are GrowthBook's to the last bit; any others are relative weights and divided by their sum first.
 */
abstract class GrowthBookAssignment implements AssignmentStrategy {
    /** The unit's number in [0, 1) for this seed, by the strategy's hash version. */
    abstract double hash(String seed, String unit);

    @Override
    public int assign(String salt, String unit, double[] weights) {
        double total = Weights.total(weights);
        if (unit.isEmpty()) {
            return UNASSIGNED; // GrowthBook skips a unit whose hash attribute is empty
        }
        double n = hash(salt, unit);
        boolean asWritten = total >= 0.99 && total <= 1.01;
        double start = 0;
        for (int i = 0; i < weights.length; i++) {
            double weight = asWritten ? weights[i] : weights[i] / total;
            if (n >= start && n < start + weight) {
                return i;
            }
            start += weight;
        }
        return UNASSIGNED;
    }

    /**
     * 32-bit FNV-1a over the string's UTF-16 code units, as GrowthBook's SDKs compute it (JavaScript's
     * {@code charCodeAt}), read unsigned.
     */
    static long fnv1a32(String text) {
        int hash = 0x811c9dc5;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x01000193;
        }
        return Integer.toUnsignedLong(hash);
    }
}
