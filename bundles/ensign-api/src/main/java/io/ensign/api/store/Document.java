package io.ensign.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One revision of a stored object. The store keeps objects as JSON text and does not interpret it.
 *
 * @param kind    the object kind, e.g. {@code flag}
 * @param key     the object key, unique within its kind
 * @param version 1 for the first revision, one more for every later one
 * @param json    the object's JSON, null for the revision that deleted it
 * @param updated when this revision was committed
 */
public record Document(String kind, String key, long version, String json, Instant updated) {
    public Document {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(updated, "updated");
    }

    /** Whether this revision deleted the object. */
    public boolean deleted() {
        return json == null;
    }
}
