package io.ensign.validation.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.keyword.BaseKeywordValidator;
import com.networknt.schema.keyword.Keyword;
import com.networknt.schema.keyword.KeywordValidator;
import com.networknt.schema.path.NodePath;

/**
 * {@code uniqueItems} at a cost that grows with the array as n log n at worst, in place of the validator's own.
 * That one puts the items in a {@code HashSet<JsonNode>}: strings whose hashes collide are easy to make ("Aa" and
 * "BB" have the same), and colliding keys that are not {@code Comparable} make the set compare each new item with
 * every earlier one, so an array of 16 384 such strings (500 KB) took 3.5 s. Here each item becomes its canonical
 * text and the texts go in a {@code HashSet<String>}: colliding {@code String} keys are kept in a tree.
 *
 * <p>Equality is JSON Schema's: numbers by value ({@code 1} and {@code 1.0} are the same item), objects whatever the
 * order of their members, strings, booleans and null as they are.
 */
final class LinearUniqueItems implements Keyword {
    static final String NAME = "uniqueItems";

    @Override
    public String getValue() {
        return NAME;
    }

    @Override
    public KeywordValidator newValidator(SchemaLocation location, JsonNode schemaNode, Schema parentSchema,
                                         SchemaContext context) {
        return new Validator(this, schemaNode, location, parentSchema, context);
    }

    private static final class Validator extends BaseKeywordValidator {
        private final boolean unique;

        Validator(Keyword keyword, JsonNode schemaNode, SchemaLocation location, Schema parentSchema,
                  SchemaContext context) {
            super(keyword, schemaNode, location, parentSchema, context);
            this.unique = schemaNode.isBoolean() && schemaNode.booleanValue();
        }

        @Override
        public void validate(ExecutionContext context, JsonNode node, JsonNode rootNode, NodePath instanceLocation) {
            if (!unique || !node.isArray()) {
                return;
            }
            Set<String> seen = new HashSet<>();
            for (JsonNode item : node) {
                if (!seen.add(canonical(item))) {
                    context.addError(error().instanceNode(node).instanceLocation(instanceLocation)
                            .evaluationPath(context.getEvaluationPath())
                            .locale(context.getExecutionConfig().getLocale()).build());
                    return;
                }
            }
        }
    }

    /** The one text of a value that every value equal to it under JSON Schema's equality has too. */
    static String canonical(JsonNode value) {
        StringBuilder text = new StringBuilder();
        write(value, text);
        return text.toString();
    }

    private static void write(JsonNode value, StringBuilder text) {
        if (value.isNumber()) {
            writeNumber(value, text);
        } else if (value.isArray()) {
            text.append('[');
            for (JsonNode item : value) {
                write(item, text);
                text.append(',');
            }
            text.append(']');
        } else if (value.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(value.properties());
            members.sort(Map.Entry.comparingByKey());
            text.append('{');
            for (Map.Entry<String, JsonNode> member : members) {
                text.append(quoted(member.getKey())).append(':');
                write(member.getValue(), text);
                text.append(',');
            }
            text.append('}');
        } else {
            // strings quoted and escaped as JSON, booleans and null as their literals
            text.append(value);
        }
    }

    // A double too large for the parser is infinite, which has no decimal form; every other number has exactly one
    // once its trailing zeros are gone (1, 1.0 and 1.00 are all "1").
    private static void writeNumber(JsonNode number, StringBuilder text) {
        if (number.isFloatingPointNumber() && !number.isBigDecimal() && !Double.isFinite(number.doubleValue())) {
            text.append(number.doubleValue());
        } else {
            BigDecimal decimal = number.decimalValue();
            text.append(decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toString());
        }
    }

    private static String quoted(String name) {
        return TextNode.valueOf(name).toString();
    }
}
