package io.ensign.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/** The authenticated caller of a request: the API token it presented, without the token's secret. */
@ProviderType
public interface Caller {
    /** The token's id. */
    String id();

    /** The label people gave the token. */
    String name();

    /** What the token may do. */
    Role role();

    /** The environment an sdk token is bound to; null for the other roles. */
    String environment();

    /** Who wrote, as audit records name it. */
    default String actor() {
        return name() + " (" + id() + ")";
    }
}
