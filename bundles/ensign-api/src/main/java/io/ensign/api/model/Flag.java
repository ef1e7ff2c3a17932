package io.ensign.api.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A feature flag. Variant values are plain Java values as decoded from JSON (Boolean, String, Number,
 * Map, List), all of the flag's {@link FlagType}.
 *
 * @param key            the flag key, {@code [A-Za-z0-9_.-]{1,128}}
 * @param type           the type of every variant value
 * @param description    free text
 * @param enabled        false is the kill switch: the default variant is served with reason DISABLED
 * @param variants       variant name to value, in the order written
 * @param defaultVariant served when nothing else matches
 * @param overrides      targeting key to variant
 * @param rules          ordered targeting rules, first match wins
 * @param environments   per-environment changes
 * @param version        the stored version, 0 before the first write
 */
public record Flag(String key, FlagType type, String description, boolean enabled, Map<String, Object> variants,
                   String defaultVariant, Map<String, String> overrides, List<Rule> rules,
                   Map<String, FlagEnvironment> environments, long version) {
    /** The pattern every flag, segment and experiment key matches. */
    public static final String KEY_PATTERN = "[A-Za-z0-9_.-]{1,128}";

    public Flag {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        variants = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(variants, "variants")));
        overrides = overrides == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        rules = rules == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(rules));
        environments = environments == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(environments));
    }

    /** This flag with another version number. */
    public Flag withVersion(long newVersion) {
        return new Flag(key, type, description, enabled, variants, defaultVariant, overrides, rules, environments, newVersion);
    }
}
