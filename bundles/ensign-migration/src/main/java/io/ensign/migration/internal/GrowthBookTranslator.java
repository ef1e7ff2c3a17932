package io.ensign.migration.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.model.Flag;

/**
 * GrowthBook's features JSON, as its SDKs read it: the SDK payload {@code {"features": {KEY: feature}}} or the
 * bare map of features. A feature becomes a flag of its values (the default value and every forced and
 * experiment value, one variant each); its rules become Ensign rules in order, first match winning in both: a
 * force rule serves its value, through a one-weight {@code growthbook} rollout when it has a coverage; an
 * experiment rule is a {@code growthbook} (hash version 2) or {@code growthbook-v1} split over its variations with
 * GrowthBook's weights, coverage and seed. A condition becomes the conditions of one rule, or of several rules
 * serving the same where it has alternatives ({@code $or}, {@code $not} of a conjunction, the values GrowthBook
 * gives a missing attribute). Whatever Ensign cannot express is a problem of the feature, by pointer.
 */
final class GrowthBookTranslator implements PeerTranslator {
    /** A condition with alternatives becomes one rule per alternative; past this many, it is refused. */
    static final int MAX_ALTERNATIVES = 64;
    /** GrowthBook's attribute for the unit when a rule names none; the targeting key OpenFeature sends. */
    static final String ID = "id";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, String> VERSIONS = Map.of("$veq", "version_eq", "$vne", "version_ne",
            "$vgt", "version_gt", "$vgte", "version_gte", "$vlt", "version_lt", "$vlte", "version_lte");
    private static final Map<String, String> ORDERS = Map.of("$gt", "num_gt", "$gte", "num_gte", "$lt", "num_lt",
            "$lte", "num_lte");
    /** Rule fields that change nothing the SDK answers without a sticky-bucket service, tracking or dev tools. */
    private static final Set<String> INERT = Set.of("id", "name", "phase", "meta", "key", "fallbackAttribute",
            "disableStickyBucketing", "bucketVersion", "minBucketVersion", "enabled");
    private static final Set<String> FORCE_FIELDS = Set.of("force", "condition", "coverage", "hashAttribute", "seed",
            "hashVersion");
    private static final Set<String> EXPERIMENT_FIELDS = Set.of("variations", "weights", "coverage", "hashAttribute",
            "seed", "hashVersion", "condition", "ranges");

    @Override
    public String peer() {
        return "growthbook";
    }

