package io.ensign.migration.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A peer's whole file as Ensign objects: the flags, each with its problems, and the segments they use.
 *
 * @param flags    every flag of the file, in the file's order
 * @param segments the segments the flags name, by key, as Ensign JSON
 * @param problems what could not be translated outside any one flag (e.g. the file's shape)
 */
record Translation(List<FlagTranslation> flags, Map<String, ObjectNode> segments, List<Problem> problems) {
    Translation {
        flags = List.copyOf(flags);
        segments = Collections.unmodifiableMap(new LinkedHashMap<>(segments));
        problems = List.copyOf(problems);
    }

    /** Whether every part of the file translated. */
    boolean complete() {
        return problems.isEmpty() && flags.stream().allMatch(FlagTranslation::translated);
    }
}
