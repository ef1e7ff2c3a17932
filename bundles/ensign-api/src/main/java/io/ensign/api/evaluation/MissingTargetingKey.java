package io.ensign.api.evaluation;

/**
 * What a rollout that buckets by {@code targetingKey} makes of a context without one. Rollouts that bucket by
 * another attribute, and running experiments, always treat a missing unit as "does not match".
 */
public enum MissingTargetingKey {
    /** The rule does not match and evaluation goes on with the next rule (Ensign's REST API, api.md). */
    NO_MATCH,
    /**
     * Evaluation stops with OpenFeature's {@code TARGETING_KEY_MISSING} error and the value of the default variant
     * that would have applied (OFREP).
     */
    ERROR
}
