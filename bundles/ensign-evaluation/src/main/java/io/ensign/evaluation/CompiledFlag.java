package io.ensign.evaluation;

import java.util.Map;

import io.ensign.api.evaluation.MissingTargetingKey;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;

/**
 * A flag ready to evaluate: one resolved view per environment that changes it, and the global view for
 * every other environment.
 */
final class CompiledFlag {
    private final Map<String, View> views;
    private final View global;

    CompiledFlag(Map<String, View> views, View global) {
        this.views = views;
        this.global = global;
    }

    EvaluationResult evaluate(String environment, EvaluationContext context, PluginGuard.InFlight slot,
                              MissingTargetingKey missingKey) {
        View view = views.get(environment);
        return (view == null ? global : view).evaluate(context, slot, missingKey);
    }

    /**
     * The flag as one environment sees it: enabled or not, overrides (the environment's over the global
     * ones), the rule list in force and the default result.
     */
    static final class View {
        private final EvaluationResult disabled;
        private final Map<String, EvaluationResult> overrides;
        private final CompiledRule[] rules;
        private final EvaluationResult fallback;

        View(EvaluationResult disabled, Map<String, EvaluationResult> overrides, CompiledRule[] rules,
             EvaluationResult fallback) {
            this.disabled = disabled;
            this.overrides = overrides;
            this.rules = rules;
            this.fallback = fallback;
        }

        EvaluationResult evaluate(EvaluationContext context, PluginGuard.InFlight slot, MissingTargetingKey missingKey) {
            if (disabled != null) {
                return disabled;
            }
            String key = context.targetingKey();
            if (key != null) {
                EvaluationResult override = overrides.get(key);
                if (override != null) {
                    return override;
                }
            }
            for (CompiledRule rule : rules) {
                EvaluationResult result = rule.evaluate(context, slot, missingKey);
                if (result != null) {
                    return result;
                }
            }
            return fallback;
        }
    }
}
