package io.ensign.api.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One committed change, written by the store in the same transaction as the change itself. The sequence
 * numbers of one store grow by one with every record, so a consumer resumes from the last one it saw.
 *
 * @param sequence    position in the store's change log, from 1
 * @param time        commit time
 * @param actor       who made the change (token name and id)
 * @param action      {@code create}, {@code update}, {@code delete}, or a kind-specific verb
 * @param kind        the object kind
 * @param key         the object key
 * @param environment the environment the change is for, null when it concerns all
 * @param version     the object's version after the change
 * @param before      the object's JSON before, null when created
 * @param after       the object's JSON after, null when deleted
 * @param reason      the reason given, may be null
 * @param requestId   the id of the request that made the change
 */
public record AuditRecord(long sequence, Instant time, String actor, String action, String kind, String key,
                          String environment, long version, String before, String after, String reason,
                          String requestId) {
    public AuditRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }
}
