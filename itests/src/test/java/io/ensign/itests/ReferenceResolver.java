package io.ensign.itests;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.hash.Hashing;

/**
 * An independent reading of api.md's resolution rules, written from the document and not from the engine:
 * kill switch, overrides (environment's, then global), rules (the environment's list if it has one) with
 * segments and ANDed conditions, rollouts by MurmurHash3 (Guava's implementation), defaults. Supports the
 * operators the conformance test generates. Works on the flags' and segments' JSON as written.
 */
final class ReferenceResolver {
    /** What a flag should evaluate to. */
    record Outcome(String variant, String reason) {
    }

    private final Map<String, JsonNode> segments;

    ReferenceResolver(Map<String, JsonNode> segments) {
        this.segments = segments;
    }

    Outcome resolve(JsonNode flag, String environment, JsonNode context) {
        JsonNode env = flag.path("environments").path(environment);
        boolean enabled = env.has("enabled") ? env.get("enabled").asBoolean() : flag.path("enabled").asBoolean(true);
        String defaultVariant = env.has("defaultVariant") ? env.get("defaultVariant").asText()
                : flag.get("defaultVariant").asText();
        if (!enabled) {
            return new Outcome(defaultVariant, "DISABLED");
        }
        String key = context.hasNonNull("targetingKey") ? context.get("targetingKey").asText() : null;
        if (key != null) {
            if (env.path("overrides").has(key)) {
                return new Outcome(env.path("overrides").get(key).asText(), "TARGETING_MATCH");
            }
            if (flag.path("overrides").has(key)) {
                return new Outcome(flag.path("overrides").get(key).asText(), "TARGETING_MATCH");
            }
        }
        JsonNode rules = env.has("rules") ? env.get("rules") : flag.path("rules");
        for (JsonNode rule : rules) {
            if (rule.has("segment") && !inSegment(segments.get(rule.get("segment").asText()), context)) {
                continue;
            }
            if (!allHold(rule.path("conditions"), context)) {
                continue;
            }
            if (rule.has("variant")) {
                return new Outcome(rule.get("variant").asText(), "TARGETING_MATCH");
            }
            JsonNode rollout = rule.get("rollout");
            String bucketBy = rollout.path("bucketBy").asText("targetingKey");
            JsonNode unit = context.get(bucketBy);
            if (unit == null || unit.isNull() || !unit.isTextual()) {
                continue;
            }
            return new Outcome(split(flag.get("key").asText(), unit.asText(), rollout.get("weights")), "SPLIT");
        }
        return new Outcome(defaultVariant, "DEFAULT");
    }

    /** api.md: bucket = MurmurHash3_x86_32(salt/unit, seed 0) unsigned mod 10000; consecutive ranges. */
    static String split(String salt, String unit, JsonNode weights) {
        int hash = Hashing.murmur3_32_fixed(0).hashString(salt + "/" + unit, StandardCharsets.UTF_8).asInt();
        long bucket = Integer.toUnsignedLong(hash) % 10_000;
        double total = 0;
        for (JsonNode w : weights) {
            total += w.asDouble();
        }
        List<String> names = new ArrayList<>();
        weights.fieldNames().forEachRemaining(names::add);
        double cumulative = 0;
        for (int i = 0; i < names.size(); i++) {
            cumulative += weights.get(names.get(i)).asDouble();
            long end = i == names.size() - 1 ? 10_000 : (long) Math.floor(cumulative * 10_000 / total);
            if (bucket < end) {
                return names.get(i);
            }
        }
        throw new AssertionError("bucket " + bucket + " beyond every range");
    }

    private boolean inSegment(JsonNode segment, JsonNode context) {
        String key = context.hasNonNull("targetingKey") ? context.get("targetingKey").asText() : null;
        if (key != null && contains(segment.path("excluded"), key)) {
            return false;
        }
        if (key != null && contains(segment.path("included"), key)) {
            return true;
        }
        return segment.path("conditions").size() > 0 && allHold(segment.path("conditions"), context);
    }

    private static boolean contains(JsonNode array, String key) {
        for (JsonNode e : array) {
            if (e.asText().equals(key)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allHold(JsonNode conditions, JsonNode context) {
        for (JsonNode c : conditions) {
            if (!holds(c, context)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(JsonNode condition, JsonNode context) {
        JsonNode value = context.get(condition.get("attribute").asText());
        JsonNode values = condition.path("values");
        String operator = condition.get("operator").asText();
        if (operator.equals("exists")) {
            return value != null && !value.isNull();
        }
        if (value == null || value.isNull()) {
            return false;
        }
        switch (operator) {
            case "equals":
                return sameType(value, values.get(0)) && same(value, values.get(0));
            case "not_equals":
                return sameType(value, values.get(0)) && !same(value, values.get(0));
            case "in":
                return anyMatch(values, v -> sameType(value, v) && same(value, v));
            case "not_in":
                return anyMatch(values, v -> sameType(value, v)) && !anyMatch(values, v -> same(value, v));
            case "gt":
                return value.isNumber() && value.decimalValue().compareTo(values.get(0).decimalValue()) > 0;
            case "lt":
                return value.isNumber() && value.decimalValue().compareTo(values.get(0).decimalValue()) < 0;
            case "starts_with":
                return value.isTextual() && anyMatch(values, v -> value.asText().startsWith(v.asText()));
            default:
                throw new IllegalArgumentException("the reference does not know operator " + operator);
        }
    }

    private static boolean sameType(JsonNode a, JsonNode b) {
        return a.getNodeType() == b.getNodeType();
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText())) == 0;
        }
        return a.equals(b);
    }

    private static boolean anyMatch(JsonNode values, java.util.function.Predicate<JsonNode> test) {
        Iterator<JsonNode> it = values.elements();
        while (it.hasNext()) {
            if (test.test(it.next())) {
                return true;
            }
        }
        return false;
    }
}
