package io.ensign.api.http;

import io.ensign.api.auth.Role;

/** What a route demands of its caller. */
public enum Permission {
    /** No token needed. */
    PUBLIC,
    /** Any valid token but a metrics one, sdk tokens included: evaluation. */
    EVALUATE,
    /** sdk, editor or admin: posting experiment events (an sdk token for its own environment's experiments). */
    INGEST,
    /** viewer, editor or admin. */
    READ,
    /** editor or admin. */
    WRITE,
    /** admin only. */
    ADMIN,
    /** metrics or admin: reading the server's metrics. */
    METRICS;

    /** Whether a token of this role may call a route demanding this permission. */
    public boolean allows(Role role) {
        switch (this) {
            case PUBLIC:
                return true;
            case EVALUATE:
                return role != Role.METRICS;
            case INGEST:
                return role == Role.SDK || role == Role.EDITOR || role == Role.ADMIN;
            case READ:
                return role == Role.VIEWER || role == Role.EDITOR || role == Role.ADMIN;
            case WRITE:
                return role == Role.EDITOR || role == Role.ADMIN;
            case METRICS:
                return role == Role.METRICS || role == Role.ADMIN;
            default:
                return role == Role.ADMIN;
        }
    }
}
