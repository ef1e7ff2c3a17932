package io.ensign.api.catalog;

import java.util.List;

import io.ensign.api.validation.Violation;

/**
 * What a successful write stored.
 *
 * @param value    the object as stored, with its new version
 * @param created  true when the object did not exist before
 * @param warnings violations of severity WARNING that did not stop the write
 */
public record WriteResult<T>(T value, boolean created, List<Violation> warnings) {
    public WriteResult {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
