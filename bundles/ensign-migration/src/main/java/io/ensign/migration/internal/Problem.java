package io.ensign.migration.internal;

/**
 * Why part of a peer's definition cannot be imported.
 *
 * @param field   JSON pointer into the peer's file
 * @param message what Ensign cannot express there, in a sentence
 */
record Problem(String field, String message) {
}
