package io.ensign.api.store;

import java.util.Objects;

/**
 * Whether the store takes writes now, for {@code /health/ready}.
 *
 * @param up     true when writes are expected to succeed
 * @param reason why not, null when up
 */
public record StoreStatus(boolean up, String reason) {
    /** The store is up. */
    public static final StoreStatus UP = new StoreStatus(true, null);

    public StoreStatus {
        if (!up) {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The store is down for the reason given. */
    public static StoreStatus down(String reason) {
        return new StoreStatus(false, reason);
    }
}
