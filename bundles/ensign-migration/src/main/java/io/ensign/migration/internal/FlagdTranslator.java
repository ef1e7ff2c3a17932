package io.ensign.migration.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.model.Flag;

/**
 * flagd's flag definitions: each flag's state, variants and default, and its targeting in JsonLogic as Ensign
 * rules. An {@code if} chain becomes rules in order (first match wins in both), {@code and} the conditions of one
 * rule, {@code or} one rule per alternative, {@code !} a negated condition, the operators of the table in
 * evaluation.md their conditions, {@code fractional} a {@code flagd-fractional} rollout, and {@code $ref} the
 * evaluator it names. Anything else is a problem of its flag, with the pointer to it.
 */
final class FlagdTranslator implements PeerTranslator {
    /** An {@code or} inside {@code and}s multiplies rules; past this many alternatives a test is refused. */
    static final int MAX_ALTERNATIVES = 64;
    private static final Map<String, String> SEMVER = Map.of("=", "semver_eq", "!=", "semver_ne", ">", "semver_gt",
            ">=", "semver_gte", "<", "semver_lt", "<=", "semver_lte", "^", "semver_same_major",
            "~", "semver_same_minor");

    @Override
    public String peer() {
        return "flagd";
    }

    @Override
    public Translation translate(JsonNode file) {
        JsonNode flags = file.path("flags");
        if (!flags.isObject()) {
            return new Translation(List.of(), Map.of(),
                    List.of(new Problem("/flags", "a flagd file has an object of flags")));
        }
        JsonNode evaluators = file.path("$evaluators");
        List<FlagTranslation> translated = new ArrayList<>();
        flags.properties().forEach(e -> translated.add(new OneFlag(e.getKey(), evaluators).translate(e.getValue())));
        return new Translation(translated, Map.of(), List.of());
    }

    /** One flag's translation, collecting its problems. */
    private static final class OneFlag {
        /** A pointer to the lone argument of {@code at} written without its array, e.g. {@code {"!": test}}. */
        private static String unwrapped(String pointer) {
            String inner = pointer.replace("/-/0", "");
            return inner.endsWith("/-") ? inner.substring(0, inner.length() - 2) : inner;
        }

        private final String key;
        private final String source;
        private final JsonNode evaluators;
        private final List<Problem> problems = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private Map<String, JsonNode> variants = Map.of();
        private String defaultVariant;

        OneFlag(String key, JsonNode evaluators) {
            this.key = key;
            this.source = Pointers.member("/flags", key);
            this.evaluators = evaluators;
        }

        FlagTranslation translate(JsonNode definition) {
            if (!key.matches(Flag.KEY_PATTERN)) {
                problem(source, "the key is not an Ensign flag key (" + Flag.KEY_PATTERN + ")");
            }
            ObjectNode flag = EnsignJson.object();
            variants = new LinkedHashMap<>();
            definition.path("variants").properties().forEach(e -> variants.put(e.getKey(), e.getValue()));
            String type = EnsignJson.type(variants);
            if (variants.isEmpty() || type == null) {
                problem(source + "/variants", "the variants must be all booleans, all strings, all numbers or all"
                        + " objects");
            } else {
                flag.put("type", type);
                flag.putObject("variants").setAll(variants);
            }
            JsonNode declaredDefault = definition.path("defaultVariant");
            defaultVariant = declaredDefault.isTextual() ? declaredDefault.textValue() : null;
            if (defaultVariant == null || !variants.containsKey(defaultVariant)) {
                problem(source + "/defaultVariant", "Ensign needs a default variant that is one of the variants"
                        + " (flagd's code default cannot be expressed)");
            } else {
                flag.put("defaultVariant", defaultVariant);
            }
            String state = definition.path("state").asText("ENABLED");
            if ("DISABLED".equals(state)) {
                flag.put("enabled", false);
                notes.add("disabled: flagd answers FLAG_NOT_FOUND (the caller's default), Ensign its default variant"
                        + " with reason DISABLED");
            } else if (!"ENABLED".equals(state)) {
                problem(source + "/state", "state must be ENABLED or DISABLED");
            }
            JsonNode metadata = definition.path("metadata").path("description");
            if (metadata.isTextual()) {
                flag.put("description", metadata.textValue());
            }
            ArrayNode rules = flag.putArray("rules");
            JsonNode targeting = definition.path("targeting");
            if (targeting.isObject() && !targeting.isEmpty()) {
                result(targeting, source + "/targeting", List.of(), rules);
            } else if (!targeting.isMissingNode() && !targeting.isNull() && !targeting.isObject()) {
                problem(source + "/targeting", "targeting must be a JsonLogic object");
            }
            return new FlagTranslation(key, source, problems.isEmpty() ? flag : null, problems, notes);
        }

