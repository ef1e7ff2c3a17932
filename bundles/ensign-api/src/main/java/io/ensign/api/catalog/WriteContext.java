package io.ensign.api.catalog;

import java.util.Objects;

/**
 * Who writes and why, for the audit trail.
 *
 * @param actor     the token's name and id
 * @param reason    the reason given, may be null
 * @param requestId the request's id, may be null
 */
public record WriteContext(String actor, String reason, String requestId) {
    public WriteContext {
        Objects.requireNonNull(actor, "actor");
    }
}
