package io.ensign.engine.internal;

import java.util.function.Predicate;

import io.ensign.api.model.EvaluationContext;

/** One condition with its operands compiled by its operator. */
final class CompiledCondition {
    private final String attribute;
    private final String operator;
    private final Predicate<Object> test;

    CompiledCondition(String attribute, String operator, Predicate<Object> test) {
        this.attribute = attribute;
        this.operator = operator;
        this.test = test;
    }

    /** A condition whose operator cannot serve; every test reports the failure. */
    static CompiledCondition failing(String attribute, String operator, String message) {
        PluginFailure failure = new PluginFailure(message);
        return new CompiledCondition(attribute, operator, v -> {
            throw failure;
        });
    }

    /** Whether every condition holds; a plugin that throws surfaces as a {@link PluginFailure}. */
    static boolean allMatch(CompiledCondition[] conditions, EvaluationContext context) {
        for (CompiledCondition c : conditions) {
            if (!c.test(context)) {
                return false;
            }
        }
        return true;
    }

    private boolean test(EvaluationContext context) {
        try {
            return test.test(context.attribute(attribute));
        } catch (PluginFailure e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new PluginFailure("operator '" + operator + "' failed: " + e);
        }
    }
}
