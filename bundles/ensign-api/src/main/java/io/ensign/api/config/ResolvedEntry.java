package io.ensign.api.config;

import java.util.Objects;

/**
 * The value a key has in one environment once the environment's own value is laid over the global one.
 *
 * @param key     the key within its namespace
 * @param value   the value in effect ({@link ConfigService#REDACTED} for a secret read without revealing)
 * @param version the version of the entry the value comes from
 * @param origin  where the value comes from: {@value ConfigService#GLOBAL} or the environment's name
 * @param secret  whether the value is secret
 */
public record ResolvedEntry(String key, Object value, long version, String origin, boolean secret) {
    public ResolvedEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(origin, "origin");
    }
}
