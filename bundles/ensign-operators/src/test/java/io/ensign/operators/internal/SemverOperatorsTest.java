package io.ensign.operators.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;

import org.junit.jupiter.api.Test;

class SemverOperatorsTest {
    private static Predicate<Object> semverEq(String operand) {
        return new SemverEqualOperator().compile(List.of(operand));
    }

    private static Predicate<Object> semverGt(String operand) {
        return new SemverGreaterThanOperator().compile(List.of(operand));
    }

    private static Predicate<Object> semverLt(String operand) {
        return new SemverLessThanOperator().compile(List.of(operand));
    }

    @Test
    void precedenceFollowsTheSemVerSpecificationExample() {
        // The chain from semver.org, section 11.
        List<String> ascending = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0", "10.0.0");
        for (int i = 0; i < ascending.size(); i++) {
            for (int j = 0; j < ascending.size(); j++) {
                String attribute = ascending.get(i);
                String operand = ascending.get(j);
                assertTrue(semverGt(operand).test(attribute) == (i > j), attribute + " > " + operand);
                assertTrue(semverLt(operand).test(attribute) == (i < j), attribute + " < " + operand);
                assertTrue(semverEq(operand).test(attribute) == (i == j), attribute + " = " + operand);
            }
        }
    }

    @Test
    void buildMetadataDoesNotAffectPrecedence() {
        assertTrue(semverEq("1.2.3+build.1").test("1.2.3+build.2"));
        assertTrue(semverEq("1.2.3").test("1.2.3+exp.sha.5114f85"));
        assertFalse(semverGt("1.2.3").test("1.2.3+zzz"));
    }

    @Test
    void aLeadingVIsTolerated() {
        assertTrue(semverEq("v1.2.3").test("1.2.3"));
        assertTrue(semverGt("1.2.3").test("V1.10.0"));
    }

    @Test
    void hugeNumericPreReleaseIdentifiersCompareNumerically() {
        assertTrue(semverGt("1.0.0-rc.99999999999999999999").test("1.0.0-rc.100000000000000000000"));
    }

    @Test
    void semverOperatorsAreFalseForMissingAttributes() {
        assertFalse(semverEq("1.0.0").test(null));
        assertFalse(semverGt("1.0.0").test(null));
        assertFalse(semverLt("1.0.0").test(null));
    }

    @Test
    void semverOperatorsAreFalseForNonVersionAttributes() {
        for (Predicate<Object> operator : List.of(semverEq("1.0.0"), semverGt("1.0.0"), semverLt("9.0.0"))) {
            assertFalse(operator.test(2));
            assertFalse(operator.test("2"));
            assertFalse(operator.test("1.0"));
            assertFalse(operator.test("01.0.0"));
            assertFalse(operator.test("1.0.0-"));
            assertFalse(operator.test("1.0.0-alpha..1"));
            assertFalse(operator.test("1.0.0-01"));
            assertFalse(operator.test(" 1.0.0"));
            assertFalse(operator.test("99999999999999999999.0.0"));
        }
    }

    @Test
    void semverOperatorsRejectMissingOrInvalidOperands() {
        for (EvaluationOperator operator : List.of(new SemverEqualOperator(), new SemverGreaterThanOperator(),
                new SemverLessThanOperator())) {
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of()));
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of(1)));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> operator.compile(List.of("1.2")));
            assertTrue(error.getMessage().contains("\"1.2\""), error.getMessage());
        }
    }
}
