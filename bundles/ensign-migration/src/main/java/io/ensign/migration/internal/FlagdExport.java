package io.ensign.migration.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.model.Condition;
import io.ensign.api.model.Flag;
import io.ensign.api.model.FlagEnvironment;
import io.ensign.api.model.Rollout;
import io.ensign.api.model.Rule;
import io.ensign.api.model.Segment;
import io.ensign.codec.PlainValues;

/**
 * Ensign's flags as flagd flag definitions, as one environment resolves them: overrides first, then the rules as
 * one {@code if} chain (conditions by the table of evaluation.md read backwards, segments as their units and
 * conditions, {@code flagd-fractional} rollouts as {@code fractional}). A flag with a part flagd has no way to
 * express (another strategy, another operator) is not exported and is reported instead.
 */
final class FlagdExport {
    static final String SCHEMA = "https://flagd.dev/schema/v0/flags.json";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, String> SEMVER = Map.of("semver_eq", "=", "semver_ne", "!=", "semver_gt", ">",
            "semver_gte", ">=", "semver_lt", "<", "semver_lte", "<=", "semver_same_major", "^",
            "semver_same_minor", "~");

    private final Function<String, Optional<Segment>> segments;

    FlagdExport(Function<String, Optional<Segment>> segments) {
        this.segments = segments;
    }

    /** One flag as flagd would hold it, or the reasons it cannot be. */
    record Exported(String key, ObjectNode definition, List<String> problems) {
    }

    /** The flags as {@code environment} resolves them. */
    List<Exported> export(List<Flag> flags, String environment) {
        List<Exported> exported = new ArrayList<>();
        for (Flag flag : flags) {
            List<String> problems = new ArrayList<>();
            ObjectNode definition = definition(flag, environment, problems);
            exported.add(new Exported(flag.key(), problems.isEmpty() ? definition : null, problems));
        }
        return exported;
    }

    /** The flagd file of exported flags. */
    static ObjectNode file(List<Exported> exported) {
        ObjectNode file = NODES.objectNode().put("$schema", SCHEMA);
        ObjectNode flags = file.putObject("flags");
        exported.forEach(e -> flags.set(e.key(), e.definition()));
        return file;
    }

