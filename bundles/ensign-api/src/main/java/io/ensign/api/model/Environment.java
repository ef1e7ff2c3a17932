package io.ensign.api.model;

import java.util.Objects;

/** A deployment environment such as {@code production}; flags and configuration resolve per environment. */
public record Environment(String name, String description, long version) {
    public Environment {
        Objects.requireNonNull(name, "name");
    }

    /** This environment with another version number. */
    public Environment withVersion(long newVersion) {
        return new Environment(name, description, newVersion);
    }
}
