package io.ensign.migration.internal;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The parts of Ensign's flag JSON that the translators build. */
final class EnsignJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EnsignJson() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** A condition on {@code attribute}; {@code negate} only written when true. */
    static ObjectNode condition(String attribute, String operator, List<JsonNode> values, boolean negate) {
        ObjectNode condition = NODES.objectNode().put("attribute", attribute).put("operator", operator);
        condition.putArray("values").addAll(values);
        if (negate) {
            condition.put("negate", true);
        }
        return condition;
    }

    /** The same condition with its test inverted. */
    static ObjectNode negated(ObjectNode condition) {
        ObjectNode copy = condition.deepCopy();
        if (condition.path("negate").asBoolean()) {
            copy.remove("negate");
        } else {
            copy.put("negate", true);
        }
        return copy;
    }

    /** A rule of conditions serving one variant. */
    static ObjectNode fixedRule(List<ObjectNode> conditions, String variant) {
        ObjectNode rule = NODES.objectNode();
        rule.putArray("conditions").addAll(conditions);
        return rule.put("variant", variant);
    }

    /** A rule of conditions splitting by a rollout. */
    static ObjectNode splitRule(List<ObjectNode> conditions, ObjectNode rollout) {
        ObjectNode rule = NODES.objectNode();
        rule.putArray("conditions").addAll(conditions);
        rule.set("rollout", rollout);
        return rule;
    }

    /**
     * Ensign's flag type for the peer's variant values: boolean, string, number or object when they all are one,
     * else null.
     */
    static String type(Map<String, JsonNode> variants) {
        String type = null;
        for (JsonNode value : variants.values()) {
            String each = value.isBoolean() ? "boolean" : value.isTextual() ? "string" : value.isNumber() ? "number"
                    : value.isObject() || value.isArray() ? "object" : null;
            if (each == null || type != null && !type.equals(each)) {
                return null;
            }
            type = each;
        }
        return type;
    }
}
