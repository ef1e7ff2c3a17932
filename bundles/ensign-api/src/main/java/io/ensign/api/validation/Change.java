package io.ensign.api.validation;

import java.util.Objects;

/**
 * A write about to happen, as a validation rule sees it. Objects are JSON-shaped maps (String, Number,
 * Boolean, Map, List values).
 *
 * @param kind        {@code flag}, {@code segment}, {@code environment}, {@code experiment}, {@code config}...
 * @param key         the object's key
 * @param environment the environment the write is for, null for global objects
 * @param before      the current object, null when it is created
 * @param after       the object as it would be stored, null when it is deleted
 * @param actor       who writes
 * @param reason      the reason given, may be null
 */
public record Change(String kind, String key, String environment, Object before, Object after, String actor,
                     String reason) {
    public Change {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }
}
