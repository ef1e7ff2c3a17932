package io.ensign.api.evaluation;

import java.util.List;

import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Evaluates flags against the current snapshot of the state. Never throws for bad flags, bad contexts or
 * failing plugins: those are results with reason ERROR. Safe for use from many threads.
 */
@ProviderType
public interface FlagEvaluator {
    /**
     * Evaluates one flag.
     *
     * @param environment the environment's name
     * @param flagKey     the flag
     * @param context     the unit
     * @return the result; {@code FLAG_NOT_FOUND} when the flag does not exist
     */
    EvaluationResult evaluate(String environment, String flagKey, EvaluationContext context);

    /**
     * Evaluates one flag, choosing what a rollout by {@code targetingKey} makes of a context without one. The
     * default treats it as {@link MissingTargetingKey#NO_MATCH}, for evaluators without rollouts.
     */
    default EvaluationResult evaluate(String environment, String flagKey, EvaluationContext context,
                                      MissingTargetingKey missingKey) {
        return evaluate(environment, flagKey, context);
    }

    /** Evaluates every flag, ordered by key. */
    List<EvaluationResult> evaluateAll(String environment, EvaluationContext context);

    /** Evaluates every flag, ordered by key, as {@link #evaluate(String, String, EvaluationContext, MissingTargetingKey)}. */
    default List<EvaluationResult> evaluateAll(String environment, EvaluationContext context,
                                               MissingTargetingKey missingKey) {
        return evaluateAll(environment, context);
    }

    /** Grows with every change the evaluations can see (flags, segments, environments, plugins). */
    long stateVersion();

    /**
     * Plugins that flags in use name but that are not installed (past their grace period), as
     * {@code kind/name}, e.g. {@code operator/ip_in_cidr}; empty when evaluation is fully served.
     */
    List<String> missingPlugins();

    /** Failure and timeout counts of every plugin evaluation has called, ordered by plugin. */
    List<PluginHealth> pluginHealth();

    /**
     * Plugins whose services have left but that evaluation keeps using until a replacement arrives or their grace
     * period ends, ordered by plugin. Empty by default, for evaluators that hold no plugins.
     */
    default List<PluginInGrace> pluginsInGrace() {
        return List.of();
    }
}