        private void problem(String at, String message) {
            problems.add(new Problem(unwrapped(at), message));
        }

        /** A JsonLogic node and where it is written: in the flag, or in the evaluator a {@code $ref} named. */
        private record Located(JsonNode node, String at) {
        }

        /**
         * The node, or the evaluator its {@code {"$ref": name}} names (followed through refs to refs), as flagd
         * substitutes them; null after recording a problem.
         */
        private Located deref(JsonNode node, String at) {
            Located located = new Located(node, at);
            for (int hops = 0; located.node().isObject() && located.node().size() == 1 && located.node().has("$ref");
                 hops++) {
                String name = located.node().get("$ref").asText();
                JsonNode evaluator = evaluators.get(name);
                if (evaluator == null) {
                    problem(located.at(), "no evaluator '" + name + "' in $evaluators");
                    return null;
                }
                if (hops == MAX_ALTERNATIVES) {
                    problem(located.at(), "evaluator '" + name + "' refers to itself");
                    return null;
                }
                located = new Located(evaluator, Pointers.member("/$evaluators", name));
            }
            return located;
        }

        /**
         * Appends the rules that give what the expression gives under {@code prefix}; returns whether the expression
         * always gives a variant (a nested {@code if} without its last else does not: flagd then serves the default).
         */
        private boolean result(JsonNode written, String writtenAt, List<ObjectNode> prefix, ArrayNode rules) {
            Located located = deref(written, writtenAt);
            if (located == null) {
                return true;
            }
            JsonNode expression = located.node();
            String at = located.at();
            if (expression.isTextual() || expression.isBoolean()) {
                String variant = expression.asText();
                if (!variants.containsKey(variant)) {
                    problem(at, "targeting gives '" + variant + "', which is not a variant");
                } else {
                    rules.add(EnsignJson.fixedRule(prefix, variant));
                }
                return true;
            }
            if (expression.isNull()) {
                if (defaultVariant != null) {
                    rules.add(EnsignJson.fixedRule(prefix, defaultVariant));
                }
                return true;
            }
            if (expression.isObject() && expression.size() == 1 && expression.has("if")) {
                return chain(expression.get("if"), at + "/if", prefix, rules);
            }
            if (expression.isObject() && expression.size() == 1 && expression.has("fractional")) {
                fractional(expression.get("fractional"), at + "/fractional", prefix, rules);
                return true;
            }
            problem(at, "targeting must give a variant by if, fractional or a variant name: " + describe(expression));
            return true;
        }

        private boolean chain(JsonNode arguments, String at, List<ObjectNode> prefix, ArrayNode rules) {
            if (!arguments.isArray() || arguments.size() < 2) {
                problem(at, "if takes a test and a result at least");
                return true;
            }
            for (int i = 0; i + 1 < arguments.size(); i += 2) {
                List<List<ObjectNode>> alternatives = test(arguments.get(i), Pointers.element(at, i));
                if (alternatives == null) {
                    // the flag is refused already; its result is still read for the problems it has too
                    result(arguments.get(i + 1), Pointers.element(at, i + 1), prefix, EnsignJson.object().arrayNode());
                    continue;
                }
                for (List<ObjectNode> alternative : alternatives) {
                    List<ObjectNode> conditions = new ArrayList<>(prefix);
                    conditions.addAll(alternative);
                    boolean total = result(arguments.get(i + 1), Pointers.element(at, i + 1), conditions, rules);
                    if (!total && defaultVariant != null) {
                        rules.add(EnsignJson.fixedRule(conditions, defaultVariant));
                    }
                }
            }
            if (arguments.size() % 2 == 1) {
                return result(arguments.get(arguments.size() - 1), Pointers.element(at, arguments.size() - 1), prefix,
                        rules);
            }
            return false;
        }

