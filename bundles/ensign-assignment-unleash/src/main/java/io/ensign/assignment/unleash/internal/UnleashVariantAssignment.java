package io.ensign.assignment.unleash.internal;

import io.ensign.api.assignment.AssignmentPlugin;
import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.assignment.bucketing.Weights;

import org.osgi.service.component.annotations.Component;

/**
 * The {@code unleash-variant} strategy: Unleash's variant selection. With {@code total} the sum of the
 * (whole-number) weights, a unit's target is {@code MurmurHash3(groupId + ":" + unit, seed 86028157) mod
 * total + 1}, the rollout's salt being the {@code groupId}; the unit gets the first variant of non-zero
 * weight whose cumulative weight reaches the target.
 */
@Component(service = AssignmentStrategy.class)
@AssignmentPlugin(name = "unleash-variant")
public final class UnleashVariantAssignment implements AssignmentStrategy {
    /** Unleash's variant seed, so that variants do not correlate with the rollout percentage. */
    static final int VARIANT_SEED = 86_028_157;

    @Override
    public int assign(String salt, String unit, double[] weights) {
        int total = Weights.wholeTotal(weights);
        int target = UnleashNormalizedHash.of(salt, unit, total, VARIANT_SEED);
        int counter = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] != 0) {
                counter += (int) weights[i];
                if (counter >= target) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("no variant reached target " + target + " of " + total);
    }
}
