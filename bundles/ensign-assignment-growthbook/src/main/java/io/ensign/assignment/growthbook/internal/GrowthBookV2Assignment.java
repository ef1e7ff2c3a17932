package io.ensign.assignment.growthbook.internal;

import io.ensign.api.assignment.AssignmentPlugin;
import io.ensign.api.assignment.AssignmentStrategy;

import org.osgi.service.component.annotations.Component;

/**
 * The {@code growthbook} strategy: GrowthBook's hash version 2, the one it writes for new experiments.
 * {@code n = (fnv1a32(decimal text of fnv1a32(seed + unit)) mod 10000) / 10000}, the rollout's salt being
 * the seed.
 */
@Component(service = AssignmentStrategy.class)
@AssignmentPlugin(name = "growthbook")
public final class GrowthBookV2Assignment extends GrowthBookAssignment {
    @Override
    double hash(String seed, String unit) {
        return (fnv1a32(Long.toString(fnv1a32(seed + unit))) % 10_000) / 10_000.0;
    }
}
