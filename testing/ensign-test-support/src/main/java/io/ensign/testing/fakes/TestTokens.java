package io.ensign.testing.fakes;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.ensign.api.auth.Authenticator;
import io.ensign.api.auth.Caller;
import io.ensign.api.auth.Role;

/**
 * API tokens for the route tests of bundles that do not keep tokens: each {@link #issue} makes a new secret for a
 * caller of that role. The real token registry (bundle ensign-auth) runs in its own tests and in the
 * integration tests.
 */
public final class TestTokens implements Authenticator {
    private final Map<String, Caller> callers = new ConcurrentHashMap<>();
    private final AtomicInteger issued = new AtomicInteger();

    private record TestCaller(String id, String name, Role role, String environment) implements Caller {
    }

    /** Tokens of which, at first, only {@code adminSecret} is one: an admin's. */
    public TestTokens(String adminSecret) {
        callers.put(adminSecret, new TestCaller("test-admin", "test admin", Role.ADMIN, null));
    }

    /** A new token of the role, bound to the environment when it is an sdk token; returns its secret. */
    public String issue(Role role, String environment) {
        String id = "test-" + issued.incrementAndGet();
        callers.put("ens_" + id, new TestCaller(id, "test " + role.jsonName(), role, environment));
        return "ens_" + id;
    }

    @Override
    public Optional<Caller> authenticate(String secret) {
        return Optional.ofNullable(callers.get(secret));
    }

    /** A ticket anyone could make (the purpose after the caller's id): good enough for route tests, unlike the real one. */
    @Override
    public String ticket(Caller caller, String purpose) {
        return caller.id() + "~" + purpose;
    }

    @Override
    public Optional<Caller> redeem(String ticket, String purpose) {
        return callers.values().stream().filter(c -> ticket(c, purpose).equals(ticket)).findFirst();
    }
}
