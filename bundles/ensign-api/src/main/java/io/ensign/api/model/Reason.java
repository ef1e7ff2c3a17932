package io.ensign.api.model;

/** Why an evaluation returned its value; the names are OpenFeature's resolution reasons. */
public enum Reason {
    /** The flag has no rules or overrides that could change the value. */
    STATIC,
    /** An override or a rule with a fixed variant matched. */
    TARGETING_MATCH,
    /** A rollout or an experiment chose the variant. */
    SPLIT,
    /** Nothing matched: the (environment's) default variant. */
    DEFAULT,
    /** The flag is switched off: its default variant. */
    DISABLED,
    /** The evaluation failed; the value is the flag's default and an {@link ErrorCode} says why. */
    ERROR
}
