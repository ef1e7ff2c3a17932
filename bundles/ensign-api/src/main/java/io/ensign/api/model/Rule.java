package io.ensign.api.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A targeting rule: it matches when the unit is in {@code segment} (if named) and every condition holds
 * (so a rule with neither matches every unit, e.g. a percentage rollout to everyone);
 * a match serves either the fixed {@code variant} or a variant chosen by the {@code rollout}.
 *
 * @param name       optional label, reported in evaluation metadata
 * @param segment    optional segment key
 * @param conditions conditions, ANDed
 * @param variant    the fixed variant, or null when {@code rollout} is set
 * @param rollout    the split, or null when {@code variant} is set
 */
public record Rule(String name, String segment, List<Condition> conditions, String variant, Rollout rollout) {
    public Rule {
        conditions = conditions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(conditions));
    }
}
