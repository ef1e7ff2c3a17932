package io.ensign.api.model;

import java.util.List;
import java.util.Objects;

/**
 * A deployment environment such as {@code production}; flags and configuration resolve per environment.
 *
 * @param allowedOrigins the web origins ({@code https://app.example.com}, or {@code *} for any) whose pages may
 *                       call the server for this environment from a browser (CORS); none by default
 */
public record Environment(String name, String description, List<String> allowedOrigins, long version) {
    /** The origin that stands for every origin. */
    public static final String ANY_ORIGIN = "*";

    public Environment {
        Objects.requireNonNull(name, "name");
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }

    /** An environment that no other origin may call. */
    public Environment(String name, String description, long version) {
        this(name, description, List.of(), version);
    }

    /** This environment with another version number. */
    public Environment withVersion(long newVersion) {
        return new Environment(name, description, allowedOrigins, newVersion);
    }

    /** Whether pages of this origin (as a browser sends it, e.g. {@code https://app.example.com}) may call. */
    public boolean allowsOrigin(String origin) {
        for (String allowed : allowedOrigins) {
            if (allowed.equals(ANY_ORIGIN) || allowed.equalsIgnoreCase(origin)) {
                return true;
            }
        }
        return false;
    }
}
