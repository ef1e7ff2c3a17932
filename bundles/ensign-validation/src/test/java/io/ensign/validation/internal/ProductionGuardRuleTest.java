package io.ensign.validation.internal;

import static io.ensign.validation.internal.Changes.of;
import static io.ensign.validation.internal.Changes.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;

import io.ensign.api.validation.Violation;

import org.junit.jupiter.api.Test;

class ProductionGuardRuleTest {
    private final ProductionGuardRule rule = new ProductionGuardRule(config(new String[] {"production"}, true));

    private static ProductionGuardRule.Config config(String[] protectedEnvironments, boolean requireReason) {
        return config(protectedEnvironments, requireReason, true);
    }

    private static ProductionGuardRule.Config config(String[] protectedEnvironments, boolean requireReason,
                                                     boolean guardGlobalChanges) {
        return new ProductionGuardRule.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ProductionGuardRule.Config.class;
            }

            @Override
            public String[] protectedEnvironments() {
                return protectedEnvironments;
            }

            @Override
            public boolean requireReason() {
                return requireReason;
            }

            @Override
            public boolean guardGlobalChanges() {
                return guardGlobalChanges;
            }
        };
    }

    private static Map<String, Object> flag(String defaultVariant, Map<String, Object> environments) {
        return object("key", "checkout", "type", "boolean", "enabled", true,
                "variants", object("on", true, "off", false), "defaultVariant", defaultVariant,
                "environments", environments);
    }

    private static void assertRefused(List<Violation> violations, String environment) {
        assertEquals(1, violations.size(), violations.toString());
        Violation v = violations.get(0);
        assertEquals("production-guard", v.rule());
        assertEquals("/reason", v.field());
        assertEquals(Violation.Severity.ERROR, v.severity());
        assertTrue(v.message().contains(environment), v.message());
    }

    @Test
    void configWriteToProductionWithoutReasonIsRefused() {
        assertRefused(rule.validate(of("config", "production", null, object("value", 1L), null)), "production");
        assertRefused(rule.validate(of("config", "production", null, object("value", 1L), "  ")), "production");
    }

    @Test
    void configWriteToProductionWithReasonPasses() {
        assertEquals(List.of(), rule.validate(of("config", "production", null, object("value", 1L), "INC-42")));
    }

    @Test
    void configWriteToStagingNeedsNoReason() {
        assertEquals(List.of(), rule.validate(of("config", "staging", null, object("value", 1L), null)));
    }

    @Test
    void globalConfigChangeReachesProduction() {
        assertRefused(rule.validate(of("config", null, object("value", 1L), object("value", 2L), null)), "production");
    }

    @Test
    void globalChangesPassUnguardedUnlessTurnedOnButTheirProductionPartIsGuarded() {
        ProductionGuardRule byDefault = new ProductionGuardRule(config(new String[] {"production"}, true, false));
        assertEquals(List.of(), byDefault.validate(of("config", null, object("value", 1L), object("value", 2L), null)));
        assertEquals(List.of(), byDefault.validate(of("flag", null, null, flag("off", object()), null)),
                "creating a flag through the plain API needs no reason by default");
        assertRefused(byDefault.validate(of("flag", null, flag("off", object()),
                flag("off", object("production", object("enabled", false))), null)), "production");
    }

    @Test
    void rewritingAGlobalObjectUnchangedNeedsNoReason() {
        assertEquals(List.of(), rule.validate(of("config", null, object("value", 1L, "version", 3L, "actor", "bob",
                "reason", "INC-1"), object("value", 1L, "version", 4L, "actor", "alice", "reason", null), null)));
    }

    @Test
    void flagChangeOnlyInStagingIsNoProductionChange() {
        Map<String, Object> before = flag("off", object("staging", object("defaultVariant", "off")));
        Map<String, Object> after = flag("off", object("staging", object("defaultVariant", "on")));
        assertEquals(List.of(), rule.validate(of("flag", null, before, after, null)));
    }

    @Test
    void flagChangeInProductionEnvironmentIsRefusedWithoutReason() {
        Map<String, Object> before = flag("off", object("staging", object("defaultVariant", "on")));
        Map<String, Object> after = flag("off", object("staging", object("defaultVariant", "on"),
                "production", object("enabled", false)));
        assertRefused(rule.validate(of("flag", null, before, after, null)), "production");
        assertEquals(List.of(), rule.validate(of("flag", null, before, after, "kill switch for INC-7")));
    }

    @Test
    void flagChangeInGlobalPartReachesProduction() {
        Map<String, Object> before = flag("off", object("staging", object("defaultVariant", "on")));
        Map<String, Object> after = flag("on", object("staging", object("defaultVariant", "on")));
        assertRefused(rule.validate(of("flag", null, before, after, null)), "production");
    }

    @Test
    void creatingAndDeletingAFlagReachProduction() {
        Map<String, Object> flag = flag("off", object());
        assertRefused(rule.validate(of("flag", null, null, flag, null)), "production");
        assertRefused(rule.validate(of("flag", null, flag, null, null)), "production");
    }

    @Test
    void segmentChangeReachesProduction() {
        assertRefused(rule.validate(of("segment", null, object("included", List.of("u1")),
                object("included", List.of("u1", "u2")), null)), "production");
    }

    @Test
    void experimentReachesTheEnvironmentItIsBoundTo() {
        Map<String, Object> staging = object("flag", "checkout", "environment", "staging", "alpha", 0.05);
        Map<String, Object> production = object("flag", "checkout", "environment", "production", "alpha", 0.05);
        assertEquals(List.of(), rule.validate(of("experiment", null, null, staging, null)));
        assertRefused(rule.validate(of("experiment", null, null, production, null)), "production");
        assertRefused(rule.validate(of("experiment", null, production, staging, null)), "production");
    }

    @Test
    void protectedEnvironmentsAreConfigurable() {
        ProductionGuardRule guard = new ProductionGuardRule(config(new String[] {"staging", "eu-prod"}, true));
        assertEquals(List.of(), guard.validate(of("config", "production", null, object("value", 1L), null)));
        assertRefused(guard.validate(of("config", "eu-prod", null, object("value", 1L), null)), "eu-prod");
        Map<String, Object> before = flag("off", object("staging", object("defaultVariant", "off")));
        Map<String, Object> after = flag("off", object("staging", object("defaultVariant", "on")));
        assertRefused(guard.validate(of("flag", null, before, after, null)), "staging");
    }

    @Test
    void guardCanBeSwitchedOffAndOnWithoutReactivation() {
        ProductionGuardRule guard = new ProductionGuardRule(config(new String[] {"production"}, false));
        assertEquals(List.of(), guard.validate(of("config", "production", null, object("value", 1L), null)));
        guard.modified(config(new String[] {"production"}, true));
        assertRefused(guard.validate(of("config", "production", null, object("value", 1L), null)), "production");
        guard.modified(config(new String[0], true));
        assertEquals(List.of(), guard.validate(of("config", "production", null, object("value", 1L), null)));
    }

    @Test
    void anEditWithAnUnreadableValueIsRefusedAndTheGuardInForceStays() {
        ProductionGuardRule guard = new ProductionGuardRule(config(new String[] {"production"}, true));
        guard.modified(new ProductionGuardRule.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ProductionGuardRule.Config.class;
            }

            @Override
            public String[] protectedEnvironments() {
                return new String[0];
            }

            @Override
            public boolean requireReason() {
                throw new IllegalArgumentException("'maybe' is not a boolean");
            }

            @Override
            public boolean guardGlobalChanges() {
                return false;
            }
        });
        assertRefused(guard.validate(of("config", "production", null, object("value", 1L), null)), "production");
    }

    @Test
    void oddShapesGiveNoViolation() {
        assertEquals(List.of(), rule.validate(of("flag", null, "a string", List.of(), null)));
        assertEquals(List.of(), rule.validate(of("flag", null, flag("off", null), 42L, null)));
        Map<String, Object> odd = object("key", "x", "environments", "not an object");
        assertEquals(List.of(), rule.validate(of("flag", null, odd, object("key", "x", "environments", List.of()),
                null)));
        ProductionGuardRule nullList = new ProductionGuardRule(config(null, true));
        assertEquals(List.of(), nullList.validate(of("config", "production", null, object("value", 1L), null)));
    }
}
