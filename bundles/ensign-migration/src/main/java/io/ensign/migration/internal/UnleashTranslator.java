package io.ensign.migration.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.ensign.api.http.AddressRanges;
import io.ensign.api.model.Flag;

/**
 * Unleash's feature export: {@code features} with {@code featureStrategies} and {@code featureEnvironments} per
 * environment (the export of Unleash 4.22 and later), or features with their {@code strategies} inline (the client
 * API's and older exports' shape, one global definition). A feature becomes a boolean flag ({@code on}/{@code off})
 * or, with variants, a string flag of its variants and {@code disabled}; each strategy a rule: its constraints and
 * its segments' constraints as conditions (by the table in evaluation.md), its rollout an {@code unleash} split, its
 * or the feature's variants an {@code unleash-variant} split. What Ensign cannot express is a problem of the flag.
 */
final class UnleashTranslator implements PeerTranslator {
    static final String DISABLED = "disabled";
    private static final String TARGETING_KEY = "targetingKey";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry("STR_CONTAINS", "contains"), Map.entry("STR_STARTS_WITH", "starts_with"),
            Map.entry("STR_ENDS_WITH", "ends_with"), Map.entry("IN", "in"), Map.entry("NOT_IN", "in"),
            Map.entry("SEMVER_EQ", "semver_eq"), Map.entry("SEMVER_GT", "semver_gt"),
            Map.entry("SEMVER_LT", "semver_lt"), Map.entry("SEMVER_GTE", "semver_gte"),
            Map.entry("SEMVER_LTE", "semver_lte"), Map.entry("NUM_EQ", "num_eq"), Map.entry("NUM_GT", "num_gt"),
            Map.entry("NUM_GTE", "num_gte"), Map.entry("NUM_LT", "num_lt"), Map.entry("NUM_LTE", "num_lte"),
            Map.entry("DATE_AFTER", "after"), Map.entry("DATE_BEFORE", "before"), Map.entry("REGEX", "matches"),
            Map.entry("IN_CIDR", "in_cidr"));

    @Override
    public String peer() {
        return "unleash";
    }

    @Override
    public Translation translate(JsonNode file) {
        JsonNode features = file.path("features");
        if (!features.isArray()) {
            return new Translation(List.of(), Map.of(),
                    List.of(new Problem("/features", "an Unleash export has an array of features")));
        }
        Map<Long, JsonNode> segments = new LinkedHashMap<>();
        file.path("segments").forEach(s -> segments.put(s.path("id").asLong(), s));
        List<FlagTranslation> flags = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            flags.add(new OneFeature(file, features.get(i), Pointers.element("/features", i), segments).translate());
        }
        return new Translation(flags, Map.of(), List.of());
    }

    /** One feature's translation, collecting its problems. */
    private static final class OneFeature {
        private final JsonNode file;
        private final JsonNode feature;
        private final String source;
        private final String name;
        private final Map<Long, JsonNode> segments;
        private final List<Problem> problems = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final Map<String, JsonNode> variantValues = new LinkedHashMap<>();
        private boolean variants;

        OneFeature(JsonNode file, JsonNode feature, String source, Map<Long, JsonNode> segments) {
            this.file = file;
            this.feature = feature;
            this.source = source;
            this.name = feature.path("name").asText();
            this.segments = segments;
        }

        FlagTranslation translate() {
            if (!name.matches(Flag.KEY_PATTERN)) {
                problems.add(new Problem(source + "/name", "the name is not an Ensign flag key (" + Flag.KEY_PATTERN
                        + ")"));
            }
            if (!feature.path("dependencies").isEmpty() || dependsOnOthers()) {
                problems.add(new Problem(source, "dependent features cannot be expressed: an Ensign rule cannot test"
                        + " another flag"));
            }
            variants = hasVariants();
            ObjectNode flag = EnsignJson.object();
            if (feature.path("description").isTextual()) {
                flag.put("description", feature.path("description").textValue());
            }
            boolean perEnvironment = file.has("featureStrategies");
            ObjectNode environments = NODES.objectNode();
            ArrayNode globalRules = NODES.arrayNode();
            if (perEnvironment) {
                flag.put("enabled", true);
                JsonNode featureEnvironments = file.path("featureEnvironments");
                for (int i = 0; i < featureEnvironments.size(); i++) {
                    JsonNode env = featureEnvironments.get(i);
                    if (!name.equals(env.path("featureName").asText())) {
                        continue;
                    }
                    String environment = env.path("environment").asText();
                    JsonNode variants = env.has("variants") ? env.get("variants") : feature.path("variants");
                    String at = Pointers.element("/featureEnvironments", i);
                    List<JsonNode> strategies = new ArrayList<>();
                    List<String> pointers = new ArrayList<>();
                    JsonNode all = file.path("featureStrategies");
                    for (int s = 0; s < all.size(); s++) {
                        JsonNode strategy = all.get(s);
                        if (name.equals(strategy.path("featureName").asText())
                                && environment.equals(strategy.path("environment").asText())) {
                            strategies.add(strategy);
                            pointers.add(Pointers.element("/featureStrategies", s));
                        }
                    }
                    ObjectNode translated = environments.putObject(environment);
                    translated.put("enabled", env.path("enabled").asBoolean());
                    translated.set("rules", rules(strategies, pointers, variants, at + "/variants"));
                }
            } else {
                flag.put("enabled", feature.path("enabled").asBoolean(true));
                JsonNode strategies = feature.path("strategies");
                List<JsonNode> list = new ArrayList<>();
                List<String> pointers = new ArrayList<>();
                for (int s = 0; s < strategies.size(); s++) {
                    list.add(strategies.get(s));
                    pointers.add(Pointers.element(source + "/strategies", s));
                }
                globalRules = rules(list, pointers, feature.path("variants"), source + "/variants");
            }
            if (!variants) {
                flag.put("type", "boolean").put("defaultVariant", "off");
                flag.putObject("variants").put("on", true).put("off", false);
            } else {
                notes.add(GET_VARIANT);
                flag.put("type", "string").put("defaultVariant", DISABLED);
                ObjectNode values = flag.putObject("variants");
                values.setAll(variantValues);
                values.put(DISABLED, DISABLED);
            }
            flag.set("rules", globalRules);
            if (!environments.isEmpty()) {
                flag.set("environments", environments);
            }
            return new FlagTranslation(name, source, problems.isEmpty() ? flag : null, problems, notes);
        }

        private boolean dependsOnOthers() {
            for (JsonNode dependency : file.path("dependencies")) {
                if (name.equals(dependency.path("feature").asText())) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the feature has variants anywhere: then it is a flag of variants, else of on and off. */
        private boolean hasVariants() {
            if (!feature.path("variants").isEmpty()) {
                return true;
            }
            for (JsonNode env : file.path("featureEnvironments")) {
                if (name.equals(env.path("featureName").asText()) && !env.path("variants").isEmpty()) {
                    return true;
                }
            }
            List<JsonNode> strategies = new ArrayList<>();
            feature.path("strategies").forEach(strategies::add);
            file.path("featureStrategies").forEach(st -> {
                if (name.equals(st.path("featureName").asText())) {
                    strategies.add(st);
                }
            });
            return strategies.stream().anyMatch(st -> !st.path("variants").isEmpty());
        }

        /**
         * The strategies of one definition as rules. On and off: in order, first match wins as Unleash's first
         * enabled strategy does. Variants: as Unleash's getVariant picks them, the first enabled strategy with
         * variants of its own, then (when the feature has variants) any other enabled strategy with the feature's.
         */
        private ArrayNode rules(List<JsonNode> strategies, List<String> pointers, JsonNode featureVariants,
                                String variantsAt) {
            ArrayNode rules = NODES.arrayNode();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < strategies.size(); i++) {
                if (!strategies.get(i).path("disabled").asBoolean(false)) {
                    order.add(i);
                }
            }
            if (order.isEmpty()) {
                // Unleash enables a feature without strategies for everyone
                if (!variants) {
                    rules.add(EnsignJson.fixedRule(List.of(), "on"));
                } else if (!featureVariants.isEmpty()) {
                    variantRules(rules, new ArrayList<>(), featureVariants, variantsAt, name,
                            featureVariants.get(0).path("stickiness").asText("default"), true);
                }
                return rules;
            }
            if (variants) {
                List<Integer> own = order.stream().filter(i -> !strategies.get(i).path("variants").isEmpty()).toList();
                List<Integer> others = featureVariants.isEmpty() ? List.of()
                        : order.stream().filter(i -> strategies.get(i).path("variants").isEmpty()).toList();
                order = new ArrayList<>(own);
                order.addAll(others);
            }
            for (int n = 0; n < order.size(); n++) {
                JsonNode strategy = strategies.get(order.get(n));
                String at = pointers.get(order.get(n));
                List<ObjectNode> conditions = conditions(strategy, at);
                if (conditions == null) {
                    continue;
                }
                JsonNode parameters = strategy.path("parameters");
                String type = strategy.path("name").asText();
                int rollout = 100;
                String stickiness = "default";
                String groupId = parameters.path("groupId").asText(name);
                switch (type) {
                    case "default":
                        break;
                    case "userWithId":
                        List<JsonNode> ids = new ArrayList<>();
                        for (String id : parameters.path("userIds").asText().split(",")) {
                            if (!id.isBlank()) {
                                ids.add(NODES.textNode(id.strip()));
                            }
                        }
                        conditions.add(EnsignJson.condition(TARGETING_KEY, "in", ids, false));
                        break;
                    case "flexibleRollout":
                        rollout = percentage(parameters.path("rollout"), at + "/parameters/rollout");
                        stickiness = parameters.path("stickiness").asText("default");
                        break;
                    case "remoteAddress":
                        List<JsonNode> addresses = new ArrayList<>();
                        for (String address : parameters.path("IPs").asText().split(",")) {
                            addresses.add(NODES.textNode(address.strip()));
                        }
                        addresses = addresses(addresses, at + "/parameters/IPs");
                        if (addresses.isEmpty()) {
                            continue;
                        }
                        conditions.add(EnsignJson.condition("remoteAddress", "in_cidr", addresses, false));
                        break;
                    case "gradualRolloutUserId":
                    case "gradualRolloutSessionId":
                    case "gradualRolloutRandom":
                        rollout = percentage(parameters.path("percentage"), at + "/parameters/percentage");
                        stickiness = type.endsWith("UserId") ? "userId" : type.endsWith("SessionId") ? "sessionId"
                                : "random";
                        break;
                    default:
                        problems.add(new Problem(at + "/name", "strategy '" + type + "' has no Ensign counterpart"));
                        continue;
                }
                if (rollout == 0) {
                    // no unit is in a rollout of 0 %: Unleash goes on to the next strategy for every one
                    continue;
                }
                if (rollout < 100 && variants) {
                    problems.add(new Problem(at, "a rollout below 100 % in a feature with variants splits twice in a"
                            + " row, which one Ensign rule cannot express"));
                    continue;
                }
                if (rollout < 100 && n < order.size() - 1) {
                    problems.add(new Problem(at, "a rollout below 100 % before another strategy: Unleash tries the"
                            + " next strategy for the units outside it, Ensign's unleash split decides them"));
                    continue;
                }
                if (rollout == 100 && !"default".equals(stickiness) && !"random".equals(stickiness)) {
                    // Unleash enables no unit without the stickiness field, even at 100 %
                    conditions.add(exists(unit(stickiness), true));
                }
                if (variants) {
                    boolean own = !strategy.path("variants").isEmpty();
                    JsonNode list = own ? strategy.path("variants") : featureVariants;
                    String by = list.get(0).path("stickiness").asText("default");
                    if (own && "default".equals(by)) {
                        by = stickiness;
                    }
                    variantRules(rules, conditions, list, own ? at + "/variants" : variantsAt, own ? groupId : name,
                            by, !own);
                } else if (rollout == 100) {
                    rules.add(EnsignJson.fixedRule(conditions, "on"));
                } else {
                    for (Map.Entry<List<ObjectNode>, String> unit : units(stickiness, at).entrySet()) {
                        ObjectNode split = NODES.objectNode().put("strategy", "unleash").put("salt", groupId)
                                .put("bucketBy", unit.getValue());
                        split.putObject("weights").put("on", rollout).put("off", 100 - rollout);
                        rules.add(EnsignJson.splitRule(with(conditions, unit.getKey()), split));
                    }
                }
            }
            return rules;
        }

        /**
         * The strategy's constraints and its segments' constraints as conditions; null when one of them never
         * holds (a list operator without values, a segment the export lacks), so that the strategy never applies.
         */
        private List<ObjectNode> conditions(JsonNode strategy, String at) {
            List<ObjectNode> conditions = new ArrayList<>();
            boolean never = false;
            for (int c = 0; c < strategy.path("constraints").size(); c++) {
                never |= !constraint(strategy.path("constraints").get(c), Pointers.element(at + "/constraints", c),
                        conditions);
            }
            for (int s = 0; s < strategy.path("segments").size(); s++) {
                JsonNode id = strategy.path("segments").get(s);
                JsonNode segment = segments.get(id.asLong());
                String segmentAt = Pointers.element(at + "/segments", s);
                if (segment == null) {
                    notes.add(segmentAt + ": no segment " + id + " in the export; Unleash enables no one by a"
                            + " strategy with a missing segment, so it is left out");
                    never = true;
                    continue;
                }
                for (int c = 0; c < segment.path("constraints").size(); c++) {
                    never |= !constraint(segment.path("constraints").get(c), segmentAt + "/constraints/" + c,
                            conditions);
                }
            }
            return never ? null : conditions;
        }

        /**
         * The rules that pick among {@code list}: one per override of a feature variant (an {@code in} on its field)
         * serving its variant, then one serving the variant when only one has weight, else {@code unleash-variant} splits by the
         * stickiness's units.
         */
        private void variantRules(ArrayNode rules, List<ObjectNode> conditions, JsonNode list, String at, String salt,
                                  String stickiness, boolean overrides) {
            ObjectNode weights = variantWeights(list, at);
            // Unleash serves a feature variant whose override holds before it splits, the first such in order; it
            // ignores the overrides of a strategy's variants
            for (JsonNode variant : list) {
                if (!overrides && !variant.path("overrides").isEmpty()) {
                    notes.add(at + ": Unleash ignores the overrides of a strategy's variants, and so does the"
                            + " import");
                    continue;
                }
                for (JsonNode override : variant.path("overrides")) {
                    List<JsonNode> values = new ArrayList<>();
                    override.path("values").forEach(values::add);
                    rules.add(EnsignJson.fixedRule(with(conditions, List.of(EnsignJson.condition(
                            unit(override.path("contextName").asText()), "in", values, false))),
                            variant.path("name").asText()));
                }
            }
            List<String> weighted = new ArrayList<>();
            weights.fields().forEachRemaining(w -> {
                if (w.getValue().asLong() > 0) {
                    weighted.add(w.getKey());
                }
            });
            if (weighted.size() == 1) {
                rules.add(EnsignJson.fixedRule(conditions, weighted.get(0)));
                return;
            }
            for (Map.Entry<List<ObjectNode>, String> unit : units(stickiness, at).entrySet()) {
                ObjectNode split = NODES.objectNode().put("strategy", "unleash-variant").put("salt", salt)
                        .put("bucketBy", unit.getValue());
                split.set("weights", weights);
                rules.add(EnsignJson.splitRule(with(conditions, unit.getKey()), split));
            }
        }

        /**
         * The attributes a split by {@code stickiness} buckets by, each with the conditions that choose it:
         * Unleash's {@code default} is the user id (the targeting key) when there is one, else the session id
         * (else random, which Ensign cannot express: a note).
         */
        private Map<List<ObjectNode>, String> units(String stickiness, String at) {
            Map<List<ObjectNode>, String> units = new LinkedHashMap<>();
            if ("default".equals(stickiness)) {
                if (!notes.contains(DEFAULT_STICKINESS)) {
                    notes.add(DEFAULT_STICKINESS);
                }
                units.put(List.of(exists(TARGETING_KEY, true)), TARGETING_KEY);
                units.put(List.of(exists(TARGETING_KEY, false), exists("sessionId", true)), "sessionId");
            } else if ("random".equals(stickiness)) {
                problems.add(new Problem(at, "a random rollout or random stickiness has no Ensign counterpart"));
            } else {
                String attribute = unit(stickiness);
                units.put(TARGETING_KEY.equals(attribute) ? List.of(exists(TARGETING_KEY, true)) : List.of(),
                        attribute);
            }
            return units;
        }

        private static List<ObjectNode> with(List<ObjectNode> conditions, List<ObjectNode> more) {
            List<ObjectNode> all = new ArrayList<>(conditions);
            all.addAll(more);
            return all;
        }

        private static ObjectNode exists(String attribute, boolean present) {
            return EnsignJson.condition(attribute, "exists", List.of(), !present);
        }

        private ObjectNode variantWeights(JsonNode variants, String at) {
            ObjectNode weights = NODES.objectNode();
            for (int v = 0; v < variants.size(); v++) {
                JsonNode variant = variants.get(v);
                String variantAt = Pointers.element(at, v);
                String variantName = variant.path("name").asText();
                if ("fix".equals(variant.path("weightType").asText("variable"))) {
                    problems.add(new Problem(variantAt + "/weightType", "fixed variant weights cannot be expressed"));
                }
                if (DISABLED.equals(variantName)) {
                    problems.add(new Problem(variantAt + "/name", "'disabled' is the variant Unleash answers when"
                            + " no variant applies; Ensign keeps it as the default"));
                }
                JsonNode payload = variant.path("payload");
                JsonNode value = NODES.textNode(variantName);
                if (!payload.isMissingNode() && !payload.isNull()) {
                    if (!"string".equals(payload.path("type").asText())) {
                        problems.add(new Problem(variantAt + "/payload", "only string payloads are imported"));
                    }
                    value = payload.path("value");
                }
                JsonNode known = variantValues.putIfAbsent(variantName, value);
                if (known != null && !known.equals(value)) {
                    problems.add(new Problem(variantAt + "/payload", "variant '" + variantName + "' has another"
                            + " payload elsewhere; an Ensign variant has one value"));
                }
                weights.put(variantName, variant.path("weight").asLong());
            }
            return weights;
        }

        private int percentage(JsonNode value, String at) {
            String text = value.asText("100");
            if (!text.matches("\\d{1,3}") || Integer.parseInt(text) > 100) {
                problems.add(new Problem(at, "a percentage is a whole number from 0 to 100"));
                return 100;
            }
            return Integer.parseInt(text);
        }

        /** Unleash's stickiness other than default as the Ensign attribute: userId is the targeting key. */
        private static String unit(String stickiness) {
            return "userId".equals(stickiness) ? TARGETING_KEY : stickiness;
        }

        static final String GET_VARIANT = "a flag of variants answers Unleash's getVariant, not isEnabled: where a"
                + " strategy holds and no variant is picked (none of its own or the feature's, or a unit without the"
                + " variants' stickiness field, which Unleash buckets at random) isEnabled is true and Ensign serves"
                + " disabled";

        private static final String DEFAULT_STICKINESS = "stickiness default buckets by the targeting key (Unleash's"
                + " userId), else by sessionId; Unleash picks at random for a context with neither, Ensign's rule"
                + " does not match it";

        /**
         * The addresses and blocks of {@code values} (as in_cidr reads them); the others are left out (a note), as
         * Unleash ignores them.
         */
        private List<JsonNode> addresses(List<JsonNode> values, String at) {
            List<JsonNode> addresses = new ArrayList<>();
            for (JsonNode value : values) {
                try {
                    AddressRanges.of("in_cidr", new String[] {value.asText()});
                    addresses.add(value);
                } catch (IllegalArgumentException neither) {
                    notes.add(at + ": '" + value.asText() + "' is no IP address or CIDR block; Unleash ignores it,"
                            + " so it is left out");
                }
            }
            return addresses;
        }

        /**
         * Whether RE2 reads the pattern (else a problem), which then replaces {@code values}' one, with {@code (?i)}
         * in front for {@code caseInsensitive}.
         */
        private boolean regex(String pattern, boolean caseInsensitive, String at, List<JsonNode> values) {
            String written = caseInsensitive ? "(?i)" + pattern : pattern;
            try {
                Pattern.compile(written);
            } catch (PatternSyntaxException e) {
                problems.add(new Problem(at + "/value", "Ensign's matches (RE2) cannot read the pattern: "
                        + e.getDescription() + " (Unleash's engine matches no one by a pattern it cannot read)"));
                return false;
            }
            if (pattern.matches(".*\\\\[dDwWsSbB].*") && !notes.contains(REGEX_CLASSES)) {
                notes.add(REGEX_CLASSES);
            }
            values.set(0, NODES.textNode(written));
            return true;
        }

        private static final String REGEX_CLASSES = "a REGEX pattern with \\d, \\w, \\s or \\b: Unleash's engine"
                + " reads them as Unicode classes, Ensign's RE2 as ASCII ones";

        /**
         * Adds the constraint's condition, or none when it always holds; false when it never holds (Unleash's
         * {@code IN} and {@code STR_*} of no values, a {@code SEMVER_*} value that is no version).
         */
        private boolean constraint(JsonNode constraint, String at, List<ObjectNode> conditions) {
            String operator = constraint.path("operator").asText();
            String translated = OPERATORS.get(operator);
            if (translated == null) {
                problems.add(new Problem(at + "/operator", "operator '" + operator + "' has no Ensign condition"));
                return true;
            }
            boolean caseInsensitive = constraint.path("caseInsensitive").asBoolean(false);
            if (caseInsensitive && operator.startsWith("STR_")) {
                translated += "_ci";
            }
            boolean inverted = constraint.path("inverted").asBoolean(false);
            boolean negate = inverted ^ "NOT_IN".equals(operator);
            List<JsonNode> values = new ArrayList<>();
            boolean list = operator.startsWith("STR_") || operator.endsWith("IN") || "IN_CIDR".equals(operator);
            if (constraint.has("values") && list) {
                constraint.path("values").forEach(values::add);
            } else if (constraint.has("value")) {
                values.add(constraint.get("value"));
            }
            if ("IN_CIDR".equals(operator)) {
                values = addresses(values, at + "/values");
            }
            if (values.isEmpty() && list) {
                // the test of no values is false, so the constraint holds exactly when it is negated
                return negate;
            }
            if (values.isEmpty()) {
                problems.add(new Problem(at, "the constraint has no value"));
                return true;
            }
            if (operator.startsWith("SEMVER_") && values.get(0).asText().matches("[vV].*")) {
                // Unleash reads no version from a value with a leading v (Ensign's semver operators would)
                return inverted;
            }
            if ("REGEX".equals(operator) && !regex(values.get(0).asText(), caseInsensitive, at, values)) {
                return true;
            }
            String context = constraint.path("contextName").asText();
            if (operator.startsWith("DATE_") && "currentTime".equals(context)) {
                notes.add("DATE constraints on currentTime test an attribute currentTime the client sends; Unleash"
                        + " takes its clock when the context has none");
            }
            conditions.add(EnsignJson.condition(unit(context), translated, values, negate));
            return true;
        }
    }
}
