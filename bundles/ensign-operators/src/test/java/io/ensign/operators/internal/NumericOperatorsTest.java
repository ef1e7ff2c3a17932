package io.ensign.operators.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;

import org.junit.jupiter.api.Test;

class NumericOperatorsTest {
    private static Predicate<Object> gt(Object... values) {
        return new GreaterThanOperator().compile(Arrays.asList(values));
    }

    private static Predicate<Object> gte(Object... values) {
        return new GreaterThanOrEqualOperator().compile(Arrays.asList(values));
    }

    private static Predicate<Object> lt(Object... values) {
        return new LessThanOperator().compile(Arrays.asList(values));
    }

    private static Predicate<Object> lte(Object... values) {
        return new LessThanOrEqualOperator().compile(Arrays.asList(values));
    }

    @Test
    void gtHoldsOnlyAboveTheOperand() {
        assertTrue(gt(18).test(19));
        assertFalse(gt(18).test(18));
        assertFalse(gt(18).test(17L));
    }

    @Test
    void gteHoldsAtAndAboveTheOperand() {
        assertTrue(gte(18).test(18.0));
        assertTrue(gte(18).test(30));
        assertFalse(gte(18).test(17.999));
    }

    @Test
    void ltHoldsOnlyBelowTheOperand() {
        assertTrue(lt(0.5).test(0));
        assertFalse(lt(0.5).test(0.5));
        assertFalse(lt(0.5).test(1));
    }

    @Test
    void lteHoldsAtAndBelowTheOperand() {
        assertTrue(lte(new BigDecimal("2.50")).test(2.5));
        assertTrue(lte(new BigDecimal("2.50")).test(2L));
        assertFalse(lte(new BigDecimal("2.50")).test(3));
    }

    @Test
    void orderingUsesTheFirstOperandOnly() {
        assertTrue(gt(1, 100).test(50));
    }

    @Test
    void numbersOfEveryJavaClassCompareByValue() {
        assertTrue(gt(1.5).test(2L));
        assertTrue(gt(1.5).test(new BigDecimal("1.5000001")));
        assertTrue(gt(Long.MAX_VALUE - 1).test(Long.MAX_VALUE));
        assertTrue(lt(BigInteger.TWO.pow(70)).test(Long.MAX_VALUE));
        assertTrue(gt(BigInteger.TWO.pow(70)).test(BigInteger.TWO.pow(70).add(BigInteger.ONE)));
        assertTrue(gte(41).test(new AtomicLong(41)));
        assertTrue(lt(3).test((short) 2));
        assertTrue(lt(3).test(2.9f));
        assertTrue(gte(new BigDecimal("0.1")).test(0.1));
    }

    @Test
    void orderingIsFalseForMissingAttributes() {
        for (Predicate<Object> operator : List.of(gt(1), gte(1), lt(1), lte(1))) {
            assertFalse(operator.test(null));
        }
    }

    @Test
    void orderingIsFalseForNonNumbersAndNaN() {
        for (Predicate<Object> operator : List.of(gt(1), gte(1), lt(1), lte(1))) {
            assertFalse(operator.test("1"));
            assertFalse(operator.test("5"));
            assertFalse(operator.test(true));
            assertFalse(operator.test(List.of(1)));
            assertFalse(operator.test(Double.NaN));
        }
    }

    @Test
    void orderingRejectsMissingNonNumericOrNonFiniteOperands() {
        for (EvaluationOperator operator : List.of(new GreaterThanOperator(), new GreaterThanOrEqualOperator(),
                new LessThanOperator(), new LessThanOrEqualOperator())) {
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of()));
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of("18")));
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of(true)));
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of(Double.NaN)));
            assertThrows(IllegalArgumentException.class,
                    () -> operator.compile(List.of(Double.POSITIVE_INFINITY)));
        }
    }

    @Test
    void numericTextOperatorsReadNumbersAndNumericTextAndRefuseOperandsThatAreNone() {
        Predicate<Object> atLeastFive = new NumberGreaterThanOrEqualOperator().compile(List.of("5"));
        assertTrue(atLeastFive.test("5.0") && atLeastFive.test(7L) && atLeastFive.test("1e1"));
        assertFalse(atLeastFive.test("4.99") || atLeastFive.test("five") || atLeastFive.test(" 6") || atLeastFive.test(null));
        assertTrue(new NumberEqualOperator().compile(List.of(0)).test("-0"), "-0 equals 0, as doubles do");
        for (Object bad : Arrays.asList("abc", "", "1 ", "0x10", "inf", Double.NaN, true, null)) {
            assertThrows(IllegalArgumentException.class, () -> new NumberEqualOperator().compile(Arrays.asList(bad)),
                    String.valueOf(bad));
        }
    }
}
