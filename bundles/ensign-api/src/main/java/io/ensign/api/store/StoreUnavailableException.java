package io.ensign.api.store;

import java.util.Objects;

/**
 * The store cannot take a write now (the disk is full, the database is unreachable); nothing was written and
 * the same write may succeed later. HTTP answers 507 for {@link Condition#DISK_FULL} and 503 otherwise, both
 * with {@code Retry-After}.
 */
public class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the store is unavailable. */
    public enum Condition {
        /** The device holding the data has no room left. */
        DISK_FULL,
        /** Any other passing condition: the database is unreachable, restarting or read-only. */
        UNAVAILABLE
    }

    private final Condition condition;
    private final int retryAfterSeconds;

    public StoreUnavailableException(Condition condition, String message, int retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.condition = Objects.requireNonNull(condition, "condition");
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public Condition condition() {
        return condition;
    }

    /** How long a client should wait before it tries again, at least one second. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
