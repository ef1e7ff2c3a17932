package io.ensign.config.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ensign.api.config.ConfigService;
import io.ensign.api.validation.Change;
import io.ensign.api.validation.ValidationRule;
import io.ensign.api.validation.Violation;

/**
 * The validation rules that check configuration writes: those whose {@value ValidationRule#KINDS} property
 * names {@value ConfigService#KIND}, or that have none. Rules come and go at any time.
 */
final class ApplicableRules {
    private final Map<ValidationRule, String> rules = new ConcurrentHashMap<>();

    void bind(ValidationRule rule, Map<String, Object> properties) {
        if (appliesToConfig(properties.get(ValidationRule.KINDS))) {
            rules.put(rule, String.valueOf(properties.getOrDefault(ValidationRule.NAME, rule.getClass().getName())));
        }
    }

    void unbind(ValidationRule rule) {
        rules.remove(rule);
    }

    /**
     * Consults every rule; a rule that throws counts as an error violation, so a broken plugin refuses the write
     * rather than letting it through unchecked.
     */
    Verdict consult(Change change) {
        List<Violation> errors = new ArrayList<>();
        List<Violation> warnings = new ArrayList<>();
        rules.forEach((rule, name) -> {
            List<Violation> found;
            try {
                found = rule.validate(change);
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                // A plugin's bug, a stack it exhausts, a class its departed bundle took along: that rule's failure,
                // not the server's. Other errors (out of memory) are the server's and propagate.
                found = List.of(Violation.error(name, "", "validation rule '" + name + "' failed: " + e));
            }
            if (found != null) {
                found.forEach(v -> (v.severity() == Violation.Severity.WARNING ? warnings : errors).add(v));
            }
        });
        return new Verdict(errors, warnings);
    }

    private static boolean appliesToConfig(Object kinds) {
        if (kinds == null) {
            return true;
        }
        if (kinds instanceof String[] names) {
            return List.of(names).contains(ConfigService.KIND);
        }
        if (kinds instanceof Collection<?> names) {
            return names.contains(ConfigService.KIND);
        }
        return ConfigService.KIND.equals(kinds);
    }

    /** The violations of one change, split by severity. */
    record Verdict(List<Violation> errors, List<Violation> warnings) {
    }
}
