package io.ensign.evaluation;

import java.util.Set;

import io.ensign.api.model.EvaluationContext;

/** A segment ready for membership tests. */
final class CompiledSegment {
    private final Set<String> included;
    private final Set<String> excluded;
    private final CompiledCondition[] conditions;

    CompiledSegment(Set<String> included, Set<String> excluded, CompiledCondition[] conditions) {
        this.included = included;
        this.excluded = excluded;
        this.conditions = conditions;
    }

    /**
     * Not excluded, and either included or matching every condition; an empty condition list matches no
     * one.
     */
    boolean contains(EvaluationContext context, PluginGuard.InFlight slot) {
        String key = context.targetingKey();
        if (key != null) {
            if (excluded.contains(key)) {
                return false;
            }
            if (included.contains(key)) {
                return true;
            }
        }
        return conditions.length > 0 && CompiledCondition.allMatch(conditions, context, slot);
    }
}
