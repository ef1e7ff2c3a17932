package io.ensign.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.model.Condition;
import io.ensign.api.model.Environment;
import io.ensign.api.model.Flag;
import io.ensign.api.model.FlagEnvironment;
import io.ensign.api.model.FlagType;
import io.ensign.api.model.Rollout;
import io.ensign.api.model.Rule;
import io.ensign.api.model.Segment;
import io.ensign.api.validation.ValidationException;

/**
 * Decodes and encodes flags, segments and environments (experiments: {@link ExperimentCodec}). Decoding is strict: unknown fields, wrong types,
 * variant values of the wrong type and references to variants that do not exist are all reported together
 * as one {@link ValidationException} whose violations name each field by JSON pointer. References to
 * other objects (segments, environments, plugins) are the caller's to check. Thread-safe.
 */
public final class ModelCodec {
    private static final Pattern KEY = Pattern.compile(Flag.KEY_PATTERN);
    private static final Set<String> FLAG_FIELDS = Set.of("key", "type", "description", "enabled", "variants",
            "defaultVariant", "overrides", "rules", "environments", "version", "updated");
    private static final Set<String> FLAG_ENV_FIELDS = Set.of("enabled", "defaultVariant", "rules", "overrides");
    private static final Set<String> RULE_FIELDS = Set.of("name", "segment", "conditions", "variant", "rollout");
    private static final Set<String> ROLLOUT_FIELDS = Set.of("strategy", "weights", "bucketBy", "salt", "coverage");
    private static final Set<String> CONDITION_FIELDS = Set.of("attribute", "operator", "values", "negate");
    private static final Set<String> SEGMENT_FIELDS = Set.of("key", "description", "conditions", "included",
            "excluded", "version", "updated");
    private static final Set<String> ENVIRONMENT_FIELDS = Set.of("name", "description", "allowedOrigins", "version",
            "updated");
    /** A web origin as browsers send it: scheme, host and an optional port, nothing after. */
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\\*");

    private final ObjectMapper mapper = new ObjectMapper();

