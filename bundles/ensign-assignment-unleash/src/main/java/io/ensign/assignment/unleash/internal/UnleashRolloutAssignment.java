package io.ensign.assignment.unleash.internal;

import io.ensign.api.assignment.AssignmentPlugin;
import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.assignment.bucketing.Weights;

import org.osgi.service.component.annotations.Component;

/**
 * The {@code unleash} strategy: Unleash's gradual (flexible) rollout. A unit's number is
 * {@code n = MurmurHash3(groupId + ":" + unit, seed 0) mod 100 + 1}, with the rollout's salt as the
 * {@code groupId}; the unit is in the first variant whose cumulative weight, scaled to 100, is at least
 * {@code n}. Weights {@code {on: P, off: 100 - P}} therefore give {@code on} exactly to the units Unleash
 * enables at rollout {@code P}.
 */
@Component(service = AssignmentStrategy.class)
@AssignmentPlugin(name = "unleash")
public final class UnleashRolloutAssignment implements AssignmentStrategy {
    static final int PERCENT = 100;

    @Override
    public int assign(String salt, String unit, double[] weights) {
        double total = Weights.total(weights);
        int n = UnleashNormalizedHash.of(salt, unit, PERCENT, 0);
        double cumulative = 0;
        int last = weights.length - 1;
        for (int i = 0; i < last; i++) {
            cumulative += weights[i];
            if (n <= cumulative * PERCENT / total) {
                return i;
            }
        }
        return last;
    }
}