    private ObjectNode definition(Flag flag, String environment, List<String> problems) {
        FlagEnvironment env = environment == null ? null : flag.environments().get(environment);
        boolean enabled = env != null && env.enabled() != null ? env.enabled() : flag.enabled();
        String defaultVariant = env != null && env.defaultVariant() != null ? env.defaultVariant()
                : flag.defaultVariant();
        List<Rule> rules = env != null && env.rules() != null ? env.rules() : flag.rules();
        Map<String, String> overrides = new LinkedHashMap<>();
        if (env != null && env.overrides() != null) {
            overrides.putAll(env.overrides());
        }
        flag.overrides().forEach(overrides::putIfAbsent);

        ObjectNode definition = NODES.objectNode().put("state", enabled ? "ENABLED" : "DISABLED");
        ObjectNode variants = definition.putObject("variants");
        flag.variants().forEach((name, value) -> variants.set(name, PlainValues.toJson(value)));
        definition.put("defaultVariant", defaultVariant);
        ArrayNode chain = NODES.arrayNode();
        Map<String, List<String>> unitsByVariant = new LinkedHashMap<>();
        overrides.forEach((unit, variant) -> unitsByVariant.computeIfAbsent(variant, v -> new ArrayList<>()).add(unit));
        unitsByVariant.forEach((variant, units) -> {
            chain.add(units(units));
            chain.add(variant);
        });
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String at = "rule " + i;
            JsonNode test = test(rule, at, problems);
            JsonNode result = rule.rollout() == null ? NODES.textNode(rule.variant())
                    : fractional(flag.key(), rule.rollout(), at, problems);
            chain.add(test);
            chain.add(result);
        }
        if (!chain.isEmpty()) {
            definition.putObject("targeting").set("if", chain);
        }
        if (flag.description() != null) {
            definition.putObject("metadata").put("description", flag.description());
        }
        return definition;
    }

    private JsonNode test(Rule rule, String at, List<String> problems) {
        List<JsonNode> tests = new ArrayList<>();
        if (rule.segment() != null) {
            Optional<Segment> segment = segments.apply(rule.segment());
            if (segment.isEmpty()) {
                problems.add(at + ": segment '" + rule.segment() + "' does not exist");
            } else {
                tests.add(segment(segment.get(), at, problems));
            }
        }
        for (Condition condition : rule.conditions()) {
            tests.add(condition(condition, at, problems));
        }
        return all(tests);
    }

    /** Not excluded, and included or matching every condition (an empty list matches no one). */
    private JsonNode segment(Segment segment, String at, List<String> problems) {
        List<JsonNode> in = new ArrayList<>();
        if (!segment.included().isEmpty()) {
            in.add(units(new ArrayList<>(segment.included())));
        }
        if (!segment.conditions().isEmpty()) {
            List<JsonNode> conditions = new ArrayList<>();
            segment.conditions().forEach(c -> conditions.add(condition(c, at + " segment " + segment.key(), problems)));
            in.add(all(conditions));
        }
        JsonNode member = in.isEmpty() ? NODES.booleanNode(false) : in.size() == 1 ? in.get(0) : operation("or", in);
        if (segment.excluded().isEmpty()) {
            return member;
        }
        return operation("and", List.of(not(units(new ArrayList<>(segment.excluded()))), member));
    }

    private JsonNode condition(Condition condition, String at, List<String> problems) {
        JsonNode test = positive(condition, at, problems);
        return condition.negate() ? not(test) : test;
    }

    private JsonNode positive(Condition c, String at, List<String> problems) {
        ObjectNode variable = NODES.objectNode().put("var", c.attribute());
        List<JsonNode> values = new ArrayList<>();
        c.values().forEach(v -> values.add(PlainValues.toJson(v)));
        boolean strings = !values.isEmpty() && values.stream().allMatch(JsonNode::isTextual);
        if (!strings) {
            problems.add(at + ": operator '" + c.operator() + "' is exported for string values only");
            return NODES.nullNode();
        }
        switch (c.operator()) {
            case "equals":
                return operation("==", List.of(variable, values.get(0)));
            case "in":
                return operation("in", List.of(variable, NODES.arrayNode().addAll(values)));
            case "contains":
                return any(values, v -> operation("in", List.of(v, variable)));
            case "starts_with":
            case "ends_with":
                return any(values, v -> operation(c.operator(), List.of(variable, v)));
            default:
                String semver = SEMVER.get(c.operator());
                if (semver != null) {
                    return operation("sem_ver", List.of(variable, NODES.textNode(semver), values.get(0)));
                }
                problems.add(at + ": operator '" + c.operator() + "' has no flagd counterpart");
                return NODES.nullNode();
        }
    }

    private JsonNode fractional(String flagKey, Rollout rollout, String at, List<String> problems) {
        if (!"flagd-fractional".equals(rollout.strategy()) || rollout.coverage() != null) {
            problems.add(at + ": a '" + rollout.strategy() + "' rollout has no flagd counterpart (flagd buckets by"
                    + " flagd-fractional only)");
            return NODES.nullNode();
        }
        ArrayNode arguments = NODES.arrayNode();
        ObjectNode unit = NODES.objectNode().put("var", rollout.bucketBy());
        String salt = rollout.saltOr(flagKey);
        if ("".equals(salt)) {
            arguments.add(unit);
        } else if (salt.equals(flagKey)) {
            if (!Rollout.DEFAULT_BUCKET_BY.equals(rollout.bucketBy())) {
                arguments.add(operation("cat", List.of(NODES.objectNode().put("var", "$flagd.flagKey"), unit)));
            }
        } else {
            problems.add(at + ": flagd salts a fractional with the flag key or nothing, not '" + salt + "'");
        }
        rollout.weights().forEach((variant, weight) -> {
            if (weight != Math.rint(weight)) {
                problems.add(at + ": flagd's weights are whole numbers, not " + weight);
            }
            arguments.add(NODES.arrayNode().add(variant).add(weight.longValue()));
        });
        return NODES.objectNode().set("fractional", arguments);
    }

    private static JsonNode units(List<String> units) {
        ArrayNode list = NODES.arrayNode();
        units.forEach(list::add);
        return operation("in", List.of(NODES.objectNode().put("var", "targetingKey"), list));
    }

    private static JsonNode all(List<JsonNode> tests) {
        return tests.isEmpty() ? NODES.booleanNode(true) : tests.size() == 1 ? tests.get(0) : operation("and", tests);
    }

    private static JsonNode any(List<JsonNode> values, Function<JsonNode, JsonNode> test) {
        return values.size() == 1 ? test.apply(values.get(0)) : operation("or", values.stream().map(test).toList());
    }

    private static JsonNode not(JsonNode test) {
        ObjectNode node = NODES.objectNode();
        node.putArray("!").add(test);
        return node;
    }

    private static ObjectNode operation(String operator, List<JsonNode> arguments) {
        ObjectNode node = NODES.objectNode();
        node.putArray(operator).addAll(arguments);
        return node;
    }
}
