package io.ensign.operators.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

class EqualityOperatorsTest {
    private static Predicate<Object> equalsTo(Object... values) {
        return new EqualsOperator().compile(Arrays.asList(values));
    }

    private static Predicate<Object> notEquals(Object... values) {
        return new NotEqualsOperator().compile(Arrays.asList(values));
    }

    private static Predicate<Object> in(Object... values) {
        return new InOperator().compile(Arrays.asList(values));
    }

    private static Predicate<Object> notIn(Object... values) {
        return new NotInOperator().compile(Arrays.asList(values));
    }

    @Test
    void equalsMatchesTheSameString() {
        assertTrue(equalsTo("NL").test("NL"));
        assertFalse(equalsTo("NL").test("nl"));
    }

    @Test
    void equalsUsesOnlyTheFirstOperand() {
        assertTrue(equalsTo("NL", "DE").test("NL"));
        assertFalse(equalsTo("NL", "DE").test("DE"));
    }

    @Test
    void equalsComparesNumbersByValueAcrossJavaClasses() {
        assertTrue(equalsTo(1).test(1.0));
        assertTrue(equalsTo(1.0).test(1L));
        assertTrue(equalsTo(new BigDecimal("1.00")).test(1));
        assertTrue(equalsTo(BigInteger.valueOf(7)).test(new BigDecimal("7.0")));
        assertTrue(equalsTo(0.0).test(-0.0));
        assertFalse(equalsTo(1).test(1.5));
        assertFalse(equalsTo(new BigDecimal("0.5")).test(1L));
    }

    @Test
    void equalsMatchesBooleans() {
        assertTrue(equalsTo(true).test(true));
        assertFalse(equalsTo(true).test(false));
    }

    @Test
    void equalsIsFalseForMissingOrWrongTypeAttributes() {
        assertFalse(equalsTo("1").test(null));
        assertFalse(equalsTo("1").test(1));
        assertFalse(equalsTo(1).test("1"));
        assertFalse(equalsTo(true).test("true"));
        assertFalse(equalsTo("NL").test(List.of("NL")));
        assertFalse(equalsTo(1).test(Double.NaN));
    }

    @Test
    void equalsRejectsMissingNullAndStructuredOperands() {
        assertThrows(IllegalArgumentException.class, () -> equalsTo());
        assertThrows(IllegalArgumentException.class, () -> new EqualsOperator().compile(null));
        assertThrows(IllegalArgumentException.class, () -> equalsTo((Object) null));
        assertThrows(IllegalArgumentException.class, () -> equalsTo(List.of("NL")));
        assertThrows(IllegalArgumentException.class, () -> equalsTo(Map.of("a", 1)));
        assertThrows(IllegalArgumentException.class, () -> equalsTo(Double.NaN));
    }

    @Test
    void notEqualsMatchesADifferentValueOfTheSameType() {
        assertTrue(notEquals("NL").test("DE"));
        assertTrue(notEquals(1).test(2.5));
        assertTrue(notEquals(true).test(false));
    }

    @Test
    void notEqualsIsFalseForAnEqualValue() {
        assertFalse(notEquals("NL").test("NL"));
        assertFalse(notEquals(1).test(1.0));
    }

    @Test
    void notEqualsIsFalseForMissingOrWrongTypeAttributes() {
        assertFalse(notEquals("NL").test(null));
        assertFalse(notEquals("1").test(1));
        assertFalse(notEquals(1).test("2"));
        assertFalse(notEquals(true).test("false"));
        assertFalse(notEquals("NL").test(Map.of()));
        assertFalse(notEquals(1).test(Double.NaN));
    }

    @Test
    void notEqualsRejectsMissingOperands() {
        assertThrows(IllegalArgumentException.class, () -> notEquals());
        assertThrows(IllegalArgumentException.class, () -> notEquals(List.of()));
    }

    @Test
    void inTestsMembership() {
        Predicate<Object> countries = in("NL", "DE");
        assertTrue(countries.test("NL"));
        assertTrue(countries.test("DE"));
        assertFalse(countries.test("FR"));
    }

    @Test
    void inComparesNumbersByValueAndKeepsTypesApart() {
        Predicate<Object> mixed = in("1", 2, false);
        assertTrue(mixed.test(2.0));
        assertTrue(mixed.test(new BigDecimal("2.000")));
        assertTrue(mixed.test("1"));
        assertTrue(mixed.test(false));
        assertFalse(mixed.test(1));
        assertFalse(mixed.test("2"));
        assertFalse(mixed.test(true));
    }

    @Test
    void inIsFalseForMissingOrWrongTypeAttributes() {
        assertFalse(in("NL").test(null));
        assertFalse(in("NL").test(List.of("NL")));
        assertFalse(in(1, 2).test(true));
    }

    @Test
    void inRejectsNoOperandsOrANullOne() {
        assertThrows(IllegalArgumentException.class, () -> in());
        assertThrows(IllegalArgumentException.class, () -> in("NL", null));
        assertThrows(IllegalArgumentException.class, () -> in("NL", List.of("DE")));
    }

    @Test
    void notInMatchesValuesOutsideTheSet() {
        assertTrue(notIn("NL", "DE").test("FR"));
        assertTrue(notIn(1, 2).test(3L));
        assertFalse(notIn("NL", "DE").test("DE"));
        assertFalse(notIn(1, 2).test(2.0));
    }

    @Test
    void notInIsFalseForMissingOrWrongTypeAttributes() {
        assertFalse(notIn("NL", "DE").test(null));
        assertFalse(notIn("NL", "DE").test(5));
        assertFalse(notIn(1, 2).test("3"));
        assertFalse(notIn("true").test(true));
        assertFalse(notIn(1).test(Double.NaN));
    }

    @Test
    void notInRejectsNoOperands() {
        assertThrows(IllegalArgumentException.class, () -> notIn());
        assertThrows(IllegalArgumentException.class, () -> notIn(Map.of()));
    }
}
