package io.ensign.client;

import java.util.Set;

/**
 * What one new state changed: the flags whose results may differ (the flag, a segment it uses or its experiment
 * changed, or it came or went) and the configuration entries, as {@code namespace/key}.
 */
public record Changes(Set<String> flags, Set<String> config) {
    public Changes {
        flags = Set.copyOf(flags);
        config = Set.copyOf(config);
    }
}
