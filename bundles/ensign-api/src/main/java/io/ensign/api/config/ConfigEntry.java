package io.ensign.api.config;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One version of one configuration value: a key of a namespace, either global or for one environment.
 *
 * @param namespace   the namespace, e.g. {@code checkout}
 * @param key         the key within the namespace, e.g. {@code timeout.ms}
 * @param environment the environment the value is for, null for the global value
 * @param value       the JSON value as plain Java (null, Boolean, String, Long, Double, List, Map); for a secret
 *                    read without revealing, {@link ConfigService#REDACTED}
 * @param schema      the JSON Schema the value must satisfy, null when there is none
 * @param secret      whether the value is secret: encrypted at rest and only revealed on request
 * @param version     the version of this value, from 1, one more with every write or deletion
 * @param updated     when this version was written
 * @param actor       who wrote this version
 * @param reason      the reason given, may be null
 */
public record ConfigEntry(String namespace, String key, String environment, Object value,
                          Map<String, Object> schema, boolean secret, long version, Instant updated, String actor,
                          String reason) {
    public ConfigEntry {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
    }
}
