package io.ensign.validation.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.ensign.api.validation.Change;
import io.ensign.api.validation.ValidationRule;
import io.ensign.api.validation.ValidationRulePlugin;
import io.ensign.api.validation.Violation;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code production-guard}: a change that reaches a protected environment must say why, so the audit
 * trail explains every production change. What a change reaches:
 * <ul>
 * <li>a write for an environment (a config key in E) reaches E;</li>
 * <li>an object bound to an environment by its {@code environment} member (an experiment) reaches the
 * environment it had and the one it gets;</li>
 * <li>a global object (a flag, a segment, a global config key) reaches environment E when its
 * {@code environments.E} part changes, and, when {@code guardGlobalChanges} is set, every environment when
 * its global part changes. A flag edit that only touches {@code environments.staging} never reaches
 * production.</li>
 * </ul>
 * Global changes are not guarded by default so that plain scripts written against the public API (which
 * has no reason field for flags) keep working; operators who want every such change explained turn it on.
 */
@Component(service = ValidationRule.class, configurationPid = ProductionGuardRule.PID)
@Designate(ocd = ProductionGuardRule.Config.class)
@ValidationRulePlugin(name = ProductionGuardRule.NAME, kinds = {"flag", "segment", "config", "experiment"})
public final class ProductionGuardRule implements ValidationRule {
    static final String NAME = "production-guard";
    static final String PID = "io.ensign.validation.productionguard";
    /** Members about the write rather than the object (config entries carry who and why); they reach nobody. */
    private static final Set<String> BOOKKEEPING = Set.of("version", "updated", "actor", "reason");
    private static final String ENVIRONMENTS = "environments";

    /** Which environments are guarded and whether the guard is on. */
    @ObjectClassDefinition(name = "Ensign production guard",
            description = "Changes that reach a protected environment must carry a reason.")
    public @interface Config {
        @AttributeDefinition(description = "Environments whose changes need a reason")
        String[] protectedEnvironments() default {"production"};

        @AttributeDefinition(description = "Refuse changes to protected environments that give no reason")
        boolean requireReason() default true;

        @AttributeDefinition(description = "Count a change to the global part of a flag, segment or config key as "
                + "a change to every protected environment")
        boolean guardGlobalChanges() default false;
    }

    private record Settings(Set<String> protectedEnvironments, boolean requireReason, boolean guardGlobalChanges) {
        static Settings of(Config config) {
            String[] names = config.protectedEnvironments();
            return new Settings(names == null ? Set.of() : new TreeSet<>(List.of(names)), config.requireReason(),
                    config.guardGlobalChanges());
        }
    }

    private volatile Settings settings;

    @Activate
    public ProductionGuardRule(Config config) {
        this.settings = Settings.of(config);
    }

    /**
     * New configuration applies to the next write without taking the rule away in between; one with a value that
     * does not convert (DS throws when it is read) is refused with a warning and the settings in force stay.
     */
    @Modified
    void modified(Config config) {
        try {
            this.settings = Settings.of(config);
        } catch (RuntimeException e) {
            System.getLogger(ProductionGuardRule.class.getName()).log(System.Logger.Level.WARNING,
                    "configuration " + PID + " refused (" + e.getMessage() + "); keeping " + settings);
        }
    }

    @Override
    public List<Violation> validate(Change change) {
        Settings current = settings;
        if (!current.requireReason() || current.protectedEnvironments().isEmpty()
                || (change.reason() != null && !change.reason().isBlank())) {
            return List.of();
        }
        Set<String> reached = reachedProtected(change, current);
        if (reached.isEmpty()) {
            return List.of();
        }
        return List.of(Violation.error(NAME, "/reason", "this change reaches the protected environment"
                + (reached.size() == 1 ? " " : "s ") + String.join(", ", reached) + "; give a reason for it"));
    }

    private static Set<String> reachedProtected(Change change, Settings settings) {
        Set<String> guarded = settings.protectedEnvironments();
        Object before = change.before();
        Object after = change.after();
        if (!isObjectOrAbsent(before) || !isObjectOrAbsent(after)) {
            return Set.of();
        }
        Set<String> reached = new TreeSet<>();
        if (change.environment() != null) {
            reached.add(change.environment());
        } else if (boundEnvironment(before) != null || boundEnvironment(after) != null) {
            reached.add(Objects.toString(boundEnvironment(before), ""));
            reached.add(Objects.toString(boundEnvironment(after), ""));
        } else if (!Objects.equals(globalPart(before), globalPart(after))) {
            if (settings.guardGlobalChanges()) {
                reached.addAll(guarded);
            }
        } else {
            guarded.stream().filter(env -> !Objects.equals(environmentPart(before, env), environmentPart(after, env)))
                    .forEach(reached::add);
        }
        reached.retainAll(guarded);
        return reached;
    }

    private static boolean isObjectOrAbsent(Object value) {
        return value == null || JsonShapes.asObject(value).isPresent();
    }

    private static String boundEnvironment(Object object) {
        return JsonShapes.member(object, "environment") instanceof String env ? env : null;
    }

    /** The object without its per-environment part and bookkeeping: what every environment sees. */
    private static Map<String, Object> globalPart(Object object) {
        return JsonShapes.asObject(object).map(members -> {
            Map<String, Object> global = new LinkedHashMap<>(members);
            global.keySet().removeAll(BOOKKEEPING);
            global.remove(ENVIRONMENTS);
            return global;
        }).orElse(null);
    }

    private static Object environmentPart(Object object, String environment) {
        return JsonShapes.member(JsonShapes.member(object, ENVIRONMENTS), environment);
    }
}
