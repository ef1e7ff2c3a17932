package io.ensign.validation.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the JSON-shaped plain Java values a {@link io.ensign.api.validation.Change} carries without
 * trusting their shape: anything unexpected reads as absent, so rules never throw on odd input.
 */
final class JsonShapes {
    private JsonShapes() {
    }

    /** The object's members, or empty when the value is not a JSON object. */
    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> asObject(Object value) {
        return value instanceof Map<?, ?> map ? Optional.of((Map<String, Object>) map) : Optional.empty();
    }

    /** Whether the value is an object that has the member, whatever its value (null included). */
    static boolean has(Object value, String member) {
        return asObject(value).map(o -> o.containsKey(member)).orElse(false);
    }

    /** The member's value, or null when the value is no object or lacks the member. */
    static Object member(Object value, String member) {
        return asObject(value).map(o -> o.get(member)).orElse(null);
    }

    /** Whether the object's member is the JSON literal {@code true}. */
    static boolean isTrue(Object value, String member) {
        return Boolean.TRUE.equals(member(value, member));
    }

    /**
     * The JSON type of a plain value: object, array, string, number (integer or not), boolean or null;
     * empty for Java values that have no JSON type.
     */
    static Optional<String> typeOf(Object value) {
        if (value == null) {
            return Optional.of("null");
        }
        if (value instanceof Map<?, ?>) {
            return Optional.of("object");
        }
        if (value instanceof List<?>) {
            return Optional.of("array");
        }
        if (value instanceof String) {
            return Optional.of("string");
        }
        if (value instanceof Number) {
            return Optional.of("number");
        }
        if (value instanceof Boolean) {
            return Optional.of("boolean");
        }
        return Optional.empty();
    }
}
