package io.ensign.evaluation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import io.ensign.api.assignment.AssignmentStrategy;
import io.ensign.api.assignment.PartialAssignmentStrategy;
import io.ensign.api.model.Condition;
import io.ensign.api.model.ErrorCode;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.api.model.Flag;
import io.ensign.api.model.FlagEnvironment;
import io.ensign.api.model.Reason;
import io.ensign.api.model.Rollout;
import io.ensign.api.model.Rule;
import io.ensign.api.model.Segment;
import io.ensign.api.operator.EvaluationOperator;

/**
 * Turns flags and segments into a {@link Snapshot}: operands compiled by their operators, plugins resolved,
 * environments resolved over the global flag, every result built in advance. A missing or failing plugin
 * never fails the build: the conditions that need it report an error result when evaluated. One compiler
 * per build; not thread-safe.
 */
public final class SnapshotCompiler {
    /** The kind of operator plugins, as health and missing-plugin reports name it. */
    public static final String OPERATOR = "operator";
    /** The kind of assignment strategies, likewise. */
    public static final String ASSIGNMENT = "assignment";

    private final PluginRegistry<EvaluationOperator> operators;
    private final PluginRegistry<AssignmentStrategy> strategies;
    private final PluginGuard guard;
    private final Set<String> missing = new TreeSet<>();
    private final Map<String, CompiledSegment> segments = new HashMap<>();
    /** When an operator whose compile overran (or was quarantined) may be tried again; MAX_VALUE when none did. */
    private long retryAt = Long.MAX_VALUE;

    public SnapshotCompiler(PluginRegistry<EvaluationOperator> operators, PluginRegistry<AssignmentStrategy> strategies,
                     PluginGuard guard) {
        this.operators = operators;
        this.strategies = strategies;
        this.guard = guard;
    }

    /**
     * Builds the snapshot of these objects.
     *
     * @param sequence the change sequence the objects were read at
     * @param version  the snapshot's version, growing with every build
     */
    public Snapshot compile(long sequence, long version, Collection<Flag> flags, Collection<Segment> segmentList,
                     Collection<RunningExperiment> experiments) {
        for (Segment s : segmentList) {
            segments.put(s.key(), new CompiledSegment(s.included(), s.excluded(), conditions(s.conditions())));
        }
        Map<String, Map<String, RunningExperiment>> experimentsByFlag = new HashMap<>();
        experiments.forEach(e -> experimentsByFlag.computeIfAbsent(e.flag(), f -> new HashMap<>())
                .put(e.environment(), e));
        Map<String, CompiledFlag> compiled = new HashMap<>();
        for (Flag flag : flags) {
            compiled.put(flag.key(), compile(flag, experimentsByFlag.getOrDefault(flag.key(), Map.of())));
        }
        List<String> keys = new ArrayList<>(compiled.keySet());
        keys.sort(null);
        long deadline = Math.min(Math.min(operators.nextDeadline(), strategies.nextDeadline()), retryAt);
        return new Snapshot(sequence, version, Map.copyOf(compiled), List.copyOf(keys), List.copyOf(missing),
                deadline, guard);
    }

    /** A flag's views; an environment with a running experiment gets its own view even if the flag names it not. */
    private CompiledFlag compile(Flag flag, Map<String, RunningExperiment> experiments) {
        Map<String, CompiledFlag.View> views = new HashMap<>();
        flag.environments().forEach((name, env) -> views.put(name, view(flag, env, experiments.get(name))));
        experiments.forEach((name, experiment) -> views.computeIfAbsent(name, n -> view(flag, null, experiment)));
        return new CompiledFlag(Map.copyOf(views), view(flag, null, null));
    }

    private CompiledFlag.View view(Flag flag, FlagEnvironment env, RunningExperiment experiment) {
        boolean enabled = env != null && env.enabled() != null ? env.enabled() : flag.enabled();
        String defaultVariant = env != null && env.defaultVariant() != null ? env.defaultVariant()
                : flag.defaultVariant();
        List<Rule> rules = env != null && env.rules() != null ? env.rules() : flag.rules();
        Map<String, Object> base = Map.of("flagVersion", flag.version());

        EvaluationResult fallback = result(flag, defaultVariant, Reason.DEFAULT, base);
        if (!enabled) {
            return new CompiledFlag.View(result(flag, defaultVariant, Reason.DISABLED, base), Map.of(),
                    new CompiledRule[0], fallback);
        }
        Map<String, String> overrideVariants = new LinkedHashMap<>(flag.overrides());
        if (env != null && env.overrides() != null) {
            overrideVariants.putAll(env.overrides());
        }
        Map<String, EvaluationResult> byVariant = new HashMap<>();
        Map<String, EvaluationResult> overrides = new HashMap<>();
        overrideVariants.forEach((unit, variant) -> overrides.put(unit, byVariant.computeIfAbsent(variant,
                v -> result(flag, v, Reason.TARGETING_MATCH, meta(base, "override", true)))));

        // A running experiment takes every unit with a targeting key, after per-user overrides and before rules.
        int first = experiment == null ? 0 : 1;
        CompiledRule[] compiled = new CompiledRule[rules.size() + first];
        if (experiment != null) {
            compiled[0] = split(flag, experiment.key(), Rollout.DEFAULT_STRATEGY, EvaluationContext.TARGETING_KEY,
                    experiment.weights(), null, null, new CompiledCondition[0], fallback,
                    meta(base, "experiment", experiment.key()), false);
        }
        for (int i = 0; i < rules.size(); i++) {
            compiled[i + first] = rule(flag, rules.get(i), i, fallback, base);
        }
        return new CompiledFlag.View(null, Map.copyOf(overrides), compiled, fallback);
    }

