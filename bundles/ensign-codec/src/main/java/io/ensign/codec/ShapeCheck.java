package io.ensign.codec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;

/**
 * Collects every shape problem of one decoded document with the JSON pointer of the field, so a writer
 * learns of all of them at once. Package-private: one instance per decode, not thread-safe.
 */
final class ShapeCheck {
    static final String RULE = "schema";

    private final List<Violation> violations = new ArrayList<>();

    void fail(String pointer, String message) {
        violations.add(Violation.error(RULE, pointer, message));
    }

    boolean ok() {
        return violations.isEmpty();
    }

    /** Throws when anything was found. */
    void throwIfFailed() {
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }

    /** Reports fields of {@code node} that are not in {@code allowed}. */
    void onlyFields(JsonNode node, String pointer, Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                fail(pointer + "/" + escape(name), "unknown field '" + name + "'");
            }
        }
    }

    /** True when the node is an object, else reports it (absent counts as wrong when required). */
    boolean object(JsonNode node, String pointer, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                fail(pointer, "is required and must be an object");
            }
            return false;
        }
        if (!node.isObject()) {
            fail(pointer, "must be an object");
            return false;
        }
        return true;
    }

    /** True when the node is an array, else reports it. */
    boolean array(JsonNode node, String pointer, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                fail(pointer, "is required and must be an array");
            }
            return false;
        }
        if (!node.isArray()) {
            fail(pointer, "must be an array");
            return false;
        }
        return true;
    }

    /** The text of a string field, null when absent (reported when required) or not a string (reported). */
    String text(JsonNode parent, String field, String pointer, boolean required) {
        JsonNode node = parent.get(field);
        String at = pointer + "/" + field;
        if (node == null || node.isNull()) {
            if (required) {
                fail(at, "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            fail(at, "must be a string");
            return null;
        }
        return node.textValue();
    }

    /** A boolean field, {@code fallback} when absent; reports a non-boolean. */
    Boolean bool(JsonNode parent, String field, String pointer, Boolean fallback) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            fail(pointer + "/" + field, "must be true or false");
            return fallback;
        }
        return node.booleanValue();
    }

    /**
     * A finite number field, {@code fallback} when absent; NaN as the fallback makes it required. Reports a missing
     * required field and anything but a finite number, and then returns NaN.
     */
    double number(JsonNode parent, String field, String pointer, double fallback) {
        JsonNode node = parent.get(field);
        String at = pointer + "/" + field;
        if (node == null || node.isNull()) {
            if (Double.isNaN(fallback)) {
                fail(at, "is required");
            }
            return fallback;
        }
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            fail(at, "must be a number");
            return Double.NaN;
        }
        return node.doubleValue();
    }

    /** Calls {@code each} for every field of an object node. */
    static void forEachField(JsonNode object, BiConsumer<String, JsonNode> each) {
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            each.accept(e.getKey(), e.getValue());
        }
    }

    /** JSON pointer escaping of one reference token (RFC 6901). */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