        private void fractional(JsonNode arguments, String at, List<ObjectNode> prefix, ArrayNode rules) {
            if (!arguments.isArray() || arguments.isEmpty()) {
                problem(at, "fractional takes buckets");
                return;
            }
            ObjectNode rollout = EnsignJson.object().put("strategy", "flagd-fractional");
            int first = 0;
            if (!arguments.get(0).isArray()) {
                first = 1;
                JsonNode by = arguments.get(0);
                String salted = catOfFlagKey(by);
                if (salted != null) {
                    rollout.put("bucketBy", salted);
                } else if (variable(by) != null) {
                    rollout.put("bucketBy", variable(by)).put("salt", "");
                } else {
                    problem(Pointers.element(at, 0), "the bucketing expression must be a var, or cat of"
                            + " $flagd.flagKey and a var");
                    return;
                }
            }
            ObjectNode weights = rollout.putObject("weights");
            for (int i = first; i < arguments.size(); i++) {
                JsonNode bucket = arguments.get(i);
                String bucketAt = Pointers.element(at, i);
                if (!bucket.isArray() || bucket.isEmpty() || !bucket.get(0).isTextual()
                        || bucket.size() > 2 || bucket.size() == 2 && !bucket.get(1).canConvertToExactIntegral()) {
                    problem(bucketAt, "a bucket is [variant] or [variant, whole weight]");
                    return;
                }
                String variant = bucket.get(0).textValue();
                if (!variants.containsKey(variant)) {
                    problem(bucketAt, "'" + variant + "' is not a variant");
                    return;
                }
                if (weights.has(variant)) {
                    problem(bucketAt, "'" + variant + "' has two buckets");
                    return;
                }
                weights.put(variant, bucket.size() == 2 ? bucket.get(1).asLong() : 1);
            }
            if (first == 0 && weights.size() == 1) {
                // flagd serves the default for one bucket bucketed by the default key (migration.md)
                if (defaultVariant != null) {
                    rules.add(EnsignJson.fixedRule(prefix, defaultVariant));
                }
                return;
            }
            rules.add(EnsignJson.splitRule(prefix, rollout));
        }

        /** The attribute of {@code {"cat": [{"var": "$flagd.flagKey"}, {"var": X}]}}, else null. */
        private static String catOfFlagKey(JsonNode node) {
            JsonNode cat = node.path("cat");
            if (node.size() != 1 || !cat.isArray() || cat.size() != 2) {
                return null;
            }
            return "$flagd.flagKey".equals(cat.get(0).path("var").asText(null)) ? variable(cat.get(1)) : null;
        }

        /**
         * A JsonLogic test as alternatives of conjunctions of Ensign conditions (one rule per alternative); null
         * after recording a problem.
         */
        private List<List<ObjectNode>> test(JsonNode written, String writtenAt) {
            Located located = deref(written, writtenAt);
            if (located == null) {
                return null;
            }
            JsonNode test = located.node();
            String at = located.at();
            if (test.isBoolean()) {
                // true holds for everyone (no condition), false for no one (no rule)
                return test.booleanValue() ? List.of(List.of()) : List.of();
            }
            if (!test.isObject() || test.size() != 1) {
                problem(at, "a test must be one JsonLogic operation: " + describe(test));
                return null;
            }
            String operator = test.fieldNames().next();
            JsonNode argument = test.get(operator);
            JsonNode args = argument.isArray() ? argument : EnsignJson.object().arrayNode().add(argument);
            // JsonLogic's one argument may stand without its array: then its pointer is the operator's
            String argsAt = argument.isArray() ? at + "/" + operator : at + "/" + operator + "/-";
            switch (operator) {
                case "and":
                    return conjunction(args, argsAt);
                case "or":
                    return disjunction(args, argsAt);
                case "!":
                    return negation(args, argsAt);
                default:
                    ObjectNode condition = comparison(operator, args, argsAt);
                    return condition == null ? null : List.of(List.of(condition));
            }
        }

        private List<List<ObjectNode>> conjunction(JsonNode args, String at) {
            List<List<ObjectNode>> product = List.of(List.of());
            for (int i = 0; i < args.size(); i++) {
                List<List<ObjectNode>> each = test(args.get(i), Pointers.element(at, i));
                if (each == null) {
                    return null;
                }
                List<List<ObjectNode>> next = new ArrayList<>();
                for (List<ObjectNode> left : product) {
                    for (List<ObjectNode> right : each) {
                        List<ObjectNode> both = new ArrayList<>(left);
                        both.addAll(right);
                        next.add(both);
                    }
                }
                if (next.size() > MAX_ALTERNATIVES) {
                    problem(at, "the test expands to more than " + MAX_ALTERNATIVES + " rules");
                    return null;
                }
                product = next;
            }
            return product;
        }

