package io.ensign.itests.plugins;

import io.ensign.api.assignment.AssignmentStrategy;

/** Version 2 of the swapped assignment strategy: every unit gets the last variant of the rollout. */
public final class LastVariantStrategy implements AssignmentStrategy {
    @Override
    public int assign(String salt, String unit, double[] weights) {
        return weights.length - 1;
    }
}
