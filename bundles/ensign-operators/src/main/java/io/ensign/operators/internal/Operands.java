package io.ensign.operators.internal;

import java.util.List;
import java.util.Map;

/** Checks the shape of a condition's operands when it compiles, so the predicates need not. */
final class Operands {
    private Operands() {
    }

    /** The operand single-valued operators use: the first one, which must be present and not null. */
    static Object first(List<Object> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("the operator needs an operand, but the condition has no values");
        }
        Object first = values.get(0);
        if (first == null) {
            throw new IllegalArgumentException("the first operand is null; test presence with the exists operator");
        }
        return first;
    }

    /** Every operand, of which there must be at least one and none null. */
    static List<Object> all(List<Object> values) {
        first(values);
        for (Object value : values) {
            if (value == null) {
                throw new IllegalArgumentException("an operand is null; test presence with the exists operator");
            }
        }
        return values;
    }

    /** Every operand as a string, for operators that compare text. */
    static List<String> strings(List<Object> values) {
        return all(values).stream().map(Operands::string).toList();
    }

    /** The operand as a string; anything else is a mistake in the condition. */
    static String string(Object value) {
        if (value instanceof String text) {
            return text;
        }
        throw new IllegalArgumentException("expected a string operand, got " + describe(value));
    }

    /** Names an operand in a message: its JSON kind and value. */
    static String describe(Object value) {
        String kind = value instanceof Number ? "number"
                : value instanceof Boolean ? "boolean"
                : value instanceof List ? "array"
                : value instanceof Map ? "object"
                : value instanceof String ? "string"
                : value.getClass().getSimpleName();
        return kind + " " + value;
    }
}
