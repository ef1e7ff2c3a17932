package io.ensign.itests.plugins;

import io.ensign.api.assignment.AssignmentStrategy;

/** Version 1 of the swapped assignment strategy: every unit gets the first variant of the rollout. */
public final class FirstVariantStrategy implements AssignmentStrategy {
    @Override
    public int assign(String salt, String unit, double[] weights) {
        return 0;
    }
}
