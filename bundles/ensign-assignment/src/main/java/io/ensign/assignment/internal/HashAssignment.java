package io.ensign.assignment.internal;

import io.ensign.api.assignment.AssignmentPlugin;
import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.assignment.bucketing.MurmurHash3;
import io.ensign.assignment.bucketing.Weights;

import org.osgi.service.component.annotations.Component;

/**
 * The {@code hash} strategy: a unit always lands in the same bucket of 10,000 for a given salt, and the
 * weights cut the buckets into consecutive ranges, one per variant. Clients reproduce it bit for bit:
 * <ol>
 *   <li>{@code bucket = MurmurHash3_x86_32(UTF-8 bytes of salt + "/" + unit, seed 0)}, read as an
 *       unsigned 32-bit integer, {@code mod 10000}.</li>
 *   <li>With {@code total} the sum of the weights and {@code c_i} the sum of the weights of variants 0
 *       to i, both added left to right in IEEE-754 double arithmetic, the range of variant i ends
 *       (exclusive) at {@code floor(c_i * 10000 / total)}, evaluated as {@code (c_i * 10000) / total} in
 *       doubles; the last variant's range, and that of any variant whose {@code c_i} already equals
 *       {@code total}, ends at 10000.</li>
 *   <li>The bucket goes to the first variant whose range end is greater than the bucket.</li>
 * </ol>
 * So a zero-weight variant gets an empty range. The clause for {@code c_i == total} matters only for
 * fractional weights followed by zero weights: {@code (t * 10000) / t} rounds to just under 10000 for
 * some doubles {@code t}, which would otherwise hand bucket 9999 to a trailing zero-weight variant.
 */
@Component(service = AssignmentStrategy.class)
@AssignmentPlugin(name = "hash")
public final class HashAssignment implements AssignmentStrategy {
    static final int BUCKETS = 10_000;

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when there are no weights, one is negative or not finite, or they
     *                                  sum to zero: validation rejects such rollouts before they get here
     */
    @Override
    public int assign(String salt, String unit, double[] weights) {
        return variantOf(bucket(salt, unit), weights);
    }

    /** The unit's bucket in [0, 10000). */
    static int bucket(String salt, String unit) {
        return Integer.remainderUnsigned(MurmurHash3.hash32x86Utf8(salt, '/', unit, 0), BUCKETS);
    }

    /** The index of the variant whose bucket range holds {@code bucket}. */
    static int variantOf(int bucket, double[] weights) {
        double total = Weights.total(weights);
        double cumulative = 0;
        int last = weights.length - 1;
        for (int i = 0; i < last; i++) {
            cumulative += weights[i];
            if (rangeEnd(cumulative, total) > bucket) {
                return i;
            }
        }
        return last;
    }

    private static int rangeEnd(double cumulative, double total) {
        return cumulative == total ? BUCKETS : (int) Math.floor(cumulative * BUCKETS / total);
    }
}
