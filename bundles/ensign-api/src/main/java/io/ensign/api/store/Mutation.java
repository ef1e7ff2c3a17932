package io.ensign.api.store;

import java.util.Objects;

/**
 * One change to one object, with what its audit record says about it.
 *
 * @param kind            the object kind
 * @param key             the object key
 * @param environment     the environment the change is for (recorded in the audit record), may be null
 * @param json            the new JSON, or null to delete the object
 * @param expectedVersion {@link #ANY_VERSION} to write whatever is there, {@link #ABSENT} to require that
 *                        the object does not exist, else the version the caller read
 * @param action          the verb for the audit record; null means create, update or delete as it turns out
 * @param actor           who makes the change
 * @param reason          the reason given, may be null
 * @param requestId       the request's id, may be null
 */
public record Mutation(String kind, String key, String environment, String json, long expectedVersion,
                       String action, String actor, String reason, String requestId) {
    /** Expected version meaning: no condition. */
    public static final long ANY_VERSION = -1;
    /** Expected version meaning: the object must not exist (or be deleted). */
    public static final long ABSENT = 0;

    public Mutation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(actor, "actor");
    }
}
