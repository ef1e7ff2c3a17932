package io.ensign.api.assignment;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Splits units between the variants of a rollout or an experiment. Registered as an OSGi service with
 * the service property {@value #NAME}. Assignment must be deterministic in its inputs so that every node
 * and every client agree without shared state.
 */
@ConsumerType
public interface AssignmentStrategy {
    /** Service property: the strategy's name as rollouts write it, e.g. {@code hash}. */
    String NAME = "name";
    /** Service property: the plugin's version, informational. */
    String VERSION = "version";
    /**
     * What {@link #assign} returns for a unit the split leaves out (GrowthBook's weights that cover less
     * than every unit): the rule then does not match and evaluation goes on with the next rule.
     */
    int UNASSIGNED = -1;

    /**
     * Chooses a variant.
     *
     * @param salt    the experiment key for experiments, else the flag key
     * @param unit    the unit's id (the value of the rollout's {@code bucketBy} attribute)
     * @param weights the variants' relative weights, in the order written; non-negative, sum positive
     * @return the index into {@code weights} of the chosen variant, or {@link #UNASSIGNED}
     */
    int assign(String salt, String unit, double[] weights);
}