    /** Whether a string is a valid flag, segment or experiment key. */
    public static boolean isValidKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** Parses JSON text that this codec wrote (a stored document). */
    public JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored document is not JSON", e);
        }
    }

    /** JSON text of a tree. */
    public String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- flags

    /**
     * Decodes a flag.
     *
     * @param node    the JSON object
     * @param key     the key from the request path; the body's key, if any, must equal it
     * @param version the version to give the decoded flag
     */
    public Flag decodeFlag(JsonNode node, String key, long version) {
        ShapeCheck check = new ShapeCheck();
        if (!check.object(node, "", true)) {
            check.throwIfFailed();
        }
        check.onlyFields(node, "", FLAG_FIELDS);
        checkKey(check, node, "key", key);
        String typeName = check.text(node, "type", "", true);
        FlagType type = typeName == null ? null : FlagType.fromJsonName(typeName);
        if (typeName != null && type == null) {
            check.fail("/type", "must be one of boolean, string, number, object");
        }
        String description = check.text(node, "description", "", false);
        boolean enabled = check.bool(node, "enabled", "", Boolean.TRUE);

        Map<String, Object> variants = new LinkedHashMap<>();
        JsonNode variantsNode = node.get("variants");
        if (check.object(variantsNode, "/variants", true)) {
            if (variantsNode.isEmpty()) {
                check.fail("/variants", "must name at least one variant");
            }
            ShapeCheck.forEachField(variantsNode, (name, value) -> {
                String at = "/variants/" + ShapeCheck.escape(name);
                if (name.isEmpty()) {
                    check.fail(at, "a variant name must not be empty");
                }
                Object plain = PlainValues.toJava(value);
                if (type != null && !type.accepts(plain)) {
                    check.fail(at, "must be a " + type.jsonName() + " value, as the flag's type says");
                }
                variants.put(name, plain);
            });
        }
        Set<String> names = variants.keySet();
        String defaultVariant = variantRef(check, node, "defaultVariant", "", names, true);
        Map<String, String> overrides = overrides(check, node.get("overrides"), "/overrides", names);
        List<Rule> rules = rules(check, node.get("rules"), "/rules", names);

        Map<String, FlagEnvironment> environments = new LinkedHashMap<>();
        JsonNode envs = node.get("environments");
        if (check.object(envs, "/environments", false)) {
            ShapeCheck.forEachField(envs, (env, envNode) -> {
                String at = "/environments/" + ShapeCheck.escape(env);
                if (check.object(envNode, at, true)) {
                    check.onlyFields(envNode, at, FLAG_ENV_FIELDS);
                    Boolean envEnabled = check.bool(envNode, "enabled", at, null);
                    String envDefault = variantRef(check, envNode, "defaultVariant", at, names, false);
                    List<Rule> envRules = envNode.hasNonNull("rules")
                            ? rules(check, envNode.get("rules"), at + "/rules", names) : null;
                    Map<String, String> envOverrides = envNode.hasNonNull("overrides")
                            ? overrides(check, envNode.get("overrides"), at + "/overrides", names) : null;
                    environments.put(env, new FlagEnvironment(envEnabled, envDefault, envRules, envOverrides));
                }
            });
        }
        check.throwIfFailed();
        return new Flag(key, type, description, enabled, variants, defaultVariant, overrides, rules, environments,
                version);
    }

    /** The JSON of a flag, without its version (the store keeps that). */
    public ObjectNode encodeFlag(Flag flag) {
        ObjectNode o = mapper.createObjectNode();
        o.put("key", flag.key());
        o.put("type", flag.type().jsonName());
        if (flag.description() != null) {
            o.put("description", flag.description());
        }
        o.put("enabled", flag.enabled());
        ObjectNode variants = o.putObject("variants");
        flag.variants().forEach((k, v) -> variants.set(k, PlainValues.toJson(v)));
        o.put("defaultVariant", flag.defaultVariant());
        o.set("overrides", encodeOverrides(flag.overrides()));
        o.set("rules", encodeRules(flag.rules()));
        ObjectNode envs = o.putObject("environments");
        flag.environments().forEach((name, env) -> {
            ObjectNode e = envs.putObject(name);
            if (env.enabled() != null) {
                e.put("enabled", env.enabled());
            }
            if (env.defaultVariant() != null) {
                e.put("defaultVariant", env.defaultVariant());
            }
            if (env.rules() != null) {
                e.set("rules", encodeRules(env.rules()));
            }
            if (env.overrides() != null) {
                e.set("overrides", encodeOverrides(env.overrides()));
            }
        });
        return o;
    }

    private static String variantRef(ShapeCheck check, JsonNode parent, String field, String pointer,
                                     Set<String> variants, boolean required) {
        String name = check.text(parent, field, pointer, required);
        if (name != null && !variants.isEmpty() && !variants.contains(name)) {
            check.fail(pointer + "/" + field, "names no variant of this flag: '" + name + "'");
        }
        return name;
    }

    private static Map<String, String> overrides(ShapeCheck check, JsonNode node, String pointer,
                                                 Set<String> variants) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (check.object(node, pointer, false)) {
            ShapeCheck.forEachField(node, (unit, v) -> {
                String at = pointer + "/" + ShapeCheck.escape(unit);
                if (!v.isTextual()) {
                    check.fail(at, "must be a variant name");
                } else if (!variants.isEmpty() && !variants.contains(v.textValue())) {
                    check.fail(at, "names no variant of this flag: '" + v.textValue() + "'");
                } else {
                    overrides.put(unit, v.textValue());
                }
            });
        }
        return overrides;
    }

    private static List<Rule> rules(ShapeCheck check, JsonNode node, String pointer, Set<String> variants) {
        List<Rule> rules = new ArrayList<>();
        if (!check.array(node, pointer, false)) {
            return rules;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode r = node.get(i);
            String at = pointer + "/" + i;
            if (!check.object(r, at, true)) {
                continue;
            }
            check.onlyFields(r, at, RULE_FIELDS);
            String name = check.text(r, "name", at, false);
            String segment = check.text(r, "segment", at, false);
            List<Condition> conditions = conditions(check, r.get("conditions"), at + "/conditions", false);
            String variant = variantRef(check, r, "variant", at, variants, false);
            Rollout rollout = rollout(check, r.get("rollout"), at + "/rollout", variants);
            if (r.hasNonNull("variant") == r.hasNonNull("rollout")) {
                check.fail(at, "a rule serves either a 'variant' or a 'rollout', exactly one of them");
            }
            rules.add(new Rule(name, segment, conditions, variant, rollout));
        }
        return rules;
    }

    private static Rollout rollout(ShapeCheck check, JsonNode node, String pointer, Set<String> variants) {
        if (!check.object(node, pointer, false)) {
            return null;
        }
        check.onlyFields(node, pointer, ROLLOUT_FIELDS);
        String strategy = check.text(node, "strategy", pointer, false);
        String bucketBy = check.text(node, "bucketBy", pointer, false);
        String salt = check.text(node, "salt", pointer, false);
        Double coverage = null;
        JsonNode c = node.get("coverage");
        if (c != null && !c.isNull()) {
            if (!c.isNumber() || !(c.doubleValue() >= 0 && c.doubleValue() <= 1)) {
                check.fail(pointer + "/coverage", "must be a number from 0 to 1");
            } else {
                coverage = c.doubleValue();
            }
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        JsonNode w = node.get("weights");
        if (check.object(w, pointer + "/weights", true)) {
            double[] total = {0};
            ShapeCheck.forEachField(w, (variant, weight) -> {
                String at = pointer + "/weights/" + ShapeCheck.escape(variant);
                if (!variants.isEmpty() && !variants.contains(variant)) {
                    check.fail(at, "names no variant of this flag: '" + variant + "'");
                } else if (!weight.isNumber() || weight.doubleValue() < 0 || !Double.isFinite(weight.doubleValue())) {
                    check.fail(at, "must be a number >= 0");
                } else {
                    weights.put(variant, weight.doubleValue());
                    total[0] += weight.doubleValue();
                }
            });
            if (total[0] <= 0 && check.ok()) {
                check.fail(pointer + "/weights", "the weights must add up to more than 0");
            }
        }
        return new Rollout(strategy, weights, bucketBy, salt, coverage);
    }

    /** Decodes a condition list; {@code required} makes an absent list a violation. */
    private static List<Condition> conditions(ShapeCheck check, JsonNode node, String pointer, boolean required) {
        List<Condition> conditions = new ArrayList<>();
        if (!check.array(node, pointer, required)) {
            return conditions;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode c = node.get(i);
            String at = pointer + "/" + i;
            if (!check.object(c, at, true)) {
                continue;
            }
            check.onlyFields(c, at, CONDITION_FIELDS);
            String attribute = check.text(c, "attribute", at, true);
            String operator = check.text(c, "operator", at, true);
            if (attribute != null && attribute.isEmpty()) {
                check.fail(at + "/attribute", "must not be empty");
            }
            List<Object> values = new ArrayList<>();
            JsonNode v = c.get("values");
            if (check.array(v, at + "/values", false)) {
                v.forEach(e -> values.add(PlainValues.toJava(e)));
            }
            boolean negate = Boolean.TRUE.equals(check.bool(c, "negate", at, false));
            if (attribute != null && operator != null) {
                conditions.add(new Condition(attribute, operator, values, negate));
            }
        }
        return conditions;
    }

    private ArrayNode encodeRules(List<Rule> rules) {
        ArrayNode a = mapper.createArrayNode();
        for (Rule r : rules) {
            ObjectNode o = a.addObject();
            if (r.name() != null) {
                o.put("name", r.name());
            }
            if (r.segment() != null) {
                o.put("segment", r.segment());
            }
            if (!r.conditions().isEmpty()) {
                o.set("conditions", encodeConditions(r.conditions()));
            }
            if (r.variant() != null) {
                o.put("variant", r.variant());
            }
            if (r.rollout() != null) {
                ObjectNode ro = o.putObject("rollout");
                ro.put("strategy", r.rollout().strategy());
                ObjectNode w = ro.putObject("weights");
                r.rollout().weights().forEach(w::put);
                ro.put("bucketBy", r.rollout().bucketBy());
                if (r.rollout().salt() != null) {
                    ro.put("salt", r.rollout().salt());
                }
                if (r.rollout().coverage() != null) {
                    ro.put("coverage", r.rollout().coverage());
                }
            }
        }
        return a;
    }

    private ArrayNode encodeConditions(List<Condition> conditions) {
        ArrayNode a = mapper.createArrayNode();
        for (Condition c : conditions) {
            ObjectNode o = a.addObject();
            o.put("attribute", c.attribute());
            o.put("operator", c.operator());
            o.set("values", PlainValues.toJson(c.values()));
            if (c.negate()) {
                o.put("negate", true);
            }
        }
        return a;
    }

    private ObjectNode encodeOverrides(Map<String, String> overrides) {
        ObjectNode o = mapper.createObjectNode();
        overrides.forEach(o::put);
        return o;
    }

    // ---------------------------------------------------------------- segments

    /** Decodes a segment; {@code key} is the key from the request path. */
    public Segment decodeSegment(JsonNode node, String key, long version) {
        ShapeCheck check = new ShapeCheck();
        if (!check.object(node, "", true)) {
            check.throwIfFailed();
        }
        check.onlyFields(node, "", SEGMENT_FIELDS);
        checkKey(check, node, "key", key);
        String description = check.text(node, "description", "", false);
        List<Condition> conditions = conditions(check, node.get("conditions"), "/conditions", false);
        Set<String> included = stringSet(check, node.get("included"), "/included");
        Set<String> excluded = stringSet(check, node.get("excluded"), "/excluded");
        check.throwIfFailed();
        return new Segment(key, description, conditions, included, excluded, version);
    }

    /** The JSON of a segment, without its version. */
    public ObjectNode encodeSegment(Segment segment) {
        ObjectNode o = mapper.createObjectNode();
        o.put("key", segment.key());
        if (segment.description() != null) {
            o.put("description", segment.description());
        }
        o.set("conditions", encodeConditions(segment.conditions()));
        o.set("included", PlainValues.toJson(segment.included()));
        o.set("excluded", PlainValues.toJson(segment.excluded()));
        return o;
    }

    private static Set<String> stringSet(ShapeCheck check, JsonNode node, String pointer) {
        Set<String> set = new LinkedHashSet<>();
        if (check.array(node, pointer, false)) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isTextual()) {
                    set.add(node.get(i).textValue());
                } else {
                    check.fail(pointer + "/" + i, "must be a string (a targeting key)");
                }
            }
        }
        return set;
    }

    // ---------------------------------------------------------------- environments

    /** Decodes an environment; {@code name} is the name from the request path. */
    public Environment decodeEnvironment(JsonNode node, String name, long version) {
        ShapeCheck check = new ShapeCheck();
        if (node == null || node.isNull() || node.isMissingNode()) {
            node = mapper.createObjectNode(); // a body is optional; the name from the path is checked all the same
        } else if (!check.object(node, "", true)) {
            check.throwIfFailed();
        }
        check.onlyFields(node, "", ENVIRONMENT_FIELDS);
        checkKey(check, node, "name", name);
        String description = check.text(node, "description", "", false);
        List<String> origins = new ArrayList<>();
        if (check.array(node.get("allowedOrigins"), "/allowedOrigins", false)) {
            JsonNode list = node.get("allowedOrigins");
            for (int i = 0; i < list.size(); i++) {
                JsonNode origin = list.get(i);
                if (!origin.isTextual() || !ORIGIN.matcher(origin.textValue()).matches()) {
                    check.fail("/allowedOrigins/" + i, "must be an origin such as https://app.example.com (scheme,"
                            + " host, optional port; no path) or *");
                } else {
                    origins.add(origin.textValue().toLowerCase(Locale.ROOT));
                }
            }
        }
        check.throwIfFailed();
        return new Environment(name, description, origins, version);
    }

    /** The JSON of an environment, without its version. */
    public ObjectNode encodeEnvironment(Environment environment) {
        ObjectNode o = mapper.createObjectNode();
        o.put("name", environment.name());
        if (environment.description() != null) {
            o.put("description", environment.description());
        }
        if (!environment.allowedOrigins().isEmpty()) {
            environment.allowedOrigins().forEach(o.putArray("allowedOrigins")::add);
        }
        return o;
    }

    static void checkKey(ShapeCheck check, JsonNode node, String field, String pathKey) {
        if (!isValidKey(pathKey)) {
            check.fail("/" + field, "must match " + Flag.KEY_PATTERN);
        }
        String bodyKey = check.text(node, field, "", false);
        if (bodyKey != null && !bodyKey.equals(pathKey)) {
            check.fail("/" + field, "must equal the " + field + " in the path ('" + pathKey + "') or be left out");
        }
    }
}