        private List<List<ObjectNode>> disjunction(JsonNode args, String at) {
            List<List<ObjectNode>> alternatives = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                List<List<ObjectNode>> each = test(args.get(i), Pointers.element(at, i));
                if (each == null) {
                    return null;
                }
                alternatives.addAll(each);
            }
            if (alternatives.size() > MAX_ALTERNATIVES) {
                problem(at, "the test expands to more than " + MAX_ALTERNATIVES + " rules");
                return null;
            }
            return alternatives;
        }

        private List<List<ObjectNode>> negation(JsonNode args, String at) {
            List<List<ObjectNode>> inner = args.size() == 1 ? test(args.get(0), Pointers.element(at, 0)) : null;
            if (inner == null) {
                if (args.size() != 1) {
                    problem(at, "! takes one test");
                }
                return null;
            }
            if (inner.size() != 1 || inner.get(0).size() != 1) {
                problem(at, "! of and or or has no Ensign condition (one condition can be negated)");
                return null;
            }
            return List.of(List.of(EnsignJson.negated(inner.get(0).get(0))));
        }

        /** One operator of the table in evaluation.md (and string equality) as its condition; null on a problem. */
        private ObjectNode comparison(String operator, JsonNode args, String at) {
            switch (operator) {
                case "in":
                    if (args.size() == 2 && variable(args.get(0)) != null && args.get(1).isArray()
                            && literals(args.get(1))) {
                        return EnsignJson.condition(variable(args.get(0)), "in", list(args.get(1)), false);
                    }
                    if (args.size() == 2 && args.get(0).isTextual() && variable(args.get(1)) != null) {
                        return EnsignJson.condition(variable(args.get(1)), "contains", List.of(args.get(0)), false);
                    }
                    break;
                case "starts_with":
                case "ends_with":
                    if (args.size() == 2 && variable(args.get(0)) != null && args.get(1).isTextual()) {
                        return EnsignJson.condition(variable(args.get(0)), operator, List.of(args.get(1)), false);
                    }
                    break;
                case "sem_ver":
                    if (args.size() == 3 && variable(args.get(0)) != null && SEMVER.containsKey(args.get(1).asText())
                            && args.get(2).isTextual()) {
                        return EnsignJson.condition(variable(args.get(0)), SEMVER.get(args.get(1).asText()),
                                List.of(args.get(2)), false);
                    }
                    break;
                case "==":
                case "===":
                case "!=":
                case "!==":
                    return equality(operator, args, at);
                default:
                    problem(at, "operator '" + operator + "' has no Ensign condition");
                    return null;
            }
            problem(at, operator + " is translated for a var and literal operands only: " + describe(args));
            return null;
        }

        private ObjectNode equality(String operator, JsonNode args, String at) {
            boolean negate = operator.startsWith("!");
            if (args.size() == 2) {
                for (int v = 0; v < 2; v++) {
                    String attribute = variable(args.get(v));
                    if (attribute != null && args.get(1 - v).isTextual()) {
                        return EnsignJson.condition(attribute, "equals", List.of(args.get(1 - v)), negate);
                    }
                }
            }
            problem(at, operator + " is translated between a var and a string only: " + describe(args));
            return null;
        }

        /** The attribute a {@code {"var": name}} reads, or null (no var, a default, $flagd's own or a nested path). */
        private static String variable(JsonNode node) {
            if (!node.isObject() || node.size() != 1 || !node.path("var").isTextual()) {
                return null;
            }
            String name = node.get("var").textValue();
            return name.isEmpty() || name.startsWith("$flagd.") || name.contains(".") ? null : name;
        }

        private static boolean literals(JsonNode array) {
            for (JsonNode element : array) {
                if (!element.isTextual()) {
                    return false;
                }
            }
            return true;
        }

        private static List<JsonNode> list(JsonNode array) {
            List<JsonNode> values = new ArrayList<>();
            array.forEach(values::add);
            return values;
        }

        private static String describe(JsonNode node) {
            String text = node.toString();
            return text.length() > 120 ? text.substring(0, 117) + "..." : text;
        }
    }
}