    @Override
    public Translation translate(JsonNode file) {
        if (file.has("encryptedFeatures")) {
            return refused("/encryptedFeatures", "encrypted features cannot be read: export the SDK payload"
                    + " unencrypted");
        }
        JsonNode features = file.path("features");
        String at = "/features";
        if (features.isArray()) {
            return refused(at, "features is an array (GrowthBook's REST API): import the SDK payload, whose"
                    + " features are an object by key");
        }
        if (!features.isObject()) {
            features = file;
            at = "";
        }
        JsonNode savedGroups = at.isEmpty() ? NODES.objectNode() : file.path("savedGroups");
        List<FlagTranslation> flags = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : features.properties()) {
            String source = Pointers.member(at, e.getKey());
            if (!e.getValue().isObject()) {
                flags.add(new FlagTranslation(e.getKey(), source, null,
                        List.of(new Problem(source, "a feature is an object of defaultValue and rules")), List.of()));
                continue;
            }
            flags.add(new OneFeature(e.getKey(), source, savedGroups).translate(e.getValue()));
        }
        if (flags.isEmpty()) {
            return refused("/features", "the file has no features");
        }
        return new Translation(flags, Map.of(), List.of());
    }

    private static Translation refused(String at, String message) {
        return new Translation(List.of(), Map.of(), List.of(new Problem(at, message)));
    }

    /** One feature's translation, collecting its problems. */
    private static final class OneFeature {
        private final String key;
        private final String source;
        private final JsonNode savedGroups;
        /** The condition groups being inlined, against a group that contains itself. */
        private final Set<String> inlining = new HashSet<>();
        private final List<Problem> problems = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        /** The variants by name, named after their values as they appear. */
        private final Map<String, JsonNode> variants = new LinkedHashMap<>();

        OneFeature(String key, String source, JsonNode savedGroups) {
            this.key = key;
            this.source = source;
            this.savedGroups = savedGroups;
        }

        FlagTranslation translate(JsonNode feature) {
            if (!key.matches(Flag.KEY_PATTERN)) {
                problems.add(new Problem(source, "the key is not an Ensign flag key (" + Flag.KEY_PATTERN + ")"));
            }
            JsonNode defaultValue = feature.path("defaultValue");
            String defaultVariant = null;
            if (defaultValue.isMissingNode() || defaultValue.isNull()) {
                problems.add(new Problem(source + "/defaultValue", "without a default value GrowthBook serves null,"
                        + " which no Ensign variant is"));
            } else {
                defaultVariant = variant(defaultValue, new LinkedHashMap<>());
            }
            ArrayNode rules = NODES.arrayNode();
            JsonNode written = feature.path("rules");
            if (!written.isArray() && !written.isMissingNode() && !written.isNull()) {
                problems.add(new Problem(source + "/rules", "rules is an array"));
            }
            for (int r = 0; written.isArray() && r < written.size(); r++) {
                rule(written.get(r), Pointers.element(source + "/rules", r), rules);
            }
            String type = EnsignJson.type(variants);
            if (type == null && !variants.isEmpty()) {
                problems.add(new Problem(source, "the values must be all booleans, all strings, all numbers or all"
                        + " JSON: " + describe(NODES.arrayNode().addAll(variants.values()))));
            }
            ObjectNode flag = EnsignJson.object();
            flag.put("type", type).put("enabled", true);
            flag.putObject("variants").setAll(variants);
            flag.put("defaultVariant", defaultVariant);
            flag.set("rules", rules);
            return new FlagTranslation(key, source, problems.isEmpty() ? flag : null, problems, notes);
        }

        /**
         * The variant serving {@code value}: booleans are {@code on} and {@code off}, a string that is a plain
         * name is itself, anything else {@code value-N}. {@code taken} counts the uses within one experiment,
         * where a value served by two variations needs a second variant of the same value.
         */
        private String variant(JsonNode value, Map<JsonNode, Integer> taken) {
            int use = taken.merge(value, 1, Integer::sum);
            String base = value.isBoolean() ? (value.booleanValue() ? "on" : "off")
                    : value.isTextual() && value.textValue().matches("[A-Za-z0-9_.-]{1,64}") ? value.textValue()
                    : null;
            int seen = 0;
            for (Map.Entry<String, JsonNode> e : variants.entrySet()) {
                if (e.getValue().equals(value) && ++seen == use) {
                    return e.getKey();
                }
            }
            String name = base != null && use == 1 ? base : null;
            for (int n = variants.size() + 1; name == null || variants.containsKey(name); n++) {
                name = (base != null ? base + "-" : "value-") + n;
            }
            variants.put(name, value);
            return name;
        }

        private void rule(JsonNode rule, String at, ArrayNode rules) {
            if (!rule.isObject()) {
                problems.add(new Problem(at, "a rule is an object"));
                return;
            }
            for (String unsupported : List.of("parentConditions", "filters", "namespace", "tracks", "range",
                    "contextualVariations", "contextualBanditRef", "urlPatterns")) {
                if (rule.has(unsupported) && !rule.get(unsupported).isNull()) {
                    problems.add(new Problem(at + "/" + unsupported, unsupported(unsupported)));
                }
            }
            boolean force = rule.has("force");
            Set<String> known = force ? FORCE_FIELDS : EXPERIMENT_FIELDS;
            for (String field : (Iterable<String>) rule::fieldNames) {
                String fieldAt = Pointers.member(at, field);
                if (!known.contains(field) && !INERT.contains(field) && !problems.stream()
                        .anyMatch(p -> p.field().equals(fieldAt))) {
                    problems.add(new Problem(fieldAt, "'" + field + "' on " + (force ? "a force" : "an experiment")
                            + " rule is unknown to the import, and may change what GrowthBook serves"));
                }
            }
            if (rule.path("meta").isArray()) {
                for (int m = 0; m < rule.get("meta").size(); m++) {
                    if (rule.get("meta").get(m).path("passthrough").asBoolean(false)) {
                        problems.add(new Problem(at + "/meta/" + m + "/passthrough", "a passthrough variation"
                                + " goes on to the next rule after its bucket, which one Ensign split cannot say"));
                    }
                }
            }
            if (hasSticky(rule)) {
                note("sticky bucketing (fallbackAttribute, bucketVersion...) is ignored, as GrowthBook's SDK"
                        + " ignores it without a sticky-bucket service");
            }
            List<List<ObjectNode>> alternatives = rule.has("condition")
                    ? condition(rule.get("condition"), at + "/condition") : List.of(List.of());
            if (alternatives == null) {
                return;
            }
            if (force) {
                force(rule, at, alternatives, rules);
            } else {
                experiment(rule, at, alternatives, rules);
            }
        }

        private static boolean hasSticky(JsonNode rule) {
            return rule.has("fallbackAttribute") || rule.has("bucketVersion") || rule.has("minBucketVersion")
                    || rule.has("disableStickyBucketing");
        }

        private static String unsupported(String field) {
            switch (field) {
                case "parentConditions":
                    return "prerequisites test another feature's value, which an Ensign rule cannot";
                case "filters":
                case "namespace":
                    return field + " hash the unit a second time with another seed, which one Ensign split cannot";
                case "tracks":
                    return "tracks fire GrowthBook's tracking callback for a remotely evaluated experiment; Ensign"
                            + " serves the value without it";
                case "range":
                    return "a hand-written range of a force rule cannot be expressed (only a coverage from 0)";
                default:
                    return field + " has no Ensign counterpart";
            }
        }

        private void force(JsonNode rule, String at, List<List<ObjectNode>> alternatives, ArrayNode rules) {
            JsonNode value = rule.get("force");
            if (value.isNull()) {
                problems.add(new Problem(at + "/force", "a forced null is no Ensign variant"));
                return;
            }
            String served = variant(value, new LinkedHashMap<>());
            JsonNode coverage = rule.path("coverage");
            if (coverage.isMissingNode()) {
                alternatives.forEach(a -> rules.add(EnsignJson.fixedRule(a, served)));
                return;
            }
            if (!coverage.isNumber()) {
                problems.add(new Problem(at + "/coverage", "a coverage is a number"));
                return;
            }
            if (coverage.doubleValue() <= 0) {
                note("a force rule with coverage 0 or less serves no one in GrowthBook: it has no rule");
                return;
            }
            ObjectNode rollout = rollout(rule, at, key);
            if (rollout == null) {
                return;
            }
            rollout.putObject("weights").put(served, 1);
            rollout.put("coverage", Math.min(1, coverage.doubleValue()));
            alternatives.forEach(a -> rules.add(EnsignJson.splitRule(a, rollout)));
        }

        private void experiment(JsonNode rule, String at, List<List<ObjectNode>> alternatives, ArrayNode rules) {
            JsonNode variations = rule.path("variations");
            if (!variations.isArray()) {
                problems.add(new Problem(at, "a rule has force or variations"));
                return;
            }
            if (variations.size() < 2) {
                note("an experiment rule with fewer than two variations is skipped by GrowthBook: it has no rule");
                return;
            }
            JsonNode experimentKey = rule.path("key");
            ObjectNode rollout = rollout(rule, at, experimentKey.isTextual() && !experimentKey.textValue().isEmpty()
                    ? experimentKey.textValue() : key);
            if (rollout == null) {
                return;
            }
            double[] weights = weights(rule.path("weights"), variations.size(), at + "/weights");
            JsonNode written = rule.path("coverage");
            double coverage = written.isNumber() ? Math.max(0, Math.min(1, written.doubleValue())) : 1;
            if (rule.has("coverage") && !written.isNumber()) {
                problems.add(new Problem(at + "/coverage", "a coverage is a number"));
            }
            if (rule.has("ranges") && !sameRanges(rule.get("ranges"), weights, coverage)) {
                problems.add(new Problem(at + "/ranges", "ranges other than those of the weights and coverage"
                        + " cannot be expressed"));
            }
            ObjectNode split = rollout.putObject("weights");
            Map<JsonNode, Integer> taken = new LinkedHashMap<>();
            for (int v = 0; v < variations.size(); v++) {
                if (variations.get(v).isNull()) {
                    problems.add(new Problem(at + "/variations/" + v, "a null variation is no Ensign variant"));
                    return;
                }
                split.put(variant(variations.get(v), taken), weights[v]);
            }
            if (coverage < 1) {
                rollout.put("coverage", coverage);
            }
            alternatives.forEach(a -> rules.add(EnsignJson.splitRule(a, rollout)));
        }

        /** The rollout's strategy, salt and unit; null after a problem. */
        private ObjectNode rollout(JsonNode rule, String at, String fallbackSeed) {
            JsonNode version = rule.path("hashVersion");
            String strategy;
            // GrowthBook takes hashVersion || 1
            if (version.isMissingNode() || version.isNull()
                    || version.isNumber() && (version.doubleValue() == 1 || version.doubleValue() == 0)) {
                strategy = "growthbook-v1";
            } else if (version.isNumber() && version.doubleValue() == 2) {
                strategy = "growthbook";
            } else {
                problems.add(new Problem(at + "/hashVersion", "hash version " + version + " is none GrowthBook"
                        + " knows (1 or 2)"));
                return null;
            }
            JsonNode seed = rule.path("seed");
            String salt = seed.isTextual() && !seed.textValue().isEmpty() ? seed.textValue() : fallbackSeed;
            String unit = rule.path("hashAttribute").asText(ID);
            if (unit.isEmpty()) {
                unit = ID;
            }
            return EnsignJson.object().put("strategy", strategy).put("salt", salt).put("bucketBy", attribute(unit));
        }

        /** GrowthBook's weights as its bucket ranges use them: equal ones when missing or invalid. */
        private double[] weights(JsonNode written, int count, String at) {
            double[] weights = new double[count];
            double total = 0;
            boolean valid = written.isArray() && written.size() == count;
            for (int i = 0; valid && i < count; i++) {
                valid = written.get(i).isNumber();
                weights[i] = written.get(i).doubleValue();
                total += weights[i];
            }
            if (valid && total >= 0.99 && total <= 1.01) {
                return weights;
            }
            if (!written.isMissingNode()) {
                note(at + ": GrowthBook splits equally where the weights are missing, not one per variation or do"
                        + " not add up to 1 (within 0.01), and so does the imported split");
            }
            Arrays.fill(weights, 1.0 / count);
            return weights;
        }

        private static boolean sameRanges(JsonNode ranges, double[] weights, double coverage) {
            if (!ranges.isArray() || ranges.size() != weights.length) {
                return false;
            }
            double start = 0;
            for (int i = 0; i < weights.length; i++) {
                JsonNode range = ranges.get(i);
                if (range.size() != 2 || range.get(0).doubleValue() != start
                        || range.get(1).doubleValue() != start + coverage * weights[i]) {
                    return false;
                }
                start += weights[i];
            }
            return true;
        }

        /** GrowthBook's attribute as Ensign's: {@code id} is the targeting key. */
        private static String attribute(String name) {
            return ID.equals(name) ? "targetingKey" : name;
        }

        private void note(String note) {
            if (!notes.contains(note)) {
                notes.add(note);
            }
        }

        /**
         * A condition object as alternatives of conjunctions: the feature's rule holds when any alternative's
         * conditions all hold. Null after a problem.
         */
        private List<List<ObjectNode>> condition(JsonNode condition, String at) {
            if (!condition.isObject()) {
                problems.add(new Problem(at, "a condition is an object"));
                return null;
            }
            List<List<ObjectNode>> all = List.of(List.of());
            for (Map.Entry<String, JsonNode> e : condition.properties()) {
                String field = e.getKey();
                String fieldAt = Pointers.member(at, field);
                List<List<ObjectNode>> part;
                switch (field) {
                    case "$or":
                    case "$nor":
                    case "$and":
                        part = list(field, e.getValue(), fieldAt);
                        break;
                    case "$not":
                        part = negation(condition(e.getValue(), fieldAt), fieldAt);
                        break;
                    case "$savedGroup":
                        part = savedGroup(e.getValue(), fieldAt);
                        break;
                    default:
                        part = field.startsWith("$") ? refuse(fieldAt, "'" + field + "' has no Ensign condition")
                                : attribute(field, e.getValue(), fieldAt);
                }
                all = and(all, part, fieldAt);
                if (all == null) {
                    return null;
                }
            }
            return all;
        }

        private List<List<ObjectNode>> list(String operator, JsonNode conditions, String at) {
            if (!conditions.isArray()) {
                return refuse(at, operator + " takes an array of conditions");
            }
            if (conditions.isEmpty() && !operator.equals("$and")) {
                // GrowthBook: an empty $or holds, so an empty $nor does not
                return operator.equals("$or") ? List.of(List.of()) : List.of();
            }
            List<List<ObjectNode>> result = operator.equals("$and") ? List.of(List.of()) : new ArrayList<>();
            for (int i = 0; i < conditions.size(); i++) {
                List<List<ObjectNode>> each = condition(conditions.get(i), Pointers.element(at, i));
                if (each == null) {
                    return null;
                }
                result = operator.equals("$and") ? and(result, each, at) : or(result, each, at);
                if (result == null) {
                    return null;
                }
            }
            return operator.equals("$nor") ? negation(result, at) : result;
        }

        /** What {@code field}'s condition value says of the attribute, GrowthBook's evalConditionValue. */
        private List<List<ObjectNode>> attribute(String field, JsonNode value, String at) {
            if (field.contains(".")) {
                return refuse(at, "a dotted path reads a nested attribute; Ensign's conditions read top-level"
                        + " attributes");
            }
            String name = attribute(field);
            if (value.isTextual()) {
                // GrowthBook compares the attribute's text: a missing one is "null"
                return withMissing(atom(name, "equals", value, false), name, value.textValue().equals("null"));
            }
            if (value.isNumber()) {
                // GrowthBook multiplies the attribute by one: a missing one is 0
                return withMissing(atom(name, "num_eq", value, false), name, value.doubleValue() == 0);
            }
            if (value.isBoolean()) {
                return atom(name, "equals", value, false);
            }
            if (value.isNull()) {
                return atom(name, "exists", null, true);
            }
            if (!value.isObject() || value.isEmpty() || !allOperators(value)) {
                return refuse(at, "equality with an array or object has no Ensign condition");
            }
            List<List<ObjectNode>> all = List.of(List.of());
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                String opAt = Pointers.member(at, e.getKey());
                all = and(all, operator(name, field, e.getKey(), e.getValue(), opAt), opAt);
                if (all == null) {
                    return null;
                }
            }
            return all;
        }

        private static boolean allOperators(JsonNode value) {
            for (String name : (Iterable<String>) value::fieldNames) {
                if (!name.startsWith("$")) {
                    return false;
                }
            }
            return true;
        }

        private List<List<ObjectNode>> operator(String name, String field, String operator, JsonNode operand,
                                                String at) {
            if (VERSIONS.containsKey(operator)) {
                if (!operand.isTextual() && !operand.isNumber()) {
                    return refuse(at, operator + " takes a version");
                }
                // GrowthBook compares a missing attribute as version 0
                return withMissing(atom(name, VERSIONS.get(operator), operand, false), name,
                        versionHolds(operator, "0", operand.asText()));
            }
            if (ORDERS.containsKey(operator)) {
                if (!operand.isNumber()) {
                    return refuse(at, operator + " with " + describe(operand) + " compares JavaScript values"
                            + " loosely; Ensign compares numbers only");
                }
                double b = operand.doubleValue();
                boolean zero = switch (operator) {
                    case "$gt" -> 0 > b;
                    case "$gte" -> 0 >= b;
                    case "$lt" -> 0 < b;
                    default -> 0 <= b;
                };
                return withMissing(atom(name, ORDERS.get(operator), operand, false), name, zero);
            }
            switch (operator) {
                case "$eq":
                case "$ne":
                    if (operand.isNull()) {
                        return atom(name, "exists", null, operator.equals("$eq"));
                    }
                    if (!operand.isValueNode()) {
                        return refuse(at, operator + " with an array or object has no Ensign condition");
                    }
                    return atom(name, "equals", operand, operator.equals("$ne"));
                case "$in":
                case "$nin":
                    return in(name, operator, operand, at);
                case "$exists":
                    return atom(name, "exists", null, !truthy(operand));
                case "$regex":
                    return regex(name, operand, at);
                case "$not":
                    return negation(attribute(field, operand, at), at);
                case "$inGroup":
                case "$notInGroup":
                    return inGroup(name, operator, operand, at);
                default:
                    return refuse(at, "operator '" + operator + "' has no Ensign condition");
            }
        }

        private List<List<ObjectNode>> in(String name, String operator, JsonNode operand, String at) {
            if (!operand.isArray()) {
                return refuse(at, operator + " takes an array");
            }
            List<JsonNode> values = new ArrayList<>();
            boolean withNull = false;
            for (JsonNode value : operand) {
                if (value.isNull()) {
                    withNull = true;
                } else if (value.isValueNode()) {
                    values.add(value);
                } else {
                    return refuse(at, operator + " of arrays or objects has no Ensign condition");
                }
            }
            List<List<ObjectNode>> in = values.isEmpty() ? List.of()
                    : List.of(List.of(EnsignJson.condition(name, "in", values, false)));
            if (withNull) {
                in = or(in, atom(name, "exists", null, true), at);
            }
            return operator.equals("$in") ? in : negation(in, at);
        }

        /**
         * {@code $inGroup}/{@code $notInGroup}: membership in the values of the payload's saved group, inlined, as
         * GrowthBook reads them: a group the payload lacks has no values, one that is no list lets no one pass.
         */
        private List<List<ObjectNode>> inGroup(String name, String operator, JsonNode operand, String at) {
            JsonNode group = savedGroups.path(operand.asText());
            JsonNode values = group.isMissingNode() ? NODES.arrayNode() : group.isArray() ? group
                    : "list".equals(group.path("type").asText()) ? group.path("values") : null;
            if (group.isMissingNode()) {
                note(at + ": saved group " + operand + " is not in the payload's savedGroups; GrowthBook takes it"
                        + " for an empty list, and so does the import");
            }
            if (!operand.isTextual() || values == null || !values.isArray()) {
                note(at + ": saved group " + operand + " is not a list in the payload's savedGroups; GrowthBook"
                        + " lets no one pass, and so does the import");
                return List.of();
            }
            return in(name, operator.equals("$inGroup") ? "$in" : "$nin", values, at);
        }

        /** {@code $savedGroup}: the payload's saved group inlined, a list as {@code $in}, a condition as itself. */
        private List<List<ObjectNode>> savedGroup(JsonNode reference, String at) {
            String id = reference.path("id").asText(null);
            JsonNode group = id == null ? NODES.missingNode() : savedGroups.path(id);
            String groupAt = id == null ? at : Pointers.member("/savedGroups", id);
            if ("list".equals(group.path("type").asText())) {
                String attribute = reference.path("attributeKey").asText(group.path("attributeKey").asText(null));
                if (attribute != null && attribute.contains(".")) {
                    return refuse(groupAt + "/attributeKey", "a dotted path reads a nested attribute; Ensign's"
                            + " conditions read top-level attributes");
                }
                if (attribute != null && group.path("values").isArray()) {
                    return in(attribute(attribute), "$in", group.get("values"), groupAt + "/values");
                }
            } else if ("condition".equals(group.path("type").asText()) && group.path("condition").isObject()
                    && !inlining.contains(id)) {
                inlining.add(id);
                List<List<ObjectNode>> inlined = condition(group.get("condition"), groupAt + "/condition");
                inlining.remove(id);
                return inlined;
            }
            note(at + ": saved group " + reference + " is not in the payload's savedGroups as a list or condition"
                    + " (or contains itself); GrowthBook lets no one pass, and so does the import");
            return List.of();
        }

        private List<List<ObjectNode>> regex(String name, JsonNode operand, String at) {
            if (!operand.isTextual()) {
                return refuse(at, "$regex takes a pattern");
            }
            boolean matchesNull;
            try {
                matchesNull = Pattern.compile(operand.textValue()).matcher("null").find();
            } catch (PatternSyntaxException invalid) {
                return refuse(at, "the pattern is no regular expression Ensign reads: " + invalid.getDescription());
            }
            // GrowthBook tests a missing attribute as the text "null"
            return withMissing(atom(name, "matches", operand, false), name, matchesNull);
        }

        private static boolean truthy(JsonNode value) {
            return !(value.isNull() || value.isBoolean() && !value.booleanValue()
                    || value.isNumber() && value.doubleValue() == 0
                    || value.isTextual() && value.textValue().isEmpty());
        }

        private static List<List<ObjectNode>> atom(String name, String operator, JsonNode operand, boolean negate) {
            return List.of(List.of(EnsignJson.condition(name, operator, operand == null ? List.of()
                    : List.of(operand), negate)));
        }

        /** The condition, or also a missing attribute where GrowthBook's stand-in for it passes the test. */
        private List<List<ObjectNode>> withMissing(List<List<ObjectNode>> condition, String name, boolean missing) {
            return missing ? or(condition, atom(name, "exists", null, true), "") : condition;
        }

        private List<List<ObjectNode>> refuse(String at, String message) {
            problems.add(new Problem(at, message));
            return null;
        }

        private List<List<ObjectNode>> or(List<List<ObjectNode>> left, List<List<ObjectNode>> right, String at) {
            if (left == null || right == null) {
                return null;
            }
            List<List<ObjectNode>> both = new ArrayList<>(left);
            both.addAll(right);
            return bounded(both, at);
        }

        private List<List<ObjectNode>> and(List<List<ObjectNode>> left, List<List<ObjectNode>> right, String at) {
            if (left == null || right == null) {
                return null;
            }
            List<List<ObjectNode>> product = new ArrayList<>();
            for (List<ObjectNode> l : left) {
                for (List<ObjectNode> r : right) {
                    List<ObjectNode> conjunction = new ArrayList<>(l);
                    conjunction.addAll(r);
                    product.add(conjunction);
                }
                if (product.size() > MAX_ALTERNATIVES) {
                    break;
                }
            }
            return bounded(product, at);
        }

        /** Not any alternative: for each, one of its conditions negated (De Morgan). */
        private List<List<ObjectNode>> negation(List<List<ObjectNode>> alternatives, String at) {
            if (alternatives == null) {
                return null;
            }
            List<List<ObjectNode>> result = List.of(List.of());
            for (List<ObjectNode> conjunction : alternatives) {
                List<List<ObjectNode>> any = new ArrayList<>();
                conjunction.forEach(c -> any.add(List.of(EnsignJson.negated(c))));
                result = and(result, any, at);
                if (result == null) {
                    return null;
                }
            }
            return result;
        }

        private List<List<ObjectNode>> bounded(List<List<ObjectNode>> alternatives, String at) {
            if (alternatives.size() > MAX_ALTERNATIVES) {
                return refuse(at, "the condition expands to more than " + MAX_ALTERNATIVES + " rules");
            }
            return alternatives;
        }
    }

    /** Whether GrowthBook's version test {@code operator} holds between the two versions. */
    static boolean versionHolds(String operator, String attribute, String operand) {
        int order = Integer.signum(padded(attribute).compareTo(padded(operand)));
        return switch (operator) {
            case "$veq" -> order == 0;
            case "$vne" -> order != 0;
            case "$vgt" -> order > 0;
            case "$vgte" -> order >= 0;
            case "$vlt" -> order < 0;
            default -> order <= 0;
        };
    }

    /** GrowthBook's paddedVersionString: the order its version operators compare in. */
    static String padded(String version) {
        String text = version.isEmpty() ? "0" : version.replaceAll("^v|\\+.*$", "");
        List<String> parts = new ArrayList<>(List.of(text.split("[-.]", -1)));
        if (parts.size() == 3) {
            parts.add("~");
        }
        List<String> out = new ArrayList<>();
        for (String part : parts) {
            out.add(part.matches("[0-9]+") && part.length() < 5 ? " ".repeat(5 - part.length()) + part : part);
        }
        return String.join("-", out);
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
