package io.ensign.testing.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ensign.api.evaluation.FlagEvaluator;
import io.ensign.api.evaluation.PluginHealth;
import io.ensign.api.model.ErrorCode;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.api.model.Flag;
import io.ensign.api.model.Reason;

/**
 * A stand-in evaluator over {@link InMemoryCatalog} for HTTP tests: overrides, then the environment's or the
 * global default variant; a flag whose description is an error code name evaluates to that error.
 */
public final class CatalogEvaluator implements FlagEvaluator {
    private final InMemoryCatalog catalog;
    /** What {@link #missingPlugins()} reports. */
    public volatile List<String> missingPlugins = List.of();

    public CatalogEvaluator(InMemoryCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public EvaluationResult evaluate(String environment, String flagKey, EvaluationContext context) {
        Flag flag = catalog.flag(flagKey).orElse(null);
        if (flag == null) {
            return EvaluationResult.error(flagKey, null, null, ErrorCode.FLAG_NOT_FOUND,
                    "flag '" + flagKey + "' does not exist", Map.of());
        }
        Map<String, Object> metadata = Map.of("flagVersion", flag.version(), "environment", environment);
        if (flag.description() != null && isErrorCode(flag.description())) {
            return EvaluationResult.error(flagKey, flag.variants().get(flag.defaultVariant()), flag.defaultVariant(),
                    ErrorCode.valueOf(flag.description()), "forced " + flag.description(), metadata);
        }
        String override = context.targetingKey() == null ? null : flag.overrides().get(context.targetingKey());
        if (override != null) {
            return new EvaluationResult(flagKey, flag.variants().get(override), override, Reason.TARGETING_MATCH, null,
                    null, metadata);
        }
        var env = flag.environments().get(environment);
        String variant = env != null && env.defaultVariant() != null ? env.defaultVariant() : flag.defaultVariant();
        return new EvaluationResult(flagKey, flag.variants().get(variant), variant, Reason.DEFAULT, null, null,
                metadata);
    }

    private static boolean isErrorCode(String text) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.name().equals(text)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<EvaluationResult> evaluateAll(String environment, EvaluationContext context) {
        List<EvaluationResult> results = new ArrayList<>();
        catalog.flags().forEach(f -> results.add(evaluate(environment, f.key(), context)));
        return results;
    }

    @Override
    public long stateVersion() {
        return catalog.writes();
    }

    @Override
    public List<String> missingPlugins() {
        return missingPlugins;
    }

    @Override
    public List<PluginHealth> pluginHealth() {
        return List.of();
    }
}
