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

    /**
     * A ticket that stands for the caller's token for one purpose only, so that it can travel where a header cannot
     * (a browser's {@code EventSource} URL). The same caller and purpose always give the same ticket; it dies with
     * the token. Never a secret that authenticates anything else.
     *
     * @param purpose what the ticket is for, including what it is limited to, e.g. {@code ofrep-events:production}
     */
    String ticket(Caller caller, String purpose);

    /** The caller whose token issued this ticket for exactly this purpose; empty when none did or it is revoked. */
    Optional<Caller> redeem(String ticket, String purpose);
}
