package io.ensign.assignment;

import java.util.Map;

import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.model.Rollout;
import io.ensign.assignment.internal.HashAssignment;

/**
 * The built-in assignment strategy for use without OSGi (an application's in-process client): the class the bundle
 * registers as a DS component, constructed directly, by the name rollouts write.
 */
public final class BuiltInStrategies {
    private BuiltInStrategies() {
    }

    /** A new instance of every built-in strategy, by name: {@code hash}. */
    public static Map<String, AssignmentStrategy> create() {
        return Map.of(Rollout.DEFAULT_STRATEGY, new HashAssignment());
    }
}