    private CompiledRule rule(Flag flag, Rule rule, int index, EvaluationResult fallback, Map<String, Object> base) {
        Map<String, Object> meta = meta(base, "ruleIndex", index);
        if (rule.name() != null) {
            meta = meta(meta, "rule", rule.name());
        }
        CompiledSegment segment = rule.segment() == null ? null : segment(rule.segment());
        CompiledCondition[] conditions = conditions(rule.conditions());
        if (rule.rollout() == null) {
            return new CompiledRule(segment, conditions, result(flag, rule.variant(), Reason.TARGETING_MATCH, meta),
                    null, null, null, null, null, null, errorTemplate(flag, fallback, meta), null, guard, null);
        }
        Rollout rollout = rule.rollout();
        return split(flag, rollout.saltOr(flag.key()), rollout.strategy(), rollout.bucketBy(), rollout.weights(),
                rollout.coverage(), segment, conditions, fallback, meta, true);
    }

    private CompiledRule split(Flag flag, String salt, String strategy, String bucketBy, Map<String, Double> weights,
                               Double coverage, CompiledSegment segment, CompiledCondition[] conditions,
                               EvaluationResult fallback, Map<String, Object> meta, boolean rollout) {
        double[] w = new double[weights.size()];
        EvaluationResult[] split = new EvaluationResult[weights.size()];
        int i = 0;
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            w[i] = e.getValue();
            split[i++] = result(flag, e.getKey(), Reason.SPLIT, meta);
        }
        var entry = strategies.resolve(strategy);
        AssignmentStrategy service = entry.map(e -> covering(e.service(), strategy, coverage))
                .orElseGet(() -> missingStrategy(strategy));
        PluginGuard.Health health = entry.map(e -> guard.health(ASSIGNMENT, strategy, e.service())).orElse(null);
        EvaluationResult keyMissing = rollout && EvaluationContext.TARGETING_KEY.equals(bucketBy)
                ? EvaluationResult.error(flag.key(), fallback.value(), fallback.variant(),
                        ErrorCode.TARGETING_KEY_MISSING, "the rule's rollout buckets by targetingKey, which the context"
                                + " lacks", meta)
                : null;
        return new CompiledRule(segment, conditions, null, service, strategy, salt, bucketBy, w, split,
                errorTemplate(flag, fallback, meta), keyMissing, guard, health);
    }

    private static EvaluationResult errorTemplate(Flag flag, EvaluationResult fallback, Map<String, Object> meta) {
        return EvaluationResult.error(flag.key(), fallback.value(), fallback.variant(), ErrorCode.GENERAL, null, meta);
    }

    private CompiledSegment segment(String key) {
        CompiledSegment s = segments.get(key);
        if (s != null) {
            return s;
        }
        CompiledCondition failing = CompiledCondition.failing("", "segment", "segment '" + key + "' does not exist");
        return new CompiledSegment(Set.of(), Set.of(), new CompiledCondition[] {failing});
    }

    /** The strategy as the rollout calls it: through its partial form when the rollout has a coverage. */
    private static AssignmentStrategy covering(AssignmentStrategy service, String name, Double coverage) {
        if (coverage == null) {
            return service;
        }
        if (service instanceof PartialAssignmentStrategy partial) {
            double c = coverage;
            return (salt, unit, weights) -> partial.assign(salt, unit, weights, c);
        }
        PluginFailure failure = new PluginFailure(noCoverage(name));
        return (salt, unit, weights) -> {
            throw failure;
        };
    }

    /** Why a rollout's coverage cannot be served by strategy {@code name}. */
    public static String noCoverage(String name) {
        return "assignment strategy '" + name + "' splits every unit and takes no coverage";
    }

    private AssignmentStrategy missingStrategy(String name) {
        missing.add(ASSIGNMENT + "/" + name);
        PluginFailure failure = new PluginFailure("assignment strategy '" + name + "' is not installed");
        return (salt, unit, weights) -> {
            throw failure;
        };
    }

    private CompiledCondition[] conditions(List<Condition> conditions) {
        CompiledCondition[] compiled = new CompiledCondition[conditions.size()];
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = condition(conditions.get(i));
        }
        return compiled;
    }

    private CompiledCondition condition(Condition c) {
        var entry = operators.resolve(c.operator());
        if (entry.isEmpty()) {
            missing.add(OPERATOR + "/" + c.operator());
            return CompiledCondition.failing(c.attribute(), c.operator(),
                    "operator '" + c.operator() + "' is not installed");
        }
        EvaluationOperator operator = entry.get().service();
        PluginGuard.Health health = guard.health(OPERATOR, c.operator(), operator);
        Predicate<Object> test;
        try {
            test = guard.call(health, () -> operator.compile(c.values()));
        } catch (PluginFailure failure) {
            if (guard.quarantined(health)) {
                // overran now or before: compile it again once the quarantine is over
                retryAt = Math.min(retryAt, guard.quarantineEndMillis(health) + 1);
                return CompiledCondition.failing(c.attribute(), c.operator(), failure.getMessage());
            }
            return CompiledCondition.failing(c.attribute(), c.operator(),
                    "operator '" + c.operator() + "' rejects its values: " + failure.getMessage());
        }
        if (test == null) {
            return CompiledCondition.failing(c.attribute(), c.operator(),
                    "operator '" + c.operator() + "' compiled to nothing");
        }
        return new CompiledCondition(c.attribute(), c.operator(), c.negate() ? test.negate() : test, guard, health);
    }

    private static EvaluationResult result(Flag flag, String variant, Reason reason, Map<String, Object> meta) {
        return new EvaluationResult(flag.key(), flag.variants().get(variant), variant, reason, null, null, meta);
    }

    private static Map<String, Object> meta(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.put(key, value);
        return Map.copyOf(m);
    }
}
