package io.ensign.validation.internal;

import static io.ensign.validation.internal.Changes.config;
import static io.ensign.validation.internal.Changes.entry;
import static io.ensign.validation.internal.Changes.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.ensign.api.validation.Violation;

import org.junit.jupiter.api.Test;

class TypeStabilityRuleTest {
    private final TypeStabilityRule rule = new TypeStabilityRule();

    @Test
    void changingFromNumberToStringIsRefusedNamingBothTypes() {
        List<Violation> violations = rule.validate(config(entry(5L), entry("five")));
        assertEquals(1, violations.size());
        Violation v = violations.get(0);
        assertEquals("type-stability", v.rule());
        assertEquals("/value", v.field());
        assertEquals(Violation.Severity.ERROR, v.severity());
        assertTrue(v.message().contains("number") && v.message().contains("string"), v.message());
        assertTrue(v.message().indexOf("number") < v.message().indexOf("string"), "from before to after");
    }

    @Test
    void everyPairOfDistinctJsonTypesIsAChange() {
        List<Object> samples = Arrays.asList(Map.of("a", 1L), List.of(1L), "s", 1L, true, null);
        List<String> names = List.of("object", "array", "string", "number", "boolean", "null");
        for (int i = 0; i < samples.size(); i++) {
            for (int j = 0; j < samples.size(); j++) {
                List<Violation> violations = rule.validate(config(entry(samples.get(i)), entry(samples.get(j))));
                if (i == j) {
                    assertEquals(List.of(), violations, names.get(i));
                } else {
                    assertEquals(1, violations.size(), names.get(i) + " -> " + names.get(j));
                    assertTrue(violations.get(0).message().contains(names.get(i) + " to " + names.get(j)),
                            violations.get(0).message());
                }
            }
        }
    }

    @Test
    void integerAndFloatingPointAreTheSameType() {
        assertEquals(List.of(), rule.validate(config(entry(3L), entry(3.5))));
        assertEquals(List.of(), rule.validate(config(entry(2.5), entry(7))));
    }

    @Test
    void sameTypeWithNewValuePasses() {
        assertEquals(List.of(), rule.validate(config(entry("eu"), entry("us"))));
        assertEquals(List.of(), rule.validate(config(entry(Map.of("a", 1L)), entry(Map.of("b", "x")))));
    }

    @Test
    void declaredTypeChangePasses() {
        Map<String, Object> after = object("value", "five", "allowTypeChange", true);
        assertEquals(List.of(), rule.validate(config(entry(5L), after)));
    }

    @Test
    void allowTypeChangeMustBeTheLiteralTrue() {
        Map<String, Object> after = object("value", "five", "allowTypeChange", "true");
        assertEquals(1, rule.validate(config(entry(5L), after)).size());
    }

    @Test
    void creatingOrDeletingAKeyIsNoTypeChange() {
        assertEquals(List.of(), rule.validate(config(null, entry("x"))));
        assertEquals(List.of(), rule.validate(config(entry("x"), null)));
    }

    @Test
    void oddShapesGiveNoViolation() {
        assertEquals(List.of(), rule.validate(config("a string", entry(1L))));
        assertEquals(List.of(), rule.validate(config(entry(1L), List.of())));
        assertEquals(List.of(), rule.validate(config(object("secret", true), entry(1L))));
        assertEquals(List.of(), rule.validate(config(entry(new Object()), entry(1L))));
    }
}
