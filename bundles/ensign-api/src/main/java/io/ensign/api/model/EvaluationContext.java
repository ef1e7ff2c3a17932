package io.ensign.api.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The unit being evaluated: its targeting key and attributes (plain Java values as decoded from JSON).
 * The attribute {@code targetingKey} reads the targeting key.
 */
public record EvaluationContext(String targetingKey, Map<String, Object> attributes) {
    /** The name under which the targeting key is also an attribute. */
    public static final String TARGETING_KEY = "targetingKey";

    public EvaluationContext {
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(attributes));
    }

    /** The value of an attribute, or null when it is absent. */
    public Object attribute(String name) {
        return TARGETING_KEY.equals(name) ? targetingKey : attributes.get(name);
    }
}
