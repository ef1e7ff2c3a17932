package io.ensign.api.auth;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The server's one way from a presented API token secret to its caller. The bundle that keeps the tokens
 * ({@code ensign-auth}) provides it; the HTTP server asks it for every request, before any route runs.
 */
@ProviderType
public interface Authenticator {
    /**
     * The store kind API tokens are kept under. Their documents hold the hash of the secret, which no route shows,
     * the audit trail included.
     */
    String TOKEN_KIND = "token";

    /** The caller whose token this secret is; empty when no live token has it. */
    Optional<Caller> authenticate(String secret);
}
