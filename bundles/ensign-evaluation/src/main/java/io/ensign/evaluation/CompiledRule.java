package io.ensign.evaluation;

import java.math.BigDecimal;

import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.evaluation.MissingTargetingKey;
import io.ensign.api.model.ErrorCode;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;

/**
 * A rule ready to evaluate: its segment and conditions compiled, and every result it can give built in
 * advance, so that a match allocates nothing.
 */
final class CompiledRule {
    private final CompiledSegment segment;
    private final CompiledCondition[] conditions;
    private final EvaluationResult fixed;
    private final AssignmentStrategy strategy;
    private final String strategyName;
    private final String salt;
    private final String bucketBy;
    private final double[] weights;
    private final EvaluationResult[] split;
    private final EvaluationResult errorTemplate;
    private final EvaluationResult keyMissing;
    private final PluginGuard guard;
    private final PluginGuard.Health strategyHealth;

    /**
     * @param segment       the rule's segment, null when it names none
     * @param conditions    the rule's conditions
     * @param fixed         the result of a match for a fixed-variant rule, else null
     * @param strategy      the rollout's strategy (may be one that always fails), null for fixed rules
     * @param salt          the rollout's salt
     * @param bucketBy      the attribute holding the unit
     * @param weights       the rollout's weights in order
     * @param split         the result for each weight's variant
     * @param errorTemplate the result to report failures with (its details are replaced)
     * @param keyMissing    the result when the rollout needs the missing targeting key and the caller asks for the
     *                      error, null when the rule never gives it (fixed rules, experiments, other attributes)
     * @param guard         bounds the strategy's calls
     * @param strategyHealth the strategy's health record, null when no call needs guarding
     */
    CompiledRule(CompiledSegment segment, CompiledCondition[] conditions, EvaluationResult fixed,
                 AssignmentStrategy strategy, String strategyName, String salt, String bucketBy, double[] weights,
                 EvaluationResult[] split, EvaluationResult errorTemplate, EvaluationResult keyMissing,
                 PluginGuard guard, PluginGuard.Health strategyHealth) {
        this.segment = segment;
        this.conditions = conditions;
        this.fixed = fixed;
        this.strategy = strategy;
        this.strategyName = strategyName;
        this.salt = salt;
        this.bucketBy = bucketBy;
        this.weights = weights;
        this.split = split;
        this.errorTemplate = errorTemplate;
        this.keyMissing = keyMissing;
        this.guard = guard;
        this.strategyHealth = strategyHealth;
    }

    /**
     * The rule's result for this unit, or null when the rule does not match or its split leaves the unit out.
     *
     * @param missingKey what a rollout by targeting key makes of a context without one
     */
    EvaluationResult evaluate(EvaluationContext context, PluginGuard.InFlight slot, MissingTargetingKey missingKey) {
        try {
            if (segment != null && !segment.contains(context, slot)) {
                return null;
            }
            if (!CompiledCondition.allMatch(conditions, context, slot)) {
                return null;
            }
        } catch (PluginFailure e) {
            return failure(e.getMessage());
        }
        if (fixed != null) {
            return fixed;
        }
        String unit = unitOf(context.attribute(bucketBy));
        if (unit == null) {
            return missingKey == MissingTargetingKey.ERROR ? keyMissing : null;
        }
        int index;
        try {
            index = assign(unit, slot);
        } catch (PluginFailure e) {
            return failure(e.getMessage());
        }
        if (index == AssignmentStrategy.UNASSIGNED) {
            return null;
        }
        if (index < 0 || index >= split.length) {
            return failure("assignment strategy '" + strategyName + "' chose variant index " + index
                    + " of " + split.length);
        }
        return split[index];
    }

    private int assign(String unit, PluginGuard.InFlight slot) {
        if (strategyHealth == null) {
            return strategy.assign(salt, unit, weights);
        }
        guard.enter(slot, strategyHealth);
        int index;
        try {
            index = strategy.assign(salt, unit, weights);
        } catch (Throwable t) {
            throw guard.failed(slot, strategyHealth, "assignment strategy '" + strategyName + "'", t);
        }
        guard.exit(slot);
        return index;
    }

    private EvaluationResult failure(String details) {
        return EvaluationResult.error(errorTemplate.key(), errorTemplate.value(), errorTemplate.variant(),
                ErrorCode.GENERAL, details, errorTemplate.metadata());
    }

    /** The unit id an attribute value stands for: strings as they are, numbers and booleans as JSON text. */
    static String unitOf(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Number n) {
            return BigDecimal.valueOf(n.doubleValue()).stripTrailingZeros().toPlainString();
        }
        return null;
    }
}
