package io.ensign.auth.internal;

import java.time.Instant;
import java.util.Objects;

import io.ensign.api.auth.Caller;
import io.ensign.api.auth.Role;

/**
 * A stored API token: everything but the secret, of which only the SHA-256 hash is kept.
 *
 * @param id          the token's id, the store key
 * @param name        a label people chose
 * @param role        what the token may do
 * @param environment the environment an sdk token is bound to, null for other roles
 * @param hash        lowercase hex SHA-256 of the secret
 * @param created     when it was issued
 */
public record ApiToken(String id, String name, Role role, String environment, String hash, Instant created)
        implements Caller {
    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(created, "created");
    }
}
