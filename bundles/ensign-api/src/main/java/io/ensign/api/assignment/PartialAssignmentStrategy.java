package io.ensign.api.assignment;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An assignment strategy that can also split only part of the units, as GrowthBook's experiment
 * {@code coverage} does: a rollout with a {@code coverage} is assigned through this method, and a strategy
 * that does not implement it is refused for such rollouts.
 */
@ConsumerType
public interface PartialAssignmentStrategy extends AssignmentStrategy {
    /**
     * Chooses a variant for a unit, or none.
     *
     * @param salt     as for {@link #assign(String, String, double[])}
     * @param unit     as for {@link #assign(String, String, double[])}
     * @param weights  as for {@link #assign(String, String, double[])}
     * @param coverage the fraction of units the split takes, in [0, 1]; how the strategy picks them is its own
     * @return the index into {@code weights} of the chosen variant, or {@link #UNASSIGNED}
     */
    int assign(String salt, String unit, double[] weights, double coverage);
}
