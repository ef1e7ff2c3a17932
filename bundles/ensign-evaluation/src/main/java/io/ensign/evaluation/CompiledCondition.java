package io.ensign.evaluation;

import java.util.function.Predicate;

import io.ensign.api.model.EvaluationContext;

/** One condition with its operands compiled by its operator, called under the plugin guard. */
final class CompiledCondition {
    private final String attribute;
    private final String operator;
    private final Predicate<Object> test;
    private final PluginGuard guard;
    private final PluginGuard.Health health;

    CompiledCondition(String attribute, String operator, Predicate<Object> test, PluginGuard guard,
                      PluginGuard.Health health) {
        this.attribute = attribute;
        this.operator = operator;
        this.test = test;
        this.guard = guard;
        this.health = health;
    }

    /** A condition whose operator cannot serve; every test reports the failure. */
    static CompiledCondition failing(String attribute, String operator, String message) {
        PluginFailure failure = new PluginFailure(message);
        return new CompiledCondition(attribute, operator, v -> {
            throw failure;
        }, null, null);
    }

    /** Whether every condition holds; a plugin that throws or overruns surfaces as a {@link PluginFailure}. */
    static boolean allMatch(CompiledCondition[] conditions, EvaluationContext context, PluginGuard.InFlight slot) {
        for (CompiledCondition c : conditions) {
            if (!c.test(context, slot)) {
                return false;
            }
        }
        return true;
    }

    private boolean test(EvaluationContext context, PluginGuard.InFlight slot) {
        Object value = context.attribute(attribute);
        if (health == null) {
            return test.test(value);
        }
        guard.enter(slot, health);
        boolean matched;
        try {
            matched = test.test(value);
        } catch (Throwable t) {
            throw guard.failed(slot, health, "operator '" + operator + "'", t);
        }
        guard.exit(slot);
        return matched;
    }
}
