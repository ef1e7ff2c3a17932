package io.ensign.api.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one environment changes of a flag; every field is optional and null means "as the global flag".
 * An empty rule list is not null: it replaces the global rules with none.
 */
public record FlagEnvironment(Boolean enabled, String defaultVariant, List<Rule> rules, Map<String, String> overrides) {
    public FlagEnvironment {
        rules = rules == null ? null : Collections.unmodifiableList(new ArrayList<>(rules));
        overrides = overrides == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }
}
