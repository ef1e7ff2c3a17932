package io.ensign.api.audit;

/**
 * The outcome of {@link AuditVerifier#verify()}.
 *
 * @param valid                 whether the trail is intact
 * @param records               how many records were read
 * @param firstInvalidSequence  the first sequence that is missing, altered or out of place; null when valid
 * @param message               what was found, in a sentence
 */
public record Verification(boolean valid, long records, Long firstInvalidSequence, String message) {
}
