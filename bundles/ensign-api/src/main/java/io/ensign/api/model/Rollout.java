package io.ensign.api.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A split of units between variants.
 *
 * @param strategy the name of the {@link io.ensign.api.assignment.AssignmentStrategy}, {@code hash} by default
 * @param weights  variant to relative weight, in the order written (the order matters for bucket ranges)
 * @param bucketBy the context attribute whose value is the unit, {@code targetingKey} by default
 * @param salt     the salt the strategy hashes with, null for the flag key; set it to keep the buckets of
 *                 a split that another system salted differently (Unleash's {@code groupId}, GrowthBook's
 *                 {@code seed}, flagd's custom bucketing key)
 * @param coverage the fraction of units in [0, 1] the split takes, null for all of them; the rest go on to the
 *                 next rule. Only a {@link io.ensign.api.assignment.PartialAssignmentStrategy} takes one.
 */
public record Rollout(String strategy, Map<String, Double> weights, String bucketBy, String salt, Double coverage) {
    public static final String DEFAULT_STRATEGY = "hash";
    public static final String DEFAULT_BUCKET_BY = "targetingKey";

    public Rollout {
        strategy = strategy == null ? DEFAULT_STRATEGY : strategy;
        bucketBy = bucketBy == null ? DEFAULT_BUCKET_BY : bucketBy;
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(weights, "weights")));
    }

    /** A rollout of every unit, salted with the flag key. */
    public Rollout(String strategy, Map<String, Double> weights, String bucketBy) {
        this(strategy, weights, bucketBy, null, null);
    }

    /** The salt to hash with: {@link #salt()} when set, else {@code flagKey}. */
    public String saltOr(String flagKey) {
        return salt == null ? flagKey : salt;
    }
}
