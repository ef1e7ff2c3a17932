package io.ensign.assignment.growthbook.internal;

import io.ensign.api.assignment.PartialAssignmentStrategy;
import io.ensign.assignment.bucketing.Weights;

/**
 * GrowthBook's assignment, less its hash, which gives the unit a number {@code n} in [0, 1).
 * <ul>
 *   <li>Two or more weights are an experiment: the ranges are {@code [c_i, c_i + coverage * w_i)} with
 *       {@code c_i} the weights before {@code i} added left to right, and the unit goes to the first range
 *       that holds {@code n}, or to none ({@link #UNASSIGNED}) where coverage or weights summing to less
 *       than one leave a gap.</li>
 *   <li>One weight is a rollout rule (a forced value with a coverage): the unit is in when
 *       {@code n <= coverage}, GrowthBook's own inclusive test.</li>
 * </ul>
 * Weights that GrowthBook accepts (summing to within [0.99, 1.01]) are used as written, so the ranges are
 * GrowthBook's to the last bit; any others are relative weights and divided by their sum first. A unit
 * with an empty id is in no variation, as GrowthBook skips an empty hash attribute.
 */
abstract class GrowthBookAssignment implements PartialAssignmentStrategy {
    /** The unit's number in [0, 1) for this seed, by the strategy's hash version. */
    abstract double hash(String seed, String unit);

    @Override
    public int assign(String salt, String unit, double[] weights) {
        return assign(salt, unit, weights, 1);
    }

    @Override
    public int assign(String salt, String unit, double[] weights, double coverage) {
        double total = Weights.total(weights);
        if (unit.isEmpty()) {
            return UNASSIGNED;
        }
        double n = hash(salt, unit);
        if (weights.length == 1) {
            return n <= coverage ? 0 : UNASSIGNED;
        }
        boolean asWritten = total >= 0.99 && total <= 1.01;
        double start = 0;
        for (int i = 0; i < weights.length; i++) {
            double weight = asWritten ? weights[i] : weights[i] / total;
            if (n >= start && n < start + coverage * weight) {
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
