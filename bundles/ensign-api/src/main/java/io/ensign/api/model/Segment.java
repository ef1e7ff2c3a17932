package io.ensign.api.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A named group of units. A unit is in the segment when its targeting key is not {@code excluded} and it is
 * either {@code included} or matches every condition; an empty condition list matches no one.
 */
public record Segment(String key, String description, List<Condition> conditions, Set<String> included,
                      Set<String> excluded, long version) {
    public Segment {
        Objects.requireNonNull(key, "key");
        conditions = conditions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(conditions));
        included = included == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(included));
        excluded = excluded == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(excluded));
    }

    /** This segment with another version number. */
    public Segment withVersion(long newVersion) {
        return new Segment(key, description, conditions, included, excluded, newVersion);
    }
}
