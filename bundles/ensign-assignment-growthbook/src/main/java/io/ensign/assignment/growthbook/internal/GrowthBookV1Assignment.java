package io.ensign.assignment.growthbook.internal;

import io.ensign.api.assignment.AssignmentPlugin;
import io.ensign.api.assignment.AssignmentStrategy;

import org.osgi.service.component.annotations.Component;

/**
 * The {@code growthbook-v1} strategy: GrowthBook's original hash (version 1), which experiments created
 * before version 2 still use. {@code n = (fnv1a32(unit + seed) mod 1000) / 1000}, the rollout's salt
 * being the seed.
 */
@Component(service = AssignmentStrategy.class)
@AssignmentPlugin(name = "growthbook-v1")
public final class GrowthBookV1Assignment extends GrowthBookAssignment {
    @Override
    double hash(String seed, String unit) {
        return (fnv1a32(unit + seed) % 1_000) / 1_000.0;
    }
}
