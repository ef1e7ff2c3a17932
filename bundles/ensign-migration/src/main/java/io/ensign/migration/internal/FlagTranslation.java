package io.ensign.migration.internal;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One peer flag as Ensign would hold it: its Ensign JSON when every part translated, else what could not be.
 *
 * @param key      the flag's key
 * @param source   JSON pointer of the flag's definition in the peer's file
 * @param flag     the Ensign flag's JSON (without key and version), null when a problem stops it
 * @param problems what could not be translated, empty when the flag imports
 * @param notes    what translated with a difference a user should know of (e.g. reasons the peer gives otherwise)
 */
record FlagTranslation(String key, String source, ObjectNode flag, List<Problem> problems, List<String> notes) {
    FlagTranslation {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    boolean translated() {
        return problems.isEmpty();
    }
}
