package io.ensign.assignment.flagd.internal;

import io.ensign.api.assignment.AssignmentPlugin;
import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.assignment.bucketing.MurmurHash3;
import io.ensign.assignment.bucketing.Weights;

import org.osgi.service.component.annotations.Component;

/**
 * The {@code flagd-fractional} strategy: flagd's {@code fractional} operator as its Java in-process
 * evaluator computes it. The key hashed is {@code salt + unit} with no separator (flagd's default is
 * {@code flagKey + targetingKey}; an empty salt hashes the unit alone, as a custom bucketing expression
 * does). With {@code h} the signed 32-bit MurmurHash3 of its UTF-8 bytes (seed 0), the bucket is the
 * float {@code |h| / Integer.MAX_VALUE * 100}; each variant of whole-number weight {@code w} adds the
 * float {@code (w * 100) / total} to a running float sum, and the unit goes to the first variant whose
 * sum exceeds its bucket. Single precision is part of the definition: it decides units at range edges.
 */
@Component(service = AssignmentStrategy.class)
@AssignmentPlugin(name = "flagd-fractional")
public final class FlagdFractionalAssignment implements AssignmentStrategy {
    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when the bucket is not below the float sum of all ranges (at least the
     *                               one in 2^25 hashes whose bucket rounds up to 100): flagd fails those
     *                               evaluations too
     */
    @Override
    public int assign(String salt, String unit, double[] weights) {
        int total = Weights.wholeTotal(weights);
        float bucket = Math.abs(MurmurHash3.hash32x86Utf8(salt, unit, 0)) * 1.0f / Integer.MAX_VALUE * 100;
        float sum = 0;
        for (int i = 0; i < weights.length; i++) {
            int weight = (int) weights[i];
            sum += weight == 0 ? 0 : (float) (weight * 100) / total;
            if (bucket < sum) {
                return i;
            }
        }
        throw new IllegalStateException("bucket " + bucket + " lies beyond every range (sum " + sum + ")");
    }
}
