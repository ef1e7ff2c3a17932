package io.ensign.api.http;

import io.ensign.api.auth.Role;

/** What a route demands of its caller. */
public enum Permission {
    /** No token needed. */
    PUBLIC,
    /** Any valid token, sdk tokens included: evaluation. */
    EVALUATE,
    /** sdk, editor or admin: posting experiment events (an sdk token for its own environment's experiments). */
    INGEST,
    /** viewer, editor or admin. */
    READ,
    /** editor or admin. */
    WRITE,
    /** admin only. */
    ADMIN;

    /** Whether a token of this role may call a route demanding this permission. */
    public boolean allows(Role role) {
        switch (this) {
            case PUBLIC:
            case EVALUATE:
                return true;
            case INGEST:
                return role != Role.VIEWER;
            case READ:
                return role != Role.SDK;
            case WRITE:
                return role == Role.EDITOR || role == Role.ADMIN;
            default:
                return role == Role.ADMIN;
        }
    }
}
