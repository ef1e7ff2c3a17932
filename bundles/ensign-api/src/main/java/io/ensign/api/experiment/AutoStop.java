package io.ensign.api.experiment;

/**
 * Whether an experiment stops itself once its sequential test is conclusive.
 *
 * @param enabled            false leaves stopping to people
 * @param minUnitsPerVariant every variant needs at least this many units before auto-stop may fire
 */
public record AutoStop(boolean enabled, long minUnitsPerVariant) {
    /** Auto-stop switched off. */
    public static final AutoStop DISABLED = new AutoStop(false, 0);
}
