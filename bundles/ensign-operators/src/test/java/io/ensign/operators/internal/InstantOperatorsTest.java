package io.ensign.operators.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;

import org.junit.jupiter.api.Test;

class InstantOperatorsTest {
    // 2025-03-01T12:00:00Z in epoch milliseconds, worked out by hand: 20148 days * 86,400,000 + 12 h.
    private static final long NOON_MILLIS = 20_148L * 86_400_000L + 12L * 3_600_000L;

    private static Predicate<Object> before(Object operand) {
        return new BeforeOperator().compile(List.of(operand));
    }

    private static Predicate<Object> after(Object operand) {
        return new AfterOperator().compile(List.of(operand));
    }

    @Test
    void beforeHoldsStrictlyEarlier() {
        assertTrue(before("2025-03-01T12:00:00Z").test("2025-03-01T11:59:59.999Z"));
        assertFalse(before("2025-03-01T12:00:00Z").test("2025-03-01T12:00:00Z"));
        assertFalse(before("2025-03-01T12:00:00Z").test("2025-03-02T00:00:00Z"));
    }

    @Test
    void afterHoldsStrictlyLater() {
        assertTrue(after("2025-03-01T12:00:00Z").test("2025-03-01T12:00:00.001Z"));
        assertFalse(after("2025-03-01T12:00:00Z").test("2025-03-01T12:00:00Z"));
        assertFalse(after("2025-03-01T12:00:00Z").test("2025-02-28"));
    }

    @Test
    void offsetsAreConvertedToTheSameInstant() {
        assertFalse(after("2025-03-01T12:00:00Z").test("2025-03-01T13:00:00+01:00"));
        assertTrue(after("2025-03-01T12:00:00Z").test("2025-03-01T13:00:01+01:00"));
    }

    @Test
    void aDateMeansItsFirstInstantInUtc() {
        assertTrue(before("2025-03-01").test("2025-02-28T23:59:59Z"));
        assertFalse(before("2025-03-01").test("2025-03-01T00:00:00Z"));
        assertTrue(after("2025-03-01").test("2025-03-01T00:00:00.000000001Z"));
    }

    @Test
    void numbersAreEpochMilliseconds() {
        assertTrue(after("2025-03-01T12:00:00Z").test(NOON_MILLIS + 1));
        assertFalse(after("2025-03-01T12:00:00Z").test(NOON_MILLIS));
        assertTrue(before("2025-03-01T12:00:00Z").test((double) NOON_MILLIS - 0.5));
        assertTrue(before(NOON_MILLIS).test("2025-03-01T11:00:00Z"));
        assertFalse(before(NOON_MILLIS).test(new BigDecimal(NOON_MILLIS)));
    }

    @Test
    void instantOperatorsAreFalseForMissingAttributes() {
        assertFalse(before("2025-03-01").test(null));
        assertFalse(after("2025-03-01").test(null));
    }

    @Test
    void instantOperatorsAreFalseForAttributesThatNameNoInstant() {
        for (Predicate<Object> operator : List.of(before("2030-01-01"), after("2000-01-01"))) {
            assertFalse(operator.test("yesterday"));
            assertFalse(operator.test("2025-03-01T12:00:00"));
            assertFalse(operator.test("2025-13-01"));
            assertFalse(operator.test(true));
            assertFalse(operator.test(List.of("2025-03-01")));
            assertFalse(operator.test(Double.NaN));
        }
    }

    @Test
    void instantOperatorsRejectMissingOrNonDateOperands() {
        for (EvaluationOperator operator : List.of(new BeforeOperator(), new AfterOperator())) {
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of()));
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of("next week")));
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of("2025-03-01T12:00:00")));
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of(true)));
        }
    }
}
